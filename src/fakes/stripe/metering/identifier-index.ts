import { assert } from '../../../sim/assert.ts';
import { TypedColumn } from '../../common/chunked-column.ts';

// FNV-1a over UTF-16 code units, 32 bits: a cheap, stable hash of an identifier for the table.
const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

function hashOf(identifier: string): number {
  let value = fnvOffset;
  for (let index = 0; index < identifier.length; index++)
    value = Math.imul(value ^ identifier.charCodeAt(index), fnvPrime);
  return value | 0;
}

// Identifier bytes go into chunks of this size; none spans two (a request body, and so an
// identifier, is at most 1 MB).
const chunkBytes = 1 << 20;

/**
 * Meter event identifiers, one per row, as UTF-8 bytes in 1 MB chunks, with each row's hash and
 * an open-addressing table from identifier to the latest row that used it. A million
 * identifiers take ~60 bytes each outside the JS heap, where strings in a Map took ~100 on it
 * (and gave the garbage collector a million objects to trace).
 */
export class IdentifierIndex {
  readonly #chunks: Buffer[] = [Buffer.alloc(chunkBytes)];
  /** Bytes used in the last chunk. */
  #used = 0;
  /** Where a row's identifier starts: chunk × chunkBytes + offset. */
  readonly #starts = new TypedColumn((length) => new Float64Array(length));
  readonly #lengths = new TypedColumn((length) => new Int32Array(length));
  readonly #hashes = new TypedColumn((length) => new Int32Array(length));
  #rows = 0;
  /** Row + 1 of the latest row with an identifier hashing here (0: empty); a power-of-two size. */
  #table = new Int32Array(2048);

  /** Stores the next row's identifier (rows are added in order) and makes it the latest with it. */
  add(identifier: string): void {
    const length = Buffer.byteLength(identifier);
    assert(length <= chunkBytes, 'a meter event identifier longer than 1 MB');
    if (this.#used + length > chunkBytes) {
      this.#chunks.push(Buffer.alloc(chunkBytes));
      this.#used = 0;
    }
    this.#chunks.at(-1)!.write(identifier, this.#used, 'utf8');
    const hash = hashOf(identifier);
    const row = this.#rows++;
    this.#starts.set(row, (this.#chunks.length - 1) * chunkBytes + this.#used);
    this.#lengths.set(row, length);
    this.#hashes.set(row, hash);
    this.#used += length;
    if (this.#rows * 2 > this.#table.length) this.#rehash();
    else this.#table[this.#slotOf(identifier, hash)] = row + 1;
  }

  /** The identifier of a row. */
  identifier(row: number): string {
    const { chunk, offset } = this.#place(row);
    return chunk.toString('utf8', offset, offset + this.#lengths.get(row));
  }

  /** The latest row that used `identifier`, if any. */
  latest(identifier: string): number | undefined {
    const row = this.#table[this.#slotOf(identifier, hashOf(identifier))]!;
    return row === 0 ? undefined : row - 1;
  }

  #place(row: number): { readonly chunk: Buffer; readonly offset: number } {
    const start = this.#starts.get(row);
    return { chunk: this.#chunks[Math.floor(start / chunkBytes)]!, offset: start % chunkBytes };
  }

  // The slot holding `identifier`'s latest row, or the empty slot where it would go. Bytes are
  // compared only when the hashes agree.
  #slotOf(identifier: string, hash: number): number {
    const mask = this.#table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const row = this.#table[slot]!;
      if (row === 0 || (this.#hashes.get(row - 1) === hash && this.identifier(row - 1) === identifier))
        return slot;
    }
  }

  #rehash(): void {
    const table = new Int32Array(this.#table.length * 2);
    const mask = table.length - 1;
    // Rows in order, so a later row with the same identifier replaces an earlier one.
    for (let row = 0; row < this.#rows; row++) {
      let slot = this.#hashes.get(row) & mask;
      while (table[slot] !== 0 && !this.#sameIdentifier(table[slot]! - 1, row)) slot = (slot + 1) & mask;
      table[slot] = row + 1;
    }
    this.#table = table;
  }

  #sameIdentifier(one: number, other: number): boolean {
    if (this.#hashes.get(one) !== this.#hashes.get(other)) return false;
    const length = this.#lengths.get(one);
    if (length !== this.#lengths.get(other)) return false;
    const a = this.#place(one);
    const b = this.#place(other);
    return a.chunk.compare(b.chunk, b.offset, b.offset + length, a.offset, a.offset + length) === 0;
  }
}
