import { assert } from '../../sim/assert.ts';
import { freezeFor, type Freeze } from '../common/deep-freeze.ts';
import type { IndexedBy } from '../common/field-index.ts';
import type { RowSpill } from '../common/row-map.ts';
import { SpillFile } from '../common/spill-file.ts';
import { SpilledCollection } from './spilled-collection.ts';
import {
  AppendedCollection,
  KeyedCollection,
  type Collection,
  type PlacedObjects,
  type StripeObject,
} from './store-collections.ts';

export type { StripeObject } from './store-collections.ts';

/** The scope of objects without a `Stripe-Account` header: the platform account itself. */
export const platformScope = 'platform';

/** A Stripe store dump: `{ [scope: 'platform' | acct_…]: { [objectType]: objects[] } }`. */
export type StripeDump = Record<string, Record<string, StripeObject[]>>;

/** Events are only ever added, by the engine, and rarely read by id. */
const appendedTypes: ReadonlySet<string> = new Set(['event']);

const noObjects: PlacedObjects<StripeObject> = { length: 0, at: () => undefined, placeOf: () => undefined };

/** What an id says its type is: `cus_QX…` → `cus_` (Stripe's random parts have no `_`). */
function prefixOf(id: string): string {
  return id.slice(0, id.lastIndexOf('_') + 1);
}

/** `prefixOf(id) === prefix`, without making the substring. */
function hasPrefix(id: string, prefix: string): boolean {
  return id.startsWith(prefix) && id.indexOf('_', prefix.length) === -1;
}

/**
 * When a long `serve` moves a type's objects out of memory into a spill file (see
 * {@link SpilledCollection}): once one scope holds more than `after` of them.
 */
export type StoreSpill = RowSpill;

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
  readonly #spill: StoreSpill | undefined;
  /** Made when the first type spills. */
  #spillFile: SpillFile | undefined;

  /** What a put object goes through: frozen, unless the fake trusts its handlers (`serve`). */
  readonly freeze: Freeze;

  /**
   * Without `spill`, every object stays in memory (a scenario run, a test). `freezeState: false`
   * leaves stored objects unfrozen (see `trustHandlers` in common/deep-freeze.ts).
   */
  constructor(options: { readonly spill?: StoreSpill; readonly freezeState?: boolean } = {}) {
    this.#spill = options.spill;
    this.freeze = freezeFor(options.freezeState);
  }

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

  /** The objects of a type by creation place, read without copying them all (none: an empty list). */
  placed(scope: string, type: string): PlacedObjects<StripeObject> {
    return this.#scopes.get(scope)?.get(type)?.placed() ?? noObjects;
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
    if (
      this.#spill !== undefined &&
      collection.size > this.#spill.after &&
      !(collection instanceof SpilledCollection)
    )
      types.set(type, this.#spilled(scope, collection, this.#spill));
    // Events and the fake's own records are only ever read by type; nothing expands them.
    if (collection instanceof AppendedCollection || type.startsWith('fakepsp.')) return;
    const prefix = this.#prefixOfType.get(type) ?? this.#claimPrefix(type, object.id);
    if (prefix === '' || !hasPrefix(object.id, prefix)) this.#typeOfUnprefixed.set(object.id, type);
  }

  /**
   * Writes a new version of an object already kept, in its place, where `put` would add it
   * again: an event is only ever added, until a delivery is counted on it. False when the object
   * is not kept. Only for types no watcher keeps figures over.
   */
  replace(scope: string, object: StripeObject): boolean {
    assert(!this.#watchers.has(object.object), `${object.object} is watched: put it instead`);
    return this.#scopes.get(scope)?.get(object.object)?.replace(object) ?? false;
  }

  /** The collection's objects moved to the spill file, in creation order. */
  #spilled(scope: string, collection: Collection, spill: StoreSpill): SpilledCollection {
    this.#spillFile ??= new SpillFile(spill.directory);
    const spilledAt = (object: StripeObject) => {
      const home = this.#scopes.get(scope)?.get(object.object);
      return home instanceof SpilledCollection ? home.latestOf(object.id) : undefined;
    };
    const spilled = new SpilledCollection(
      { file: this.#spillFile, recent: spill.recent, spilledAt, freeze: this.freeze },
      collection instanceof AppendedCollection,
    );
    for (const object of collection.values()) spilled.set(object);
    return spilled;
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

  /**
   * Forgets every object (the bench measures what the store holds by dropping it). Watchers keep
   * their figures: nothing reads them after.
   */
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

/** Whether a stored object is a deletion marker (`{ id, object, deleted: true }`). */
export function isDeleted(object: StripeObject | undefined): boolean {
  return (object as { deleted?: unknown } | undefined)?.deleted === true;
}
