import { ChunkBuffers, fitsIn } from './chunk-buffers.ts';

const newline = 0x0a;

/** A run of lines in one buffer: `ends[i]` is the offset just past line i's newline. */
interface Chunk {
  /** Undefined once sealed: its bytes are then kept at `sealedAt`. */
  bytes: Buffer | undefined;
  sealedAt: number;
  used: number;
  readonly ends: number[];
}

/**
 * Where a log keeps the bytes of the chunks it has filled and handed out: a file, in a long
 * `serve`, so that what the journal remembers is not also what the process holds.
 */
export interface SealedChunks {
  /** Keeps `bytes` (copied) and says where they are. */
  keep(bytes: Buffer): number;
  /** The `length` bytes kept at `at`. */
  read(at: number, length: number): Buffer;
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
  readonly #sealed: SealedChunks | undefined;

  /** `sealed`: where full chunks go once handed out (all stay in memory when absent). */
  constructor(sealed?: SealedChunks) {
    this.#sealed = sealed;
  }

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
    // The last chunk is never sealed.
    if (chunk === undefined || !fitsIn(chunk.bytes!, chunk.used, line, 1))
      chunk = this.#newChunk(Buffer.byteLength(line) + 1);
    const bytes = chunk.bytes!;
    const length = bytes.write(line, chunk.used);
    chunk.used += length;
    bytes[chunk.used++] = newline;
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
      if (chunk.used > from) take(chunk.bytes!.subarray(from, chunk.used));
    }
    this.#drainChunk = Math.max(0, this.#chunks.length - 1);
    this.#drainOffset = this.#chunks.at(-1)?.used ?? 0;
    this.#sealDrained();
  }

  // Chunks before the last are full, and handed out: their bytes can leave memory.
  #sealDrained(): void {
    const sealed = this.#sealed;
    if (sealed === undefined) return;
    for (let index = this.#drainChunk - 1; index >= 0; index--) {
      const chunk = this.#chunks[index]!;
      if (chunk.bytes === undefined) break;
      chunk.sealedAt = sealed.keep(chunk.bytes.subarray(0, chunk.used));
      this.#buffers.give(chunk.bytes);
      chunk.bytes = undefined;
    }
  }

  #bytesOf(chunk: Chunk): Buffer {
    return chunk.bytes ?? this.#sealed!.read(chunk.sealedAt, chunk.used);
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
      const chunk = this.#chunks[index]!;
      const { ends } = chunk;
      const first = index === 0 ? this.#head : 0;
      if (skip >= ends.length - first) {
        skip -= ends.length - first;
        continue;
      }
      const bytes = this.#bytesOf(chunk);
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
      return this.#bytesOf(chunk).subarray(start, chunk.used);
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
    const chunk: Chunk = { bytes: this.#buffers.take(needed), sealedAt: 0, used: 0, ends: [] };
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
    const dropped = this.#chunks.shift()!.bytes;
    if (dropped !== undefined) this.#buffers.give(dropped);
    // Undrained bytes of the dropped chunk are gone with it (callers drain first).
    if (this.#drainChunk === 0) this.#drainOffset = 0;
    else this.#drainChunk--;
  }
}
