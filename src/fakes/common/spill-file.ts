import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  firstAt,
  firstEndAt,
  pairBytesMost,
  pairHeaderBytes,
  pairLengthAt,
  secondAt,
  writePair,
} from './text-pair.ts';

// Records wait in a buffer this size and reach the file in one write.
const pendingBytes = 1024 * 1024;
// The file is read a block of this size at a time, and the last block kept: a scan of records
// written one after another (indexing events by id, every customer for a filter) reads the file
// once a block, not once a record. Records never change, so a kept block never goes stale.
const blockBytes = 64 * 1024;

/** Writes `length` bytes of `buffer` from `offset` at `position` in the file, as `fs.writeSync`. */
export type PositionalWrite = (
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
) => number;

/** An open spill file, and the folder it is in when the OS could not remove it while open (Windows). */
interface Opened {
  readonly fd: number;
  readonly leftover: string | undefined;
}

// Folders left while their files are open go with the process, collected or not.
const leftovers = new Map<string, number>();
let removesLeftoversAtExit = false;

function closeOpened({ fd, leftover }: Opened): void {
  closeSync(fd);
  if (leftover === undefined) return;
  rmSync(leftover, { recursive: true, force: true });
  leftovers.delete(leftover);
}

// A store dropped by `POST /_fakepsp/reset` may still be read by a request in flight: its file is
// closed once nothing can reach the store, not when the run is swapped.
const closeWhenCollected = new FinalizationRegistry<Opened>(closeOpened);

function removeAtExit(opened: Opened): void {
  leftovers.set(opened.leftover!, opened.fd);
  if (removesLeftoversAtExit) return;
  removesLeftoversAtExit = true;
  process.once('exit', () => {
    for (const [leftover, fd] of leftovers) closeOpened({ fd, leftover });
  });
}

/** A record read back: the key it was written under, and its text. */
export interface SpilledRecord {
  readonly key: string;
  readonly text: string;
}

/**
 * An append-only file of keyed text records, read back by the offset `append` returned: where a
 * long `serve` keeps what it must not forget but need not hold in memory (the process's RSS
 * counts every byte it holds, the OS's page cache none). Records wait in a megabyte buffer and
 * reach the file in one write; a record read before is read from that buffer. The file is
 * removed as soon as it is open (POSIX keeps it until `close`), so a killed process leaves
 * nothing behind. A write that fails (a full disk) loses nothing: the records stay in the buffer,
 * which grows, and go to the file with the next write that succeeds.
 *
 * @example
 * const file = new SpillFile();
 * const at = file.append('cus_1', '{"id":"cus_1"}');
 * file.read(at); // { key: 'cus_1', text: '{"id":"cus_1"}' }
 */
export class SpillFile {
  readonly #opened: Opened;
  #pending = Buffer.allocUnsafe(pendingBytes);
  #pendingUsed = 0;
  /** Bytes written to the file: offsets below it are read from the file, the rest from `#pending`. */
  #written = 0;
  #block = Buffer.allocUnsafe(blockBytes);
  /** Where the kept block starts in the file, and how many of its bytes were read. */
  #blockStart = 0;
  #blockLength = 0;
  #closed = false;
  readonly #write: PositionalWrite;
  #warned = false;
  /** Past how many buffered bytes a write is tried again, once one failed. */
  #retryAt = Number.POSITIVE_INFINITY;

