// FNV-1a over UTF-16 code units, 32 bits: a cheap, stable hash of an identifier for the table.
const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

function hashOf(identifier: string): number {
  let value = fnvOffset;
  for (let index = 0; index < identifier.length; index++)
    value = Math.imul(value ^ identifier.charCodeAt(index), fnvPrime);
  return value | 0;
}

/**
 * Meter event identifiers, one per row, as UTF-8 bytes in one growing buffer, with each row's
 * hash and an open-addressing table from identifier to the latest row that used it. A million
 * identifiers take ~60 bytes each outside the JS heap, where strings in a Map took ~100 on it
 * (and gave the garbage collector a million objects to trace).
 */
export class IdentifierIndex {
  #bytes: Buffer = Buffer.alloc(64 * 1024);
  #used = 0;
  /** Where row i's identifier starts; row i ends where row i + 1 starts. */
  #starts: Int32Array = new Int32Array(1024);
  #hashes: Int32Array = new Int32Array(1024);
  #rows = 0;
  /** Row + 1 of the latest row with an identifier hashing here (0: empty); a power-of-two size. */
  #table = new Int32Array(2048);

  /** Stores the next row's identifier (rows are added in order) and makes it the latest with it. */
  add(identifier: string): void {
    const length = Buffer.byteLength(identifier);
    if (this.#used + length > this.#bytes.length) this.#bytes = copied(this.#bytes, this.#used + length);
    this.#bytes.write(identifier, this.#used, 'utf8');
    if (this.#rows + 2 > this.#starts.length) {
      this.#starts = widened(this.#starts, this.#rows + 2);
      this.#hashes = widened(this.#hashes, this.#rows + 2);
    }
    const hash = hashOf(identifier);
    const row = this.#rows++;
    this.#starts[row] = this.#used;
    this.#used += length;
    this.#starts[row + 1] = this.#used;
    this.#hashes[row] = hash;
    if (this.#rows * 2 > this.#table.length) this.#rehash();
    else this.#table[this.#slotOf(identifier, hash)] = row + 1;
  }

  /** The identifier of a row. */
  identifier(row: number): string {
    return this.#bytes.toString('utf8', this.#starts[row]!, this.#starts[row + 1]!);
  }

  /** The latest row that used `identifier`, if any. */
  latest(identifier: string): number | undefined {
    const row = this.#table[this.#slotOf(identifier, hashOf(identifier))]!;
    return row === 0 ? undefined : row - 1;
  }

  // The slot holding `identifier`'s latest row, or the empty slot where it would go. Bytes are
  // compared only when the hashes agree.
  #slotOf(identifier: string, hash: number): number {
    const mask = this.#table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const row = this.#table[slot]!;
      if (row === 0 || (this.#hashes[row - 1] === hash && this.identifier(row - 1) === identifier))
        return slot;
    }
  }

  #rehash(): void {
    const table = new Int32Array(this.#table.length * 2);
    const mask = table.length - 1;
    // Rows in order, so a later row with the same identifier replaces an earlier one.
    for (let row = 0; row < this.#rows; row++) {
      const hash = this.#hashes[row]!;
      let slot = hash & mask;
      while (table[slot] !== 0 && !this.#sameIdentifier(table[slot]! - 1, row)) slot = (slot + 1) & mask;
      table[slot] = row + 1;
    }
    this.#table = table;
  }

  #sameIdentifier(one: number, other: number): boolean {
    if (this.#hashes[one] !== this.#hashes[other]) return false;
    const [start, end] = [this.#starts[one]!, this.#starts[one + 1]!];
    const [otherStart, otherEnd] = [this.#starts[other]!, this.#starts[other + 1]!];
    return this.#bytes.compare(this.#bytes, otherStart, otherEnd, start, end) === 0;
  }
}

function copied(bytes: Buffer, needed: number): Buffer {
  const bigger = Buffer.alloc(Math.max(bytes.length * 2, needed));
  bytes.copy(bigger);
  return bigger;
}

function widened(array: Int32Array, needed: number): Int32Array {
  const bigger = new Int32Array(Math.max(array.length * 2, needed));
  bigger.set(array);
  return bigger;
}
