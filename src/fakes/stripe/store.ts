import { assert } from '../../sim/assert.ts';
import { deepFreeze } from '../common/deep-freeze.ts';
import { hasValue, overlaidMatches, type IndexedBy } from '../common/field-index.ts';
import {
  AppendedCollection,
  KeyedCollection,
  type Collection,
  type StripeObject,
} from './store-collections.ts';

export type { StripeObject } from './store-collections.ts';

/** The scope of objects without a `Stripe-Account` header: the platform account itself. */
export const platformScope = 'platform';

/** A Stripe store dump: `{ [scope: 'platform' | acct_…]: { [objectType]: objects[] } }`. */
export type StripeDump = Record<string, Record<string, StripeObject[]>>;

/** Events are only ever added, by the engine, and rarely read by id. */
const appendedTypes: ReadonlySet<string> = new Set(['event']);

/** What an id says its type is: `cus_QX…` → `cus_` (Stripe's random parts have no `_`). */
function prefixOf(id: string): string {
  return id.slice(0, id.lastIndexOf('_') + 1);
}

/** `prefixOf(id) === prefix`, without making the substring. */
function hasPrefix(id: string, prefix: string): boolean {
  return id.startsWith(prefix) && id.indexOf('_', prefix.length) === -1;
}

/** Told of a write to a watched type: what was stored under the id, and what replaces it (undefined: removed). */
export type StoreWatcher = (
  scope: string,
  previous: StripeObject | undefined,
  next: StripeObject | undefined,
) => void;

/**
 * All Stripe objects, by account scope and object type, in creation order. Objects are
 * treated as immutable: a change stores a new object under the same id.
 */
export class StripeStore {
  readonly #scopes = new Map<string, Map<string, Collection>>();
  // Any id's type, for `expand` and product ids: an id's prefix names it (`cus_` is a customer,
  // learned from the first id of each type), so only ids that do not say their type (custom
  // product ids, a prefix another type took first) are written here: one Map write, not two.
  readonly #typeOfPrefix = new Map<string, string>();
  readonly #prefixOfType = new Map<string, string>();
  readonly #typeOfUnprefixed = new Map<string, string>();
  /** Who keeps figures over every object of a type (balance totals), told of each write. */
  readonly #watchers = new Map<string, StoreWatcher>();

  get(scope: string, type: string, id: string): StripeObject | undefined {
    return this.#scopes.get(scope)?.get(type)?.get(id);
  }

  /** Finds an object by id alone within a scope (for expand). */
  find(scope: string, id: string): StripeObject | undefined {
    const named = this.#typeOfPrefix.get(prefixOf(id));
    const found = named === undefined ? undefined : this.get(scope, named, id);
    if (found !== undefined) return found;
    const type = this.#typeOfUnprefixed.get(id);
    return type === undefined ? undefined : this.get(scope, type, id);
  }

  values(scope: string, type: string): readonly StripeObject[] {
    return this.#scopes.get(scope)?.get(type)?.values() ?? [];
  }

  /** The objects of a type whose value by `by` is `value`, oldest first (through an index). */
  where(scope: string, type: string, by: IndexedBy<StripeObject>, value: unknown): readonly StripeObject[] {
    return this.#scopes.get(scope)?.get(type)?.where(by, value) ?? [];
  }

  scopes(): readonly string[] {
    return [...this.#scopes.keys()];
  }

  put(scope: string, object: StripeObject): void {
    const type = object.object;
    let types = this.#scopes.get(scope);
    if (types === undefined) this.#scopes.set(scope, (types = new Map()));
    let collection = types.get(type);
    if (collection === undefined) {
      collection = appendedTypes.has(type) ? new AppendedCollection() : new KeyedCollection();
      types.set(type, collection);
    }
    const watcher = this.#watchers.get(type);
    if (watcher !== undefined) watcher(scope, collection.get(object.id), object);
    collection.set(object);
    // Events and the fake's own records are only ever read by type; nothing expands them.
    if (collection instanceof AppendedCollection || type.startsWith('fakepsp.')) return;
    const prefix = this.#prefixOfType.get(type) ?? this.#claimPrefix(type, object.id);
    if (prefix === '' || !hasPrefix(object.id, prefix)) this.#typeOfUnprefixed.set(object.id, type);
  }

  // The first id of a type names its prefix, unless it has none or another type took it first
  // (`''`: then every id of the type is written to #typeOfUnprefixed).
  #claimPrefix(type: string, id: string): string {
    const prefix = prefixOf(id);
    const claimed = this.#typeOfPrefix.has(prefix) ? '' : prefix;
    if (claimed !== '') this.#typeOfPrefix.set(claimed, type);
    this.#prefixOfType.set(type, claimed);
    return claimed;
  }

