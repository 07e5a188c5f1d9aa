import { FieldIndexes, hasValue, placedObjects, type IndexedBy, type Placed } from '../common/field-index.ts';

/** Anything the fake Stripe stores: every Stripe object has an `id` and an `object` type. */
export interface StripeObject {
  readonly id: string;
  readonly object: string;
}

/** Stripe objects by creation place (see {@link Placed}). */
export type PlacedObjects<T> = Placed<T>;

/** One scope's objects of one type, in creation order (a changed object keeps its place). */
export interface Collection {
  /** How many objects are kept. */
  readonly size: number;
  get(id: string): StripeObject | undefined;
  set(object: StripeObject): void;
  /** Writes a new version of an object kept here, in its place; false when it is not here. */
  replace(object: StripeObject): boolean;
  delete(id: string): void;
  /** The objects in creation order, as a new array. */
  values(): StripeObject[];
  /** The objects whose value by `by` (a field's name, or a function) is `value`, in creation order. */
  where(by: IndexedBy<StripeObject>, value: unknown): StripeObject[];
  /** The objects by creation place. */
  placed(): PlacedObjects<StripeObject>;
}

/**
 * Objects found by id through a Map, written as they are stored. A field someone looks objects up
 * by (a refund's `charge`, a payment method's `customer`) is indexed on first use.
 */
export class KeyedCollection implements Collection {
  readonly #objects = new Map<string, StripeObject>();
  readonly #indexes = new FieldIndexes<StripeObject>(() => this.#objects.entries());

  get size(): number {
    return this.#objects.size;
  }

  get(id: string): StripeObject | undefined {
    return this.#objects.get(id);
  }

  set(object: StripeObject): void {
    // Read only for an index: a lookup in a large table is a cache miss or two.
    const previous = this.#indexes.active ? this.#objects.get(object.id) : undefined;
    this.#objects.set(object.id, object);
    this.#indexes.wrote(object.id, previous, object);
  }

  replace(object: StripeObject): boolean {
    if (!this.#objects.has(object.id)) return false;
    this.set(object);
    return true;
  }

  delete(id: string): void {
    this.#indexes.wrote(id, this.#objects.get(id), undefined);
    this.#objects.delete(id);
  }

  values(): StripeObject[] {
    return [...this.#objects.values()];
  }

  where(by: IndexedBy<StripeObject>, value: unknown): StripeObject[] {
    if (typeof value !== 'string') return this.values().filter((object) => hasValue(object, by, value));
    return this.#indexes.keysWith(by, value).map((id) => this.#objects.get(id)!);
  }

  placed(): PlacedObjects<StripeObject> {
    return placedObjects(this.#indexes.placed(), this.#objects);
  }
}

// Appended objects go in lists of this many, so a long list grows by a new chunk, never by
// copying a million-entry array into a bigger one.
const chunkLength = 8192;

/**
 * Objects that are added and never deleted (events, changed only when a delivery is counted): a
 * list, and a Map from id to place that catches up only when someone looks one up. A busy `serve`
 * writes thousands of events a second and reads almost none; every Map write into a table that
 * size costs about a microsecond (a few cache misses), so it is paid when read, once, not on
 * every write.
 */
export class AppendedCollection implements Collection {
  readonly #chunks: StripeObject[][] = [];
  #length = 0;
  readonly #places = new Map<string, number>();
  /** How many of the first objects `#places` covers. */
  #placed = 0;

  get(id: string): StripeObject | undefined {
    const place = this.placeOf(id);
    return place === undefined ? undefined : this.at(place);
  }

  /** How many objects were added. */
  get length(): number {
    return this.#length;
  }

  get size(): number {
    return this.#length;
  }

  /** Where an object is, 0 the oldest, if it is here. */
  placeOf(id: string): number | undefined {
    for (; this.#placed < this.#length; this.#placed++)
      this.#places.set(this.at(this.#placed).id, this.#placed);
    return this.#places.get(id);
  }

  /** The object at a place, 0 the oldest. */
  at(place: number): StripeObject {
    return this.#chunks[Math.floor(place / chunkLength)]![place % chunkLength]!;
  }

  /** Adds an object with a new id (the caller's promise: events have fresh ids). */
  set(object: StripeObject): void {
    if (this.#length % chunkLength === 0) this.#chunks.push([]);
    this.#chunks.at(-1)!.push(object);
    this.#length++;
  }

  replace(object: StripeObject): boolean {
    const place = this.placeOf(object.id);
    if (place === undefined) return false;
    this.#chunks[Math.floor(place / chunkLength)]![place % chunkLength] = object;
    return true;
  }

  delete(): void {
    throw new Error('objects of an appended collection are never deleted');
  }

  values(): StripeObject[] {
    return this.#chunks.flat();
  }

  where(by: IndexedBy<StripeObject>, value: unknown): StripeObject[] {
    return this.values().filter((object) => hasValue(object, by, value));
  }

  placed(): PlacedObjects<StripeObject> {
    return this;
  }
}
