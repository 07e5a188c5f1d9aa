// Rows per chunk: a column grows a chunk at a time, never by copying itself into one twice as big
// (a doubling array holds up to twice what it needs, and both copies at once while it grows).
const chunkBits = 16;
const chunkRows = 1 << chunkBits;
const inChunk = chunkRows - 1;

/** A column of numbers stored in fixed-size typed-array chunks. */
export class TypedColumn {
  readonly #chunks: Array<Float64Array | Int32Array | Uint32Array | Uint8Array> = [];
  readonly #make: (length: number) => Float64Array | Int32Array | Uint32Array | Uint8Array;

  constructor(make: (length: number) => Float64Array | Int32Array | Uint32Array | Uint8Array) {
    this.#make = make;
  }

  get(index: number): number {
    return this.#chunks[index >>> chunkBits]![index & inChunk]!;
  }

  set(index: number, value: number): void {
    const chunk = index >>> chunkBits;
    while (this.#chunks.length <= chunk) this.#chunks.push(this.#make(chunkRows));
    this.#chunks[chunk]![index & inChunk] = value;
  }
}

/** A column of 64-bit signed integers stored in fixed-size chunks. */
export class BigIntColumn {
  readonly #chunks: BigInt64Array[] = [];

  get(index: number): bigint {
    return this.#chunks[index >>> chunkBits]![index & inChunk]!;
  }

  set(index: number, value: bigint): void {
    const chunk = index >>> chunkBits;
    while (this.#chunks.length <= chunk) this.#chunks.push(new BigInt64Array(chunkRows));
    this.#chunks[chunk]![index & inChunk] = value;
  }
}
