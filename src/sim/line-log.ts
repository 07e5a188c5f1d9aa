import { ChunkBuffers, fitsIn } from './chunk-buffers.ts';

const newline = 0x0a;

/** A run of lines in one buffer: `ends[i]` is the offset just past line i's newline. */
interface Chunk {
  readonly bytes: Buffer;
  used: number;
  readonly ends: number[];
}

/**
 * Text lines kept as UTF-8 bytes, each followed by `\n`, in buffers outside the JS heap: a long
 * `serve` keeps hundreds of thousands of journal lines, and as strings every one of them would
 * outlive the young generation, be copied into the old one and die there, so the heap grew far
 * past what the lines hold. The oldest lines can be forgotten; the bytes of what was appended
 * are handed out in order, once each, for hashing.
 *
 * @example
 * const log = new LineLog();
 * log.append('{"a":1}');
 * log.text(); // '{"a":1}\n'
 */
export class LineLog {
  #chunks: Chunk[] = [];
  /** Lines of the first chunk already forgotten. */
  #head = 0;
  #count = 0;
  /** UTF-8 bytes of the kept lines, newlines excluded. */
  #bytes = 0;
  // A bounded journal forgets in batches (an eighth of its records), several chunks at once.
  readonly #buffers = new ChunkBuffers(8);
  /** Where the bytes not yet handed to `drain` begin: a chunk (by index) and an offset in it. */
  #drainChunk = 0;
  #drainOffset = 0;

  /** How many lines are kept. */
  get count(): number {
    return this.#count;
  }

  /** UTF-8 bytes of the kept lines, newlines excluded. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends a line (which holds no newline) and returns its length in bytes. */
  append(line: string): number {
    let chunk = this.#chunks.at(-1);
    if (chunk === undefined || !fitsIn(chunk.bytes, chunk.used, line, 1))
      chunk = this.#newChunk(Buffer.byteLength(line) + 1);
    const length = chunk.bytes.write(line, chunk.used);
    chunk.used += length;
    chunk.bytes[chunk.used++] = newline;
    chunk.ends.push(chunk.used);
    this.#count++;
    this.#bytes += length;
    return length;
  }

  /** Hands every byte appended since the last call (lines and their newlines) to `take`, in order. */
  drain(take: (bytes: Buffer) => void): void {
    for (let index = this.#drainChunk; index < this.#chunks.length; index++) {
      const chunk = this.#chunks[index]!;
      const from = index === this.#drainChunk ? this.#drainOffset : 0;
      if (chunk.used > from) take(chunk.bytes.subarray(from, chunk.used));
    }
    this.#drainChunk = Math.max(0, this.#chunks.length - 1);
    this.#drainOffset = this.#chunks.at(-1)?.used ?? 0;
  }

  /**
   * Forgets the oldest `lines`. Call `drain` first if their bytes still matter: forgotten bytes
   * are never handed out.
   */
  forget(lines: number): void {
    let left = Math.min(lines, this.#count);
    while (left > 0) {
      const chunk = this.#chunks[0]!;
      const dropped = Math.min(left, chunk.ends.length - this.#head);
      const start = this.#head === 0 ? 0 : chunk.ends[this.#head - 1]!;
      const end = chunk.ends[this.#head + dropped - 1]!;
      this.#bytes -= end - start - dropped;
      this.#count -= dropped;
      this.#head += dropped;
      left -= dropped;
      if (this.#head === chunk.ends.length) this.#dropFirstChunk();
    }
  }

  /** Calls `visit` with every kept line from the `from`-th (0: the oldest kept), in order. */
  forEach(from: number, visit: (line: string) => void): void {
    let skip = from;
    for (let index = 0; index < this.#chunks.length; index++) {
      const { bytes, ends } = this.#chunks[index]!;
      const first = index === 0 ? this.#head : 0;
      if (skip >= ends.length - first) {
        skip -= ends.length - first;
        continue;
      }
      for (let line = first + skip; line < ends.length; line++) {
        visit(bytes.toString('utf8', line === 0 ? 0 : ends[line - 1]!, ends[line]! - 1));
      }
      skip = 0;
    }
  }

  /** The kept lines as one text, each ending in `\n`. */
  text(): string {
    const parts = this.#chunks.map((chunk, index) => {
      const start = index === 0 && this.#head > 0 ? chunk.ends[this.#head - 1]! : 0;
      return chunk.bytes.subarray(start, chunk.used);
    });
    return Buffer.concat(parts).toString('utf8');
  }

  clear(): void {
    this.#chunks = [];
    this.#buffers.reset();
    this.#head = 0;
    this.#count = 0;
    this.#bytes = 0;
    this.#drainChunk = 0;
    this.#drainOffset = 0;
  }

  #newChunk(needed: number): Chunk {
    const chunk: Chunk = { bytes: this.#buffers.take(needed), used: 0, ends: [] };
    this.#chunks.push(chunk);
    return chunk;
  }

  #dropFirstChunk(): void {
    this.#head = 0;
    if (this.#chunks.length === 1) {
      // The only chunk, all forgotten: it is written on from its start again.
      const chunk = this.#chunks[0]!;
      chunk.used = 0;
      chunk.ends.length = 0;
      this.#drainOffset = 0;
      return;
    }
    this.#buffers.give(this.#chunks.shift()!.bytes);
    // Undrained bytes of the dropped chunk are gone with it (callers drain first).
    if (this.#drainChunk === 0) this.#drainOffset = 0;
    else this.#drainChunk--;
  }
}
