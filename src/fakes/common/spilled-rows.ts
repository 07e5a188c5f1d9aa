import { TypedColumn } from './chunked-column.ts';
import { deepFreeze, type Freeze } from './deep-freeze.ts';
import type { Placed } from './field-index.ts';
import { hashOfKey, KeyIndex } from './key-index.ts';
import { NumberColumn } from './number-column.ts';
import type { SpillFile } from './spill-file.ts';

/** The offset of a removed row's place. */
const removed = -1;

/**
 * The rows last written or read, as they are, by place: a request reads back what it (or the
 * one before) just wrote without a parse. Direct-mapped (a place's slot is the place modulo the
 * size, taken over by the next place that maps there): a write is three array stores, where a
 * Map of keys cost a set and a delete.
 */
class RecentPlaces<V> {
  readonly #places: Float64Array;
  readonly #keys: Array<string | undefined>;
  readonly #values: Array<V | undefined>;

  constructor(size: number) {
    this.#places = new Float64Array(Math.max(1, size)).fill(-1);
    this.#keys = new Array<string | undefined>(this.#places.length).fill(undefined);
    this.#values = new Array<V | undefined>(this.#places.length).fill(undefined);
  }

  /** The row at `place`, if it is here. */
  at(place: number): V | undefined {
    const slot = place % this.#places.length;
    return this.#places[slot] === place ? this.#values[slot] : undefined;
  }

  /** The key of the row at `place`, if it is here. */
  keyAt(place: number): string | undefined {
    const slot = place % this.#places.length;
    return this.#places[slot] === place ? this.#keys[slot] : undefined;
  }

  /** Keeps `value`, the latest version of `key`, at `place`. */
  add(place: number, key: string, value: V): void {
    const slot = place % this.#places.length;
    this.#places[slot] = place;
    this.#keys[slot] = key;
    this.#values[slot] = value;
  }

  delete(place: number): void {
    const slot = place % this.#places.length;
    if (this.#places[slot] !== place) return;
    this.#places[slot] = -1;
    this.#keys[slot] = undefined;
    this.#values[slot] = undefined;
  }
}

/** How a row is written to the file and read back: its JSON unless a fake knows better. */
export interface RowCodec<V> {
  text(value: V): string;
  value(text: string): V;
}

const jsonRows: RowCodec<object> = {
  text: (value) => JSON.stringify(value),
  value: (text) => JSON.parse(text) as object,
};

/** How rows spill: the file, how many recent rows are kept as they are, and how rows are written. */
export interface SpilledRowsOptions<V> {
  readonly file: SpillFile;
  readonly recent: number;
  /** What a row read back goes through (frozen by default, as a fake's stored state). */
  readonly freeze?: Freeze;
  readonly codec?: RowCodec<V>;
  /**
   * Keys are fresh (events): indexed only once someone looks one up, as a busy `serve` writes
   * thousands of events a second and reads almost none. A row is then never removed, and only
   * changed through `replace`.
   */
  readonly appended?: boolean;
}

/** The latest version of a key that was spilled, and where its record is. */
export interface SpilledVersion<V> {
  readonly value: V;
  readonly offset: number;
}

/**
 * A fake's rows of one kind kept in a {@link SpillFile} rather than on the heap, keyed and in
 * creation order as a Map keeps them (a changed row keeps its place): each version is written as
 * its text as it is stored, and a place holds the offset of its row's latest version. Keys find
 * places through an off-heap {@link KeyIndex}. What a long `serve` keeps of a million payments is
 * then the file (in the OS's page cache, not the process's memory) and 15 to 21 bytes each (an
 * offset, a key hash, a share of the index's slots), not a million objects the garbage collector
 * walks.
 */
export class SpilledRows<V extends object> implements Placed<V> {
  readonly #file: SpillFile;
  readonly #appended: boolean;
  /** By place: the offset of the row's latest version, or `removed`. */
  readonly #offsets = new NumberColumn();
  /** By place: the hash of its row's key, for the places below `#indexed`. */
  readonly #keyHashes = new TypedColumn((length) => new Uint32Array(length));
  /** Key → place, for the places below `#indexed`. */
  readonly #places = new KeyIndex((place) => this.#keyHashes.get(place));
  #indexed = 0;
  readonly #recent: RecentPlaces<V>;
  readonly #freeze: Freeze;
  readonly #codec: RowCodec<V>;