  /** Tells `watcher` of every later write of a type, before it applies (one watcher a type). */
  watch(type: string, watcher: StoreWatcher): void {
    assert(!this.#watchers.has(type), `${type} is watched already`);
    this.#watchers.set(type, watcher);
  }

  remove(scope: string, type: string, id: string): void {
    const previous = this.#scopes.get(scope)?.get(type)?.get(id);
    if (previous !== undefined) this.#watchers.get(type)?.(scope, previous, undefined);
    this.#scopes.get(scope)?.get(type)?.delete(id);
    this.#typeOfUnprefixed.delete(id);
  }

  /** Forgets every object (the bench measures what the store holds by dropping it). */
  clear(): void {
    this.#scopes.clear();
    this.#typeOfUnprefixed.clear();
  }

  /** Everything, for the admin state dump. */
  dump(): StripeDump {
    const result: Record<string, Record<string, StripeObject[]>> = {};
    for (const [scope, types] of this.#scopes) {
      result[scope] = Object.fromEntries([...types].map(([type, collection]) => [type, collection.values()]));
    }
    return result;
  }
}

type Write =
  | { readonly kind: 'put'; readonly scope: string; readonly object: StripeObject }
  | { readonly kind: 'remove'; readonly scope: string; readonly type: string; readonly id: string };

/**
 * The writes of one request, buffered over the store: reads see them, and nothing reaches the
 * store until {@link commit}. A rejected request simply drops its transaction, leaving state
 * byte-identical.
 */
export class Transaction {
  readonly #store: StripeStore;
  readonly scope: string;
  readonly #writes = new Map<string, Write>();
  readonly #writesByType = new Map<string, Map<string, Write>>();
  readonly #onCommit: Array<() => void> = [];
  #committed = false;

  constructor(store: StripeStore, scope: string) {
    this.#store = store;
    this.scope = scope;
  }

  get<T extends StripeObject>(type: string, id: string, scope: string = this.scope): T | undefined {
    const write = this.#writes.get(this.#keyOf(scope, id));
    if (write !== undefined) {
      return write.kind === 'put' && write.object.object === type ? (write.object as T) : undefined;
    }
    return this.#store.get(scope, type, id) as T | undefined;
  }

  /** Any object by id (expand), seeing this transaction's writes. */
  find(id: string, scope: string = this.scope): StripeObject | undefined {
    const write = this.#writes.get(this.#keyOf(scope, id));
    if (write !== undefined) return write.kind === 'put' ? write.object : undefined;
    return this.#store.find(scope, id);
  }

  /** All objects of a type, oldest first, seeing this transaction's writes. */
  values<T extends StripeObject>(type: string, scope: string = this.scope): T[] {
    const stored = this.#store.values(scope, type);
    const written = this.#writesByType.get(type);
    if (written === undefined) return stored as T[];
    const result = new Map<string, StripeObject>();
    for (const object of stored) result.set(object.id, object);
    for (const write of written.values()) {
      if (write.scope !== scope) continue;
      if (write.kind === 'put') result.set(write.object.id, write.object);
      else result.delete(write.id);
    }
    return [...result.values()] as T[];
  }

