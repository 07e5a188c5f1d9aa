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
 * nothing behind.
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

  /** @param directory where the file is made (by default the OS's temporary directory) */
  constructor(directory = tmpdir()) {
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
    if (this.#pending.length - this.#pendingUsed < most) this.#flush();
    if (this.#pending.length < most) this.#pending = Buffer.allocUnsafe(most);
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
    this.#flush();
    const at = this.#written;
    this.#writeAll(bytes, bytes.length, at);
    this.#written += bytes.length;
    return at;
  }

  /** The `length` raw bytes kept at `at`, in a buffer of their own. */
  bytesAt(at: number, length: number): Buffer {
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

  #flush(): void {
    this.#writeAll(this.#pending, this.#pendingUsed, this.#written);
    this.#written += this.#pendingUsed;
    this.#pendingUsed = 0;
  }

  #writeAll(bytes: Buffer, length: number, at: number): void {
    for (let done = 0; done < length;)
      done += writeSync(this.#opened.fd, bytes, done, length - done, at + done);
  }
}