  /**
   * @param directory where the file is made (by default the OS's temporary directory)
   * @param write how bytes reach the file (tests stand in a disk that fills up)
   */
  constructor(directory = tmpdir(), write: PositionalWrite = writeSync) {
    this.#write = write;
    const folder = mkdtempSync(join(directory, 'fakepsp-spill-'));
    const path = join(folder, 'records');
    const fd = openSync(path, 'w+');
    let leftover: string | undefined;
    try {
      unlinkSync(path);
      rmSync(folder, { recursive: true, force: true });
    } catch {
      leftover = folder;
    }
    this.#opened = { fd, leftover };
    if (leftover !== undefined) removeAtExit(this.#opened);
    closeWhenCollected.register(this, this.#opened, this);
  }

  /** Bytes appended so far. */
  get size(): number {
    return this.#written + this.#pendingUsed;
  }

  /** Appends `text` under `key` and returns where it is. */
  append(key: string, text: string): number {
    // A record that might not fit waits for the next buffer.
    const most = pairBytesMost(key, text);
    this.#makeRoom(most);
    const at = this.#pendingUsed;
    this.#pendingUsed += writePair(this.#pending, at, key, text);
    return this.#written + at;
  }

  /** The record at `offset` (one `append` returned). */
  read(offset: number): SpilledRecord {
    const header = this.#bytesAt(offset, pairHeaderBytes);
    const whole = this.#bytesAt(offset, pairLengthAt(header, 0), header);
    return { key: firstAt(whole, 0), text: secondAt(whole, 0) };
  }

  /** The key of the record at `offset`, without reading its text. */
  keyAt(offset: number): string {
    const header = this.#bytesAt(offset, pairHeaderBytes);
    return firstAt(this.#bytesAt(offset, firstEndAt(header, 0), header), 0);
  }

  /** Keeps raw bytes (not a record) and says where they are: read back with {@link bytesAt}. */
  keepBytes(bytes: Buffer): number {
    this.#makeRoom(bytes.length);
    const at = this.#written + this.#pendingUsed;
    this.#pendingUsed += bytes.copy(this.#pending, this.#pendingUsed);
    this.#flush();
    return at;
  }

  /** The `length` raw bytes kept at `at`, in a buffer of their own. */
  bytesAt(at: number, length: number): Buffer {
    if (at >= this.#written) {
      // Not in the file yet (a full disk keeps them in the buffer).
      const from = at - this.#written;
      if (from + length > this.#pendingUsed) throw new RangeError(`no bytes kept at ${at}`);
      return Buffer.from(this.#pending.subarray(from, from + length));
    }
    const bytes = Buffer.allocUnsafe(length);
    for (let done = 0; done < length;) {
      const got = readSync(this.#opened.fd, bytes, done, length - done, at + done);
      if (got === 0) throw new RangeError(`no bytes kept at ${at + done}`);
      done += got;
    }
    return bytes;
  }

  /** Closes the file (and with it the records): nothing may be read after. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeWhenCollected.unregister(this);
    closeOpened(this.#opened);
  }

  /**
   * The bytes from `offset` on, at least `length` of them (fewer only at the end of the file).
   * `read` is what an earlier call returned: reused when it holds them already. What comes back
   * is valid until the next read.
   */
  #bytesAt(offset: number, length: number, read?: Buffer): Buffer {
    if (offset >= this.#written) return this.#pending.subarray(offset - this.#written);
    if (read !== undefined && read.length >= length) return read;
    const from = offset - this.#blockStart;
    if (from >= 0 && from + length <= this.#blockLength) return this.#block.subarray(from, this.#blockLength);
    // A record larger than a block gets a buffer of its own size, kept as the block.
    if (this.#block.length < length) this.#block = Buffer.allocUnsafe(length);
    this.#blockStart = offset;
    const wanted = Math.max(length, blockBytes);
    this.#blockLength = readSync(this.#opened.fd, this.#block, 0, wanted, offset);
    return this.#block.subarray(0, this.#blockLength);
  }

  /** Room for `length` more bytes in the buffer: the file takes what it holds, or it grows. */
  #makeRoom(length: number): void {
    // The file takes the buffer once it is full; while it cannot, a write is tried each megabyte.
    if (this.#pendingUsed + length > Math.min(this.#pending.length, this.#retryAt)) this.#flush();
    if (this.#pending.length - this.#pendingUsed >= length) return;
    // A record larger than the buffer, or records the file could not take.
    const grown = Buffer.allocUnsafe(Math.max(this.#pending.length * 2, this.#pendingUsed + length));
    this.#pending.copy(grown, 0, 0, this.#pendingUsed);
    this.#pending = grown;
  }

  #flush(): void {
    const { fd } = this.#opened;
    const length = this.#pendingUsed;
    try {
      // Positional writes: bytes written before a failure are simply written again.
      for (let done = 0; done < length;)
        done += this.#write(fd, this.#pending, done, length - done, this.#written + done);
    } catch (error) {
      this.#warnOnce(error);
      this.#retryAt = length + pendingBytes;
      return;
    }
    this.#retryAt = Number.POSITIVE_INFINITY;
    this.#written += length;
    this.#pendingUsed = 0;
    // A buffer grown while the disk was full, or for one large record, goes back to its size.
    if (this.#pending.length > pendingBytes) this.#pending = Buffer.allocUnsafe(pendingBytes);
  }

  #warnOnce(error: unknown): void {
    if (this.#warned) return;
    this.#warned = true;
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(
      `fakepsp: could not write to a spill file (${reason}); keeping its records in memory`,
    );
  }
}
