// Buffers start small (a scenario run keeps a few kilobytes; explore makes thousands of runs)
// and double up to a megabyte; a longer text gets a buffer of its own size.
const firstChunkBytes = 16 * 1024;
const chunkBytesMax = 1024 * 1024;

/**
 * Hands out the buffers of a text kept as UTF-8 bytes outside the JS heap (the journal's lines,
 * saved answers), and writes over the ones given back. A new buffer counts as external memory
 * until a full GC frees the old one, and V8 answers external growth with a full mark of the
 * heap: a log held at its bound by forgetting a megabyte for every new one set off a mark-compact
 * every few seconds in a busy `serve`. Given back, it allocates nothing.
 *
 * @example
 * const buffers = new ChunkBuffers(2);
 * const bytes = buffers.take(100); // 16 KB, then 32 KB, … up to 1 MB
 * buffers.give(bytes);
 */
export class ChunkBuffers {
  readonly #sparesMax: number;
  #nextBytes = firstChunkBytes;
  #spares: Buffer[] = [];

  /** `sparesMax`: most buffers given back and kept for later (as many as are forgotten at once). */
  constructor(sparesMax: number) {
    this.#sparesMax = sparesMax;
  }

  /** A buffer of at least `needed` bytes. */
  take(needed: number): Buffer {
    const size = Math.max(needed, this.#nextBytes);
    this.#nextBytes = Math.min(chunkBytesMax, this.#nextBytes * 2);
    return (size === chunkBytesMax ? this.#spares.pop() : undefined) ?? Buffer.allocUnsafe(size);
  }

  /** A buffer nobody reads any more: a later `take` may write over it. */
  give(bytes: Buffer): void {
    if (bytes.length === chunkBytesMax && this.#spares.length < this.#sparesMax) this.#spares.push(bytes);
  }

  /** Starts small again, keeping nothing. */
  reset(): void {
    this.#nextBytes = firstChunkBytes;
    this.#spares = [];
  }
}

/**
 * Whether `text` fits in `bytes` from `used` on, with `extra` bytes after it. Three bytes a
 * UTF-16 unit at most: only a text that might not fit is measured.
 */
export function fitsIn(bytes: Buffer, used: number, text: string, extra = 0): boolean {
  const room = bytes.length - used - extra;
  return room >= text.length * 3 || room >= Buffer.byteLength(text);
}
