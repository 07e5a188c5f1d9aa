import { deepFreeze, type Freeze } from '../common/deep-freeze.ts';
import { FieldIndexes, hasValue, type IndexedBy } from '../common/field-index.ts';
import { TypedColumn } from '../common/chunked-column.ts';
import { hashOfKey, KeyIndex } from '../common/key-index.ts';
import { NumberColumn } from '../common/number-column.ts';
import type { SpillFile } from '../common/spill-file.ts';
import type { Collection, PlacedObjects, StripeObject } from './store-collections.ts';
import { spilledObject, spilledText, type SpilledAt, type SpilledVersion } from './spilled-records.ts';

/** The offset of a removed object's place. */
const removed = -1;

/**
 * The objects last written or read, as they are, by place: a request reads back what it (or the
 * one before) just wrote without a parse. Direct-mapped (a place's slot is the place modulo the
 * size, taken over by the next place that maps there): a write is two array stores, where a
 * Map of ids cost a set and a delete.
 */
class RecentPlaces {
  readonly #places: Float64Array;
  readonly #objects: Array<StripeObject | undefined>;

  constructor(size: number) {
    this.#places = new Float64Array(Math.max(1, size)).fill(-1);
    this.#objects = new Array<StripeObject | undefined>(this.#places.length).fill(undefined);
  }

  /** The object at `place`, if it is here. */
  at(place: number): StripeObject | undefined {
    const slot = place % this.#places.length;
    return this.#places[slot] === place ? this.#objects[slot] : undefined;
  }

  /** Keeps `object`, the latest version at `place`. */
  add(place: number, object: StripeObject): void {
    const slot = place % this.#places.length;
    this.#places[slot] = place;
    this.#objects[slot] = object;
  }

  delete(place: number): void {
    const slot = place % this.#places.length;
    if (this.#places[slot] !== place) return;
    this.#places[slot] = -1;
    this.#objects[slot] = undefined;
  }
}

/** How a collection spills: the file, and how many recent objects it keeps as they are. */
export interface SpillOptions {
  readonly file: SpillFile;
  readonly recent: number;
  /** Where an object an event carries was spilled (see {@link spilledText}). */
  readonly spilledAt?: SpilledAt;
  /** What an object read back goes through (frozen by default, as the store's own). */
  readonly freeze?: Freeze;
}

const spilledNowhere: SpilledAt = () => undefined;

/**
 * One scope's objects of one type, kept in a {@link SpillFile} rather than on the heap: each
 * version is written as its JSON as it is stored, and a place (creation order) holds the offset of
 * its object's latest version. Ids find places through an off-heap {@link KeyIndex}. What a long
 * `serve` keeps of a million customers is then the file (in the OS's page cache, not the
 * process's memory) and 15 to 21 bytes each (an offset, an id hash, a share of the index's slots),
 * not a million objects the garbage collector walks.
 * `appended` (events): ids are fresh, so they are indexed only once someone looks one up.
 */
export class SpilledCollection implements Collection {
  readonly #file: SpillFile;
  readonly #appended: boolean;
  /** By place: the offset of the object's latest version, or `removed`. */
  readonly #offsets = new NumberColumn();
  /** By place: the hash of its object's id, for the places below `#indexed`. */
  readonly #idHashes = new TypedColumn((length) => new Uint32Array(length));
  /** Id → place, for the places below `#indexed`. */
  readonly #places = new KeyIndex((place) => this.#idHashes.get(place));
  #indexed = 0;
  readonly #recent: RecentPlaces;
  readonly #spilledAt: SpilledAt;
  readonly #freeze: Freeze;
  readonly #indexes = new FieldIndexes<StripeObject>(() => this.#entries());

  constructor(options: SpillOptions, appended: boolean) {
    this.#file = options.file;
    this.#recent = new RecentPlaces(options.recent);
    this.#spilledAt = options.spilledAt ?? spilledNowhere;
    this.#freeze = options.freeze ?? deepFreeze;
    this.#appended = appended;
  }

  /** How many places were handed out (removed objects' included). */
  get length(): number {
    return this.#offsets.length;
  }

  get size(): number {
    return this.#appended ? this.#offsets.length : this.#places.size;
  }

  get(id: string): StripeObject | undefined {
    const place = this.placeOf(id);
    return place === undefined ? undefined : this.at(place);
  }

  placeOf(id: string): number | undefined {
    for (; this.#indexed < this.#offsets.length; this.#indexed++)
      this.#index(this.#file.keyAt(this.#offsets.at(this.#indexed)), this.#indexed);
    return this.#places.get(id, (place) => (this.#recent.at(place)?.id ?? this.#idAt(place)) === id);
  }

  at(place: number): StripeObject | undefined {
    const recent = this.#recent.at(place);
    if (recent !== undefined) return recent;
    const offset = this.#offsets.at(place);
    if (offset === removed) return undefined;
    const object = this.#freeze(spilledObject(this.#file.read(offset).text, this.#file));
    this.#recent.add(place, object);
    return object;
  }

  set(object: StripeObject): void {
    const previous = this.#indexes.active ? this.get(object.id) : undefined;
    const offset = this.#file.append(object.id, spilledText(object, this.#spilledAt));
    // An event is read back rarely (a webhook carries the object it was made with): not kept.
    if (this.#appended) this.#offsets.push(offset);
    else this.#recent.add(this.#keyedPlace(object.id, offset), object);
    this.#indexes.wrote(object.id, previous, object);
  }

  delete(id: string): void {
    if (this.#appended) throw new Error('objects of an appended collection are never deleted');
    const place = this.placeOf(id);
    if (place === undefined) return;
    this.#indexes.wrote(id, this.get(id), undefined);
    this.#offsets.set(place, removed);
    this.#places.remove(id, (candidate) => candidate === place);
    this.#recent.delete(place);
  }

  values(): StripeObject[] {
    return [...this.#entries()].map(([, object]) => object);
  }

  where(by: IndexedBy<StripeObject>, value: unknown): StripeObject[] {
    if (this.#appended || typeof value !== 'string')
      return this.values().filter((object) => hasValue(object, by, value));
    return this.#indexes.keysWith(by, value).map((id) => this.get(id)!);
  }

  placed(): PlacedObjects<StripeObject> {
    return this;
  }

  /** The latest version of an id, and where it was written, while it is among the recent ones. */
  latestOf(id: string): SpilledVersion | undefined {
    const place = this.placeOf(id);
    // A recent object is its place's latest version.
    const object = place === undefined ? undefined : this.#recent.at(place);
    return object === undefined ? undefined : { object, offset: this.#offsets.at(place!) };
  }

  /** The place of a keyed id now written at `offset`: its own, or a new one. */
  #keyedPlace(id: string, offset: number): number {
    const place = this.placeOf(id);
    if (place !== undefined) {
      this.#offsets.set(place, offset);
      return place;
    }
    // `placeOf` caught the index up: the new id goes in at once.
    const added = this.#offsets.push(offset);
    this.#index(id, added);
    this.#indexed++;
    return added;
  }

  #index(id: string, place: number): void {
    this.#idHashes.set(place, hashOfKey(id));
    this.#places.add(place);
  }

  #idAt(place: number): string | undefined {
    const offset = this.#offsets.at(place);
    return offset === removed ? undefined : this.#file.keyAt(offset);
  }

  *#entries(): Generator<readonly [string, StripeObject]> {
    for (let place = 0; place < this.#offsets.length; place++) {
      const object = this.at(place);
      if (object !== undefined) yield [object.id, object];
    }
  }
}
