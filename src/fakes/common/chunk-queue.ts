import type { SealedChunks } from '../../sim/line-log.ts';

/** Where a queue's full chunks go, as text lines (none holding a newline), and how. */
export interface ChunkKeeper<T> extends SealedChunks {
  readonly encode: (item: T) => string;
  readonly decode: (line: string) => T;
}

/** A full chunk: its items, or (with a keeper) where its lines are kept. */
type FullChunk<T> = T[] | { readonly at: number; readonly length: number };

/**
 * A first-in, first-out queue in chunks of `chunkLength` items. With a keeper, every chunk
 * between the one being read and the one being written leaves the heap as text (a file, in a long
 * `serve`): a queue of a million items holds two chunks of them and a few numbers for the rest.
 * Without one, or while it is short, nothing is written and nothing is encoded.
 *
 * @example
 * const queue = new ChunkQueue<string>({ chunkLength: 2 });
 * queue.push('a'); queue.push('b'); queue.push('c');
 * queue.shift(); // 'a'
 */
export class ChunkQueue<T> {
  readonly #chunkLength: number;
  readonly #keeper: ChunkKeeper<T> | undefined;
  /** The chunk being read, from `#readAt` on. */
  #reading: Array<T | undefined> = [];
  #readAt = 0;
  /** Full chunks between the two, oldest first, from `#fullAt` on. */
  #full: Array<FullChunk<T>> = [];
  #fullAt = 0;
  /** The chunk being written. */
  #writing: T[] = [];
  #length = 0;

  constructor(options: { readonly chunkLength: number; readonly keeper?: ChunkKeeper<T> | undefined }) {
    this.#chunkLength = Math.max(1, Math.floor(options.chunkLength));
    this.#keeper = options.keeper;
  }

  /** How many items wait. */
  get length(): number {
    return this.#length;
  }

  /** How many full chunks the keeper holds. */
  get keptChunks(): number {
    let kept = 0;
    for (let index = this.#fullAt; index < this.#full.length; index++)
      if (!Array.isArray(this.#full[index])) kept++;
    return kept;
  }

  push(item: T): void {
    this.#writing.push(item);
    this.#length++;
    if (this.#writing.length < this.#chunkLength) return;
    const chunk = this.#writing;
    this.#writing = [];
    const keeper = this.#keeper;
    if (keeper === undefined) {
      this.#full.push(chunk);
      return;
    }
    const bytes = Buffer.from(chunk.map(keeper.encode).join('\n'), 'utf8');
    this.#full.push({ at: keeper.keep(bytes), length: bytes.length });
  }

  /** The oldest item, without taking it. */
  peek(): T | undefined {
    return this.#ready() ? this.#reading[this.#readAt] : undefined;
  }

  /** Takes the oldest item. */
  shift(): T | undefined {
    if (!this.#ready()) return undefined;
    const item = this.#reading[this.#readAt];
    // Let the item go now, not once the whole chunk is read.
    this.#reading[this.#readAt++] = undefined;
    this.#length--;
    return item;
  }

  /** Whether an item is ready in the chunk being read (the next chunk taken if need be). */
  #ready(): boolean {
    if (this.#readAt < this.#reading.length) return true;
    if (this.#length === 0) return false;
    this.#readAt = 0;
    if (this.#fullAt < this.#full.length) {
      const chunk = this.#full[this.#fullAt++]!;
      this.#reading = Array.isArray(chunk) ? chunk : this.#read(chunk);
      // Forget the chunks read in batches, not with one array shift a chunk.
      if (this.#fullAt > 64 && this.#fullAt * 2 > this.#full.length) {
        this.#full = this.#full.slice(this.#fullAt);
        this.#fullAt = 0;
      }
    } else {
      this.#reading = this.#writing;
      this.#writing = [];
    }
    return true;
  }

  #read(chunk: { readonly at: number; readonly length: number }): T[] {
    const keeper = this.#keeper!;
    return keeper.read(chunk.at, chunk.length).toString('utf8').split('\n').map(keeper.decode);
  }
}
