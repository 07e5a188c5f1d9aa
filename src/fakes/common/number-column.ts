// Numbers go in arrays of this many: a long column grows by a new chunk, never by copying it all.
const chunkLength = 65_536;
// The largest distance from its chunk's base a narrow chunk holds.
const narrowMax = 0xffffffff;

/**
 * A run of the column. Narrow: each number is its distance from `base` (the chunk's first
 * number), four bytes. Wide: the numbers as they are, eight bytes, once one did not fit.
 */
interface Chunk {
  readonly base: number;
  narrow: Uint32Array | undefined;
  wide: Float64Array | undefined;
}

/**
 * A list of numbers that only grows, in typed-array chunks outside the JS heap, where an array of
 * a million numbers would be a million heap slots (and a copy each time it outgrew its backing
 * store). Numbers that climb, as the offsets of records appended to a file do, take four bytes
 * each: a chunk keeps how far each is above its first. A chunk in which one number is below that,
 * too far above it or not a whole number is widened to eight bytes a number, and stays so.
 *
 * @example
 * const offsets = new NumberColumn();
 * offsets.push(4096); // 0 (its index)
 * offsets.at(0); // 4096
 */
export class NumberColumn {
  readonly #chunks: Chunk[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** Appends `value` and returns its index. */
  push(value: number): number {
    if (this.#length % chunkLength === 0)
      this.#chunks.push({ base: value, narrow: new Uint32Array(chunkLength), wide: undefined });
    this.#store(this.#chunks.at(-1)!, this.#length % chunkLength, value);
    return this.#length++;
  }

  /** The number at `index` (below `length`). */
  at(index: number): number {
    const chunk = this.#chunks[Math.floor(index / chunkLength)]!;
    const slot = index % chunkLength;
    return chunk.narrow === undefined ? chunk.wide![slot]! : chunk.base + chunk.narrow[slot]!;
  }

  set(index: number, value: number): void {
    this.#store(this.#chunks[Math.floor(index / chunkLength)]!, index % chunkLength, value);
  }

  #store(chunk: Chunk, slot: number, value: number): void {
    const narrow = chunk.narrow;
    if (narrow === undefined) {
      chunk.wide![slot] = value;
      return;
    }
    const above = value - chunk.base;
    if (Number.isInteger(above) && above >= 0 && above <= narrowMax) {
      narrow[slot] = above;
      return;
    }
    const wide = new Float64Array(chunkLength);
    for (let at = 0; at < chunkLength; at++) wide[at] = chunk.base + narrow[at]!;
    wide[slot] = value;
    chunk.wide = wide;
    chunk.narrow = undefined;
  }
}
