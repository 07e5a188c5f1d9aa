// Numbers go in arrays of this many: a long column grows by a new chunk, never by copying it all.
const chunkLength = 65_536;

/**
 * A list of numbers that only grows, in typed-array chunks outside the JS heap: eight bytes an
 * entry where an array of a million numbers would be a million heap slots (and a copy each time
 * it outgrew its backing store).
 *
 * @example
 * const offsets = new NumberColumn();
 * offsets.push(4096); // 0 (its index)
 * offsets.at(0); // 4096
 */
export class NumberColumn {
  readonly #chunks: Float64Array[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** Appends `value` and returns its index. */
  push(value: number): number {
    if (this.#length % chunkLength === 0) this.#chunks.push(new Float64Array(chunkLength));
    this.#chunks[this.#chunks.length - 1]![this.#length % chunkLength] = value;
    return this.#length++;
  }

  /** The number at `index` (below `length`). */
  at(index: number): number {
    return this.#chunks[Math.floor(index / chunkLength)]![index % chunkLength]!;
  }

  set(index: number, value: number): void {
    this.#chunks[Math.floor(index / chunkLength)]![index % chunkLength] = value;
  }
}