  constructor(options: SpilledRowsOptions<V>) {
    this.#file = options.file;
    this.#recent = new RecentPlaces(options.recent);
    this.#freeze = options.freeze ?? deepFreeze;
    this.#codec = options.codec ?? (jsonRows as RowCodec<V>);
    this.#appended = options.appended === true;
  }

  /** How many places were handed out (removed rows' included). */
  get length(): number {
    return this.#offsets.length;
  }

  /** How many rows are kept. */
  get size(): number {
    return this.#appended ? this.#offsets.length : this.#places.size;
  }

  get(key: string): V | undefined {
    const place = this.placeOf(key);
    return place === undefined ? undefined : this.at(place);
  }

  has(key: string): boolean {
    return this.placeOf(key) !== undefined;
  }

  placeOf(key: string): number | undefined {
    for (; this.#indexed < this.#offsets.length; this.#indexed++)
      this.#index(this.#file.keyAt(this.#offsets.at(this.#indexed)), this.#indexed);
    return this.#places.get(key, (place) => (this.#recent.keyAt(place) ?? this.#keyAt(place)) === key);
  }

  at(place: number): V | undefined {
    const recent = this.#recent.at(place);
    if (recent !== undefined) return recent;
    const offset = this.#offsets.at(place);
    if (offset === removed) return undefined;
    const { key, text } = this.#file.read(offset);
    const value = this.#freeze(this.#codec.value(text));
    this.#recent.add(place, key, value);
    return value;
  }

  set(key: string, value: V): void {
    const offset = this.#file.append(key, this.#codec.text(value));
    // An appended row (an event) is read back rarely: not kept.
    if (this.#appended) this.#offsets.push(offset);
    else this.#recent.add(this.#keyedPlace(key, offset), key, value);
  }

  /**
   * Writes a new version of a kept key in its place, as `set` does for keyed rows; for appended
   * rows too, which `set` only adds (an event whose deliveries are counted). False when the key is
   * not kept.
   */
  replace(key: string, value: V): boolean {
    const place = this.placeOf(key);
    if (place === undefined) return false;
    this.#offsets.set(place, this.#file.append(key, this.#codec.text(value)));
    // A version read back earlier may be among the recent ones: this one takes its slot.
    this.#recent.add(place, key, value);
    return true;
  }

  delete(key: string): void {
    if (this.#appended) throw new Error('rows of an appended table are never deleted');
    const place = this.placeOf(key);
    if (place === undefined) return;
    this.#offsets.set(place, removed);
    this.#places.remove(key, (candidate) => candidate === place);
    this.#recent.delete(place);
  }

  /** Every key and row, oldest first. */
  *entries(): Generator<[string, V]> {
    for (let place = 0; place < this.#offsets.length; place++) {
      const value = this.at(place);
      if (value !== undefined) yield [this.#recent.keyAt(place) ?? this.#keyAt(place)!, value];
    }
  }

  *values(): Generator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  /** The latest version of a key, and where it was written, while it is among the recent ones. */
  latestOf(key: string): SpilledVersion<V> | undefined {
    const place = this.placeOf(key);
    // A recent row is its place's latest version.
    const value = place === undefined ? undefined : this.#recent.at(place);
    return value === undefined ? undefined : { value, offset: this.#offsets.at(place!) };
  }

  /** The place of a key now written at `offset`: its own, or a new one. */
  #keyedPlace(key: string, offset: number): number {
    const place = this.placeOf(key);
    if (place !== undefined) {
      this.#offsets.set(place, offset);
      return place;
    }
    // `placeOf` caught the index up: the new key goes in at once.
    const added = this.#offsets.push(offset);
    this.#index(key, added);
    this.#indexed++;
    return added;
  }

  #index(key: string, place: number): void {
    this.#keyHashes.set(place, hashOfKey(key));
    this.#places.add(place);
  }

  #keyAt(place: number): string | undefined {
    const offset = this.#offsets.at(place);
    return offset === removed ? undefined : this.#file.keyAt(offset);
  }
}
