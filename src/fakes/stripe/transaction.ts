import { assert } from '../../sim/assert.ts';
import { hasValue, overlaidMatches, type IndexedBy } from '../common/field-index.ts';
import type { PlacedObjects } from './store-collections.ts';
import type { StripeObject, StripeStore } from './store.ts';

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
    const stored = this.#store.values(scope, type) as T[];
    const writes = this.pending<T>(type, scope);
    if (writes.length === 0) return stored;
    const result = new Map(stored.map((object) => [object.id, object]));
    for (const [id, object] of writes) {
      if (object === undefined) result.delete(id);
      else result.set(id, object);
    }
    return [...result.values()];
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
    scope: string = this.scope,
  ): T[] {
    const given = filters.find(([, value]) => value !== undefined);
    return given === undefined ? this.values<T>(type, scope) : this.where<T>(type, given[0], given[1], scope);
  }

  /**
   * The stored objects of a type by creation place, for a list page read from the newest back;
   * undefined when this transaction has written the type (only a copy then shows its writes).
   */
  placed<T extends StripeObject>(type: string, scope: string = this.scope): PlacedObjects<T> | undefined {
    for (const write of this.#writesByType.get(type)?.values() ?? [])
      if (write.scope === scope) return undefined;
    return this.#store.placed(scope, type) as PlacedObjects<T>;
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
    this.#store.freeze(object);
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
