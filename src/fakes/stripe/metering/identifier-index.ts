// FNV-1a, 32 bits: a cheap, stable hash of an identifier's bytes for the open-addressing table.
const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

/**
 * Meter event identifiers, one per row, as UTF-8 bytes in one growing buffer, with an
 * open-addressing table from identifier to the latest row that used it. A million identifiers
 * take ~55 bytes each outside the JS heap, where strings in a Map took ~100 on it (and gave the
 * garbage collector a million objects to trace).
 */
export class IdentifierIndex {
  #bytes: Buffer = Buffer.alloc(64 * 1024);
  #used = 0;
  /** Where row i's identifier starts; row i ends where row i + 1 starts. */
  #starts: Int32Array = new Int32Array(1024);
  #rows = 0;
  /** Row + 1 of the latest row with an identifier hashing here (0: empty); a power-of-two size. */
  #table = new Int32Array(2048);

  /** Stores row `rows`'s identifier (rows are added in order) and makes it the latest with it. */
  add(identifier: string): void {
    const length = Buffer.byteLength(identifier);
    if (this.#used + length > this.#bytes.length) this.#bytes = copied(this.#bytes, this.#used + length);
    this.#bytes.write(identifier, this.#used, 'utf8');
    if (this.#rows + 2 > this.#starts.length) this.#starts = widened(this.#starts, this.#rows + 2);
    this.#starts[this.#rows] = this.#used;
    this.#used += length;
    this.#starts[this.#rows + 1] = this.#used;
    const row = this.#rows++;
    if (this.#rows * 2 > this.#table.length) this.#rehash();
    this.#table[this.#slotOf(identifier)] = row + 1;
  }

  /** The identifier of a row. */
  identifier(row: number): string {
    return this.#bytes.toString('utf8', this.#starts[row]!, this.#starts[row + 1]!);
  }

  /** The latest row that used `identifier`, if any. */
  latest(identifier: string): number | undefined {
    const row = this.#table[this.#slotOf(identifier)]!;
    return row === 0 ? undefined : row - 1;
  }

  // The slot holding `identifier`'s latest row, or the empty slot where it would go.
  #slotOf(identifier: string): number {
    const wanted = Buffer.from(identifier, 'utf8');
    const mask = this.#table.length - 1;
    for (let slot = hash(wanted, 0, wanted.length) & mask; ; slot = (slot + 1) & mask) {
      const row = this.#table[slot]!;
      if (row === 0 || this.#equals(row - 1, wanted)) return slot;
    }
  }

  #equals(row: number, wanted: Buffer): boolean {
    const start = this.#starts[row]!;
    const end = this.#starts[row + 1]!;
    return end - start === wanted.length && this.#bytes.compare(wanted, 0, wanted.length, start, end) === 0;
  }

  #rehash(): void {
    const table = new Int32Array(this.#table.length * 2);
    const mask = table.length - 1;
    // Rows in order, so a later row with the same identifier replaces an earlier one.
    for (let row = 0; row < this.#rows; row++) {
      const start = this.#starts[row]!;
      const end = this.#starts[row + 1]!;
      let slot = hash(this.#bytes, start, end) & mask;
      while (table[slot] !== 0 && !this.#sameIdentifier(table[slot]! - 1, start, end))
        slot = (slot + 1) & mask;
      table[slot] = row + 1;
    }
    this.#table = table;
  }

  #sameIdentifier(row: number, start: number, end: number): boolean {
    const otherStart = this.#starts[row]!;
    const otherEnd = this.#starts[row + 1]!;
    return (
      otherEnd - otherStart === end - start &&
      this.#bytes.compare(this.#bytes, start, end, otherStart, otherEnd) === 0
    );
  }
}

function hash(bytes: Uint8Array, start: number, end: number): number {
  let value = fnvOffset;
  for (let index = start; index < end; index++) value = Math.imul(value ^ bytes[index]!, fnvPrime);
  return value >>> 0;
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