  /**
   * `values(type).filter((object) => hasValue(object, by, value))`, `by` a top-level field's
   * name or a function (of one id or a list), without reading every object of the type: the store's index, then this
   * transaction's writes of the type.
   */
  where<T extends StripeObject>(
    type: string,
    by: (keyof T & string) | ((object: T) => unknown),
    value: unknown,
    scope = this.scope,
  ): T[] {
    const indexedBy = by as IndexedBy<StripeObject>;
    const stored = this.#store.where(scope, type, indexedBy, value) as T[];
    const writes = this.pending<T>(type, scope);
    if (writes.length === 0) return stored;
    const storedEntries = stored.map((object) => [object.id, object] as const);
    const isStored = (id: string) => this.#store.get(scope, type, id) !== undefined;
    return (
      overlaidMatches(storedEntries, writes, isStored, by, value) ??
      this.values<T>(type, scope).filter((object) => hasValue(object, by, value))
    );
  }

  /**
   * What a list endpoint filters: the objects of a type with the first of `filters` that was
   * given (through its index), or all of them when none was. The caller still applies every filter.
   */
  narrowed<T extends StripeObject>(
    type: string,
    filters: ReadonlyArray<readonly [(keyof T & string) | ((object: T) => unknown), string | undefined]>,
  ): T[] {
    const given = filters.find(([, value]) => value !== undefined);
    return given === undefined ? this.values<T>(type) : this.where<T>(type, given[0], given[1]);
  }

  /** This transaction's writes of a type in one account, by id: the object put, or undefined if removed. */
  pending<T extends StripeObject>(
    type: string,
    scope: string = this.scope,
  ): Array<readonly [string, T | undefined]> {
    const writes: Array<readonly [string, T | undefined]> = [];
    for (const write of this.#writesByType.get(type)?.values() ?? []) {
      if (write.scope !== scope) continue;
      writes.push(write.kind === 'put' ? [write.object.id, write.object as T] : [write.id, undefined]);
    }
    return writes;
  }

  /** What this transaction puts of one type, in every scope (for the money rules at commit). */
  written<T extends StripeObject>(type: string): T[] {
    const objects: T[] = [];
    for (const write of this.#writesByType.get(type)?.values() ?? []) {
      if (write.kind === 'put') objects.push(write.object as T);
    }
    return objects;
  }

  put<T extends StripeObject>(object: T, scope: string = this.scope): T {
    assert(!this.#committed, 'write after commit');
    deepFreeze(object);
    this.#write(this.#keyOf(scope, object.id), object.object, { kind: 'put', scope, object });
    return object;
  }

  remove(type: string, id: string, scope: string = this.scope): void {
    assert(!this.#committed, 'remove after commit');
    this.#write(this.#keyOf(scope, id), type, { kind: 'remove', scope, type, id });
  }

  /** State kept outside the store (the meter event columns) that applies when this commits. */
  onCommit(apply: () => void): void {
    assert(!this.#committed, 'onCommit after commit');
    this.#onCommit.push(apply);
  }

  // The transaction's own account keys its writes by id alone (no string built per read and
  // write); another account's by `scope NUL id`, which no id contains.
  #keyOf(scope: string, id: string): string {
    return scope === this.scope ? id : `${scope}\u0000${id}`;
  }

  // Writes are also kept by type, so `values` of one type does not scan every pending write
  // (a batch of 100 meter events would otherwise cost 100 × 200).
  #write(key: string, type: string, write: Write): void {
    const previous = this.#writes.get(key);
    if (previous !== undefined) this.#writesByType.get(typeOf(previous))?.delete(key);
    this.#writes.set(key, write);
    let ofType = this.#writesByType.get(type);
    if (ofType === undefined) this.#writesByType.set(type, (ofType = new Map()));
    ofType.set(key, write);
  }

  /** Applies every buffered write to the store, once. */
  commit(): void {
    assert(!this.#committed, 'transaction committed twice');
    this.#committed = true;
    for (const write of this.#writes.values()) {
      if (write.kind === 'put') this.#store.put(write.scope, write.object);
      else this.#store.remove(write.scope, write.type, write.id);
    }
    for (const apply of this.#onCommit) apply();
  }
}

const typeOf = (write: Write): string => (write.kind === 'put' ? write.object.object : write.type);

/** Whether a stored object is a deletion marker (`{ id, object, deleted: true }`). */
export function isDeleted(object: StripeObject | undefined): boolean {
  return (object as { deleted?: unknown } | undefined)?.deleted === true;
}
