import { ChunkBuffers } from '../../sim/chunk-buffers.ts';
import { firstAt, pairBytes, pairBytesMost, secondAt, writePair } from './text-pair.ts';

/** Most bytes of saved answers kept by default: past it the oldest are forgotten. */
export const savedBodyBytesMax = 32 * 1024 * 1024;

interface Chunk {
  readonly bytes: Buffer;
  /** Where its first byte is in the run of everything ever saved. */
  readonly start: number;
  used: number;
}

/** A saved answer read back: what the store keeps about it (`head`), and its body. */
export interface SavedRecord {
  readonly head: string;
  readonly body: string;
}

/**
 * Saved idempotent answers, as UTF-8 bytes outside the JS heap, found by a number: where the
 * record begins in the run of everything ever saved. Every POST an SDK sends carries a key, so a
 * busy `serve` saves an answer per request and keeps it for thousands more: as strings and
 * objects they outlived the young generation, were copied into the old one and died there (a
 * 60 s soak ended with ~330 MB more RSS for the bodies alone). Bounded in bytes: past
 * {@link savedBodyBytesMax} the oldest are forgotten, and their chunks written over again, so a
 * full store allocates nothing.
 *
 * @example
 * const saved = new SavedBodies();
 * const at = saved.save('["k1"]', '{"id":"cus_1"}');
 * saved.read(at); // { head: '["k1"]', body: '{"id":"cus_1"}' }
 */
export class SavedBodies {
  readonly #bytesMax: number;
  #chunks: Chunk[] = [];
  /** Bytes of the kept chunks' buffers. */
  #bytes = 0;
  /** Bytes ever saved, forgotten ones included (where the next record begins). */
  #end = 0;
  readonly #buffers = new ChunkBuffers(2);

  constructor(bytesMax = savedBodyBytesMax) {
    this.#bytesMax = bytesMax;
  }

  /** Saves a record and says where it is. */
  save(head: string, body: string): number {
    // Only a record that might not fit is measured.
    let most = pairBytesMost(head, body);
    let chunk = this.#chunks.at(-1);
    if (chunk === undefined || chunk.bytes.length - chunk.used < most) {
      most = Math.min(most, pairBytes(head, body));
      if (chunk === undefined || chunk.bytes.length - chunk.used < most) chunk = this.#newChunk(most);
    }
    const at = chunk.used;
    chunk.used += writePair(chunk.bytes, at, head, body);
    this.#end = chunk.start + chunk.used;
    return chunk.start + at;
  }

  /** The record saved at `offset`, or undefined once it was forgotten. */
  read(offset: number): SavedRecord | undefined {
    const chunk = this.#chunkOf(offset);
    if (chunk === undefined) return undefined;
    const at = offset - chunk.start;
    return { head: firstAt(chunk.bytes, at), body: secondAt(chunk.bytes, at) };
  }

  /** Forgets the records before `offset` that whole chunks hold: nobody will read them again. */
  forgetBefore(offset: number): void {
    while (this.#chunks.length > 1 && this.#chunks[1]!.start <= offset) this.#forgetOldest();
  }

  /** Forgets every record. */
  clear(): void {
    this.#chunks = [];
    this.#buffers.reset();
    this.#bytes = 0;
  }

  // The newest chunks hold the records most read (a retry follows its first try closely).
  #chunkOf(offset: number): Chunk | undefined {
    for (let index = this.#chunks.length - 1; index >= 0; index--) {
      const chunk = this.#chunks[index]!;
      if (offset >= chunk.start) return offset < chunk.start + chunk.used ? chunk : undefined;
    }
    return undefined;
  }

  #newChunk(needed: number): Chunk {
    const bytes = this.#buffers.take(needed);
    while (this.#chunks.length > 0 && this.#bytes + bytes.length > this.#bytesMax) this.#forgetOldest();
    const chunk: Chunk = { bytes, start: this.#end, used: 0 };
    this.#chunks.push(chunk);
    this.#bytes += bytes.length;
    return chunk;
  }

  #forgetOldest(): void {
    const oldest = this.#chunks.shift()!;
    this.#bytes -= oldest.bytes.length;
    this.#buffers.give(oldest.bytes);
  }
}
