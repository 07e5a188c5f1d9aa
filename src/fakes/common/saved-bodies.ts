import { ChunkBuffers, fitsIn } from '../../sim/chunk-buffers.ts';

/** Most bytes of saved bodies kept by default: past it the oldest are forgotten. */
export const savedBodyBytesMax = 32 * 1024 * 1024;

interface Chunk {
  readonly bytes: Buffer;
  used: number;
  /** Its bodies were forgotten (its buffer may be written over since). */
  forgotten: boolean;
}

/** Where a saved body's bytes are. */
export interface BodyPlace {
  readonly chunk: Chunk;
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
  readonly #buffers = new ChunkBuffers(2);

  constructor(bytesMax = savedBodyBytesMax) {
    this.#bytesMax = bytesMax;
  }

  /** Saves a body and says where it is. */
  save(body: string): BodyPlace {
    let chunk = this.#chunks.at(-1);
    if (chunk === undefined || !fitsIn(chunk.bytes, chunk.used, body))
      chunk = this.#newChunk(Buffer.byteLength(body));
    const start = chunk.used;
    const length = chunk.bytes.write(body, start);
    chunk.used += length;
    return { chunk, start, length };
  }

  /** The body saved at `place`, or undefined once it was forgotten. */
  read(place: BodyPlace): string | undefined {
    const { chunk, start, length } = place;
    return chunk.forgotten ? undefined : chunk.bytes.toString('utf8', start, start + length);
  }

  /** Forgets every body. */
  clear(): void {
    for (const chunk of this.#chunks) chunk.forgotten = true;
    this.#chunks = [];
    this.#buffers.reset();
    this.#bytes = 0;
  }

  #newChunk(needed: number): Chunk {
    const chunk: Chunk = { bytes: this.#buffers.take(needed), used: 0, forgotten: false };
    while (this.#chunks.length > 0 && this.#bytes + chunk.bytes.length > this.#bytesMax) this.#forgetOldest();
    this.#chunks.push(chunk);
    this.#bytes += chunk.bytes.length;
    return chunk;
  }

  #forgetOldest(): void {
    const oldest = this.#chunks.shift()!;
    oldest.forgotten = true;
    this.#bytes -= oldest.bytes.length;
    this.#buffers.give(oldest.bytes);
  }
}
