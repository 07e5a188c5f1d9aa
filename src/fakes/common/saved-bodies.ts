// Chunks start small (a scenario run saves a few answers; explore makes thousands of runs) and
// double up to a megabyte; a larger body gets a chunk of its own size.
const firstChunkBytes = 16 * 1024;
const chunkBytesMax = 1024 * 1024;

/** Most bytes of saved bodies kept by default: past it the oldest are forgotten. */
export const savedBodyBytesMax = 32 * 1024 * 1024;

interface Chunk {
  readonly bytes: Buffer;
  used: number;
  /** Counts the times the chunk was forgotten: a place written before then is gone. */
  generation: number;
}

/** Where a saved body's bytes are. */
export interface BodyPlace {
  readonly chunk: Chunk;
  readonly generation: number;
  readonly start: number;
  readonly length: number;
}

/**
 * The bodies of saved idempotent answers, as UTF-8 bytes outside the JS heap. Every POST an SDK
 * sends carries a key, so a busy `serve` saves an answer per request and keeps it for thousands
 * more: as strings they outlived the young generation, were copied into the old one and died
 * there, ~700 bytes a request for the collector (a 60 s soak ended with ~330 MB more RSS).
 * Bounded in bytes: past {@link savedBodyBytesMax} the oldest bodies are forgotten, and their
 * chunks written over again, so a full store allocates nothing.
 *
 * @example
 * const bodies = new SavedBodies();
 * const place = bodies.save('{"id":"cus_1"}');
 * bodies.read(place); // '{"id":"cus_1"}'
 */
export class SavedBodies {
  readonly #bytesMax: number;
  #chunks: Chunk[] = [];
  /** Bytes of the kept chunks' buffers. */
  #bytes = 0;
  #nextChunkBytes = firstChunkBytes;
  /** Full-size chunks forgotten, to write on again. */
  #spares: Chunk[] = [];

  constructor(bytesMax = savedBodyBytesMax) {
    this.#bytesMax = bytesMax;
  }

  /** Saves a body and says where it is. */
  save(body: string): BodyPlace {
    let chunk = this.#chunks.at(-1);
    // Three bytes a UTF-16 unit at most: only a body that might not fit is measured.
    if (chunk === undefined || chunk.bytes.length - chunk.used < body.length * 3) {
      const needed = Buffer.byteLength(body);
      if (chunk === undefined || chunk.bytes.length - chunk.used < needed) chunk = this.#newChunk(needed);
    }
    const start = chunk.used;
    const length = chunk.bytes.write(body, start);
    chunk.used += length;
    return { chunk, generation: chunk.generation, start, length };
  }

  /** The body saved at `place`, or undefined once it was forgotten. */
  read(place: BodyPlace): string | undefined {
    const { chunk, generation, start, length } = place;
    return chunk.generation === generation ? chunk.bytes.toString('utf8', start, start + length) : undefined;
  }

  /** Forgets every body. */
  clear(): void {
    for (const chunk of this.#chunks) chunk.generation++;
    this.#chunks = [];
    this.#spares = [];
    this.#bytes = 0;
    this.#nextChunkBytes = firstChunkBytes;
  }

  #newChunk(needed: number): Chunk {
    const size = Math.max(needed, this.#nextChunkBytes);
    this.#nextChunkBytes = Math.min(chunkBytesMax, this.#nextChunkBytes * 2);
    while (this.#chunks.length > 0 && this.#bytes + size > this.#bytesMax) this.#forgetOldest();
    const spare = size === chunkBytesMax ? this.#spares.pop() : undefined;
    const chunk = spare ?? { bytes: Buffer.allocUnsafe(size), used: 0, generation: 0 };
    chunk.used = 0;
    this.#chunks.push(chunk);
    this.#bytes += chunk.bytes.length;
    return chunk;
  }

  #forgetOldest(): void {
    const oldest = this.#chunks.shift()!;
    oldest.generation++;
    this.#bytes -= oldest.bytes.length;
    // Written over rather than freed: a new buffer counts as external memory until a full GC.
    if (oldest.bytes.length === chunkBytesMax && this.#spares.length < 2) this.#spares.push(oldest);
  }
}
