// A slot whose value is this holds nothing (values are places, far below it).
const empty = 0xffffffff;
// The table doubles when more than this share of its slots is taken.
const loadMax = 0.75;

/** A 32-bit hash of a string's UTF-16 units (FNV-1a, then murmur3's finaliser to spread the bits). */
export function hashOfKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < key.length; at++) hash = Math.imul(hash ^ key.charCodeAt(at), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * Which keys have which small number (a place), in typed arrays outside the JS heap: five bytes
 * a slot, where a `Map<string, number>` holds each key as a string on the heap, which a long
 * `serve` with a million ids would have the garbage collector walk on every mark. Neither keys nor
 * their hashes are kept here: the owner keeps the keys (on disk) and each value's key's hash
 * (`hashOf`, which it has anyway, or in four bytes a value), and confirms a candidate whose hash
 * matches (`isKey`), so two keys with one hash are still told apart. A value is held for one key
 * at a time. Each slot keeps its hash's top byte: a probe past other keys' slots (a new id
 * passes several) asks `hashOf`, a read from memory the owner keeps elsewhere, for one in 256.
 *
 * @example
 * const ids = ['cus_a', 'cus_b'];
 * const index = new KeyIndex((place) => hashOfKey(ids[place]!));
 * index.add(1);
 * index.get('cus_b', (place) => ids[place] === 'cus_b'); // 1
 */
export class KeyIndex {
  readonly #hashOf: (value: number) => number;
  #values: Uint32Array;
  #tags: Uint8Array;
  #count = 0;

  /** `hashOf`: the {@link hashOfKey} of the key a value was added for. */
  constructor(hashOf: (value: number) => number, slots = 1024) {
    this.#hashOf = hashOf;
    this.#values = new Uint32Array(slots).fill(empty);
    this.#tags = new Uint8Array(slots);
  }

  /** How many keys are held. */
  get size(): number {
    return this.#count;
  }

  /** The value of `key`: of the values whose key hashes alike, the one `isKey` accepts. */
  get(key: string, isKey: (value: number) => boolean): number | undefined {
    return this.getHashed(hashOfKey(key), isKey);
  }

  /** {@link get} by the key's hash. */
  getHashed(hash: number, isKey: (value: number) => boolean): number | undefined {
    const values = this.#values;
    const tags = this.#tags;
    const tag = hash >>> 24;
    const mask = values.length - 1;
    for (let slot = hash & mask; values[slot] !== empty; slot = (slot + 1) & mask) {
      const value = values[slot]!;
      if (tags[slot] === tag && this.#hashOf(value) === hash && isKey(value)) return value;
    }
    return undefined;
  }

  /**
   * Adds `value` (below 2³² − 1) for its key, whose hash `hashOf(value)` answers from now on; the
   * caller knows the key is not held.
   */
  add(value: number): void {
    if (this.#count + 1 > this.#values.length * loadMax) this.#grow();
    this.#place(value, this.#hashOf(value));
    this.#count++;
  }

  /** Removes `key`, found as `get` finds it; false when it was not held. */
  remove(key: string, isKey: (value: number) => boolean): boolean {
    return this.removeHashed(hashOfKey(key), isKey);
  }

  /** {@link remove} by the key's hash. */
  removeHashed(hash: number, isKey: (value: number) => boolean): boolean {
    const values = this.#values;
    const tags = this.#tags;
    const tag = hash >>> 24;
    const mask = values.length - 1;
    let slot = hash & mask;
    const matches = (at: number) =>
      tags[at] === tag && this.#hashOf(values[at]!) === hash && isKey(values[at]!);
    while (values[slot] !== empty && !matches(slot)) slot = (slot + 1) & mask;
    if (values[slot] === empty) return false;
    // Linear probing without tombstones: later keys of the same run shift back into the hole.
    let hole = slot;
    for (let next = (hole + 1) & mask; values[next] !== empty; next = (next + 1) & mask) {
      const home = this.#hashOf(values[next]!) & mask;
      const between = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (between) continue;
      values[hole] = values[next]!;
      tags[hole] = tags[next]!;
      hole = next;
    }
    values[hole] = empty;
    this.#count--;
    return true;
  }

  /** Holds nothing again (keeping its size). */
  clear(): void {
    this.#values.fill(empty);
    this.#count = 0;
  }

  #place(value: number, hash: number): void {
    const mask = this.#values.length - 1;
    let slot = hash & mask;
    while (this.#values[slot] !== empty) slot = (slot + 1) & mask;
    this.#values[slot] = value;
    this.#tags[slot] = hash >>> 24;
  }

  #grow(): void {
    const values = this.#values;
    this.#values = new Uint32Array(values.length * 2).fill(empty);
    this.#tags = new Uint8Array(values.length * 2);
    for (let slot = 0; slot < values.length; slot++)
      if (values[slot] !== empty) this.#place(values[slot]!, this.#hashOf(values[slot]!));
  }
}
