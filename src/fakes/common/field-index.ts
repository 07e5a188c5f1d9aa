/**
 * What objects are looked up by: a top-level field's name, or a function of the object (a
 * nested id, or the ids of its parts: a subscription's items). A function names its index by
 * identity, so pass the same one every time.
 */
export type IndexedBy<V> = string | ((value: V) => unknown);

/** The value an object has for what it is looked up by. */
function valueOf<V extends object>(object: V, by: IndexedBy<V>): unknown {
  return typeof by === 'function' ? by(object) : (object as Record<string, unknown>)[by];
}

/** The ids an object is found by: its value if a string, the strings among it if a list. */
function idsOf<V extends object>(object: V, by: IndexedBy<V>): readonly string[] {
  const value = valueOf(object, by);
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((each): each is string => typeof each === 'string'))];
}

/**
 * Whether an object is one `where(by, value)` finds: its value is `value`, or for a string, one
 * of its ids is. What an index answers, and what a scan must check to agree with it.
 */
export function hasValue<V extends object>(object: V, by: IndexedBy<V>, value: unknown): boolean {
  return typeof value === 'string' ? idsOf(object, by).includes(value) : valueOf(object, by) === value;
}

/**
 * The keys of a table's objects by the value of a field someone looks them up by (a refund's
 * charge, a modification's payment), each list in the order the objects were first stored. An
 * index is made on first use and kept as the owner reports its writes, so "the refunds of this
 * charge" stays a lookup as the table grows instead of a scan of every object on each request.
 * Only string values (ids) are indexed.
 *
 * @example
 * const index = new FieldIndexes<Refund>(() => refunds.entries());
 * index.keysWith('charge', 'ch_1'); // ['re_1', 're_3']
 */
export class FieldIndexes<V extends object> {
  readonly #entries: () => Iterable<readonly [string, V]>;
  /** By what is looked up, then by value: the keys with that value, in creation order. */
  readonly #indexes = new Map<IndexedBy<V>, Map<string, string[]>>();
  /** Each key's place in creation order, kept once a field is indexed (to place a moved key). */
  #places: Map<string, number> | undefined;
  /** The keys by place, kept with `#places`; a removed key leaves a hole. */
  readonly #order: Array<string | undefined> = [];

  /** @param entries the owner's stored objects, oldest first (read once, when a field is first indexed) */
  constructor(entries: () => Iterable<readonly [string, V]>) {
    this.#entries = entries;
  }

  /** The keys of the objects whose value (by `by`) is `value`, oldest first. */
  keysWith(by: IndexedBy<V>, value: string): readonly string[] {
    return this.#indexOf(by).get(value) ?? [];
  }

  /** Whether any field is indexed: until one is, the owner need not report its writes. */
  get active(): boolean {
    return this.#places !== undefined;
  }

  /**
   * The keys by creation place, 0 the oldest (undefined: a removed key's place), kept from now
   * on: a list page is read from the newest place back, not from a copy of every object.
   */
  placed(): PlacedKeys {
    const places = this.#activePlaces();
    const order = this.#order;
    return {
      get length() {
        return order.length;
      },
      keyAt: (place) => order[place],
      placeOf: (key) => places.get(key),
    };
  }

  /** The owner wrote `key`: `next` replaced `previous` (undefined: a new key; `next` undefined: removed). */
  wrote(key: string, previous: V | undefined, next: V | undefined): void {
    const places = this.#places;
    if (places === undefined) return;
    if (next === undefined) {
      if (previous === undefined) return;
      for (const [by, index] of this.#indexes)
        for (const id of idsOf(previous, by)) removeKey(index, id, key);
      this.#order[places.get(key)!] = undefined;
      places.delete(key);
      return;
    }
    if (previous === undefined) places.set(key, this.#order.push(key) - 1);
    for (const [by, index] of this.#indexes) {
      const now = idsOf(next, by);
      if (previous === undefined) {
        for (const id of now) addNewest(index, id, key);
        continue;
      }
      const before = idsOf(previous, by);
      for (const id of before) if (!now.includes(id)) removeKey(index, id, key);
      for (const id of now) if (!before.includes(id)) this.#addInPlace(index, id, key);
    }
  }

  #indexOf(by: IndexedBy<V>): Map<string, string[]> {
    let index = this.#indexes.get(by);
    if (index !== undefined) return index;
    this.#activePlaces();
    const entries = this.#entries();
    index = new Map();
    for (const [key, object] of entries) for (const id of idsOf(object, by)) addNewest(index, id, key);
    this.#indexes.set(by, index);
    return index;
  }

  #activePlaces(): Map<string, number> {
    if (this.#places !== undefined) return this.#places;
    const places = new Map<string, number>();
    for (const [key] of this.#entries()) places.set(key, this.#order.push(key) - 1);
    return (this.#places = places);
  }

  // A key whose value changed joins its new value's keys at its creation place.
  #addInPlace(index: Map<string, string[]>, value: string, key: string): void {
    const keys = index.get(value);
    if (keys === undefined) return void index.set(value, [key]);
    const places = this.#places!;
    const place = places.get(key)!;
    let at = keys.length;
    while (at > 0 && places.get(keys[at - 1]!)! > place) at--;
    keys.splice(at, 0, key);
  }
}

/** A table's keys by creation place (see {@link FieldIndexes.placed}). */
export interface PlacedKeys {
  /** Places handed out so far, holes included. */
  readonly length: number;
  keyAt(place: number): string | undefined;
  placeOf(key: string): number | undefined;
}

/**
 * Objects by creation place, 0 the oldest, read without copying them all (a list page reads from
 * the newest back). A place whose object was removed reads as undefined.
 */
export interface Placed<V> {
  /** Places handed out so far, holes included. */
  readonly length: number;
  at(place: number): V | undefined;
  placeOf(key: string): number | undefined;
}

/** The objects of `stored` (the table the keys index) by creation place. */
export function placedObjects<V>(keys: PlacedKeys, stored: ReadonlyMap<string, V>): Placed<V> {
  return {
    get length() {
      return keys.length;
    },
    at: (place) => {
      const key = keys.keyAt(place);
      return key === undefined ? undefined : stored.get(key);
    },
    placeOf: (key) => keys.placeOf(key),
  };
}

function addNewest(index: Map<string, string[]>, value: string, key: string): void {
  const keys = index.get(value);
  if (keys === undefined) index.set(value, [key]);
  else keys.push(key);
}

function removeKey(index: Map<string, string[]>, value: string, key: string): void {
  const keys = index.get(value);
  const at = keys?.indexOf(key) ?? -1;
  if (at < 0) return;
  if (keys!.length === 1) index.delete(value);
  else keys!.splice(at, 1);
}

/**
 * The objects a caller sees whose value (by `by`) is `value`: the stored ones from the index, with a unit's
 * pending writes laid over them (a write that matches replaces or joins; one that does not, or a
 * removal, drops). An object stored with another value that now matches belongs at its stored
 * place, which only the full list knows: `undefined` then, and the caller filters everything.
 */
export function overlaidMatches<V extends object>(
  stored: ReadonlyArray<readonly [string, V]>,
  writes: Iterable<readonly [string, V | undefined]>,
  isStored: (key: string) => boolean,
  by: IndexedBy<V>,
  value: unknown,
): V[] | undefined {
  const result = new Map(stored);
  for (const [key, write] of writes) {
    const matches = write !== undefined && hasValue(write, by, value);
    if (matches && !result.has(key) && isStored(key)) return undefined;
    if (matches) result.set(key, write);
    else result.delete(key);
  }
  return [...result.values()];
}
