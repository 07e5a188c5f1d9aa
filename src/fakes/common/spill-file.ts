import { readSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { directBlockBytes, writeDirect } from './direct-write.ts';
import {
  firstAt,
  firstEndAt,
  pairBytesMost,
  pairHeaderBytes,
  pairLengthAt,
  secondAt,
  writePair,
} from './text-pair.ts';
import { closeUnlinked, openUnlinked, type UnlinkedFile } from './unlinked-file.ts';

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

/** Plain positional writes, through the page cache. */
const plainWrites = { write: writeSync, alignment: 1 };

/** How a spill file's buffered records reach it (tests stand in a disk that fills up). */
export interface SpillWrites {
  readonly write: PositionalWrite;
  /** What each write's length and place in the file are a multiple of (1: any). */
  readonly alignment: number;
}

// A store dropped by `POST /_fakepsp/reset` may still be read by a request in flight: its file is
// closed once nothing can reach the store, not when the run is swapped.
const closeWhenCollected = new FinalizationRegistry<UnlinkedFile>(closeUnlinked);

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
 * removed as soon as it is open (see {@link openUnlinked}). A write that fails (a full disk)
 * loses nothing: the records stay in the buffer, which grows, and go to the file with the next
 * write that succeeds.
 *
 * Where the OS allows it (Linux), the buffer is written with `O_DIRECT`, past the page cache: a
 * long `serve` writes gigabytes it rarely reads again, and on a VM whose memory the host hands out
 * on first touch (Firecracker, as CI runners often are) every new page-cache page cost ~5 ms a
 * megabyte of system time, against 0.1 ms of CPU a megabyte written direct. Reads still go
 * through the page cache; the megabyte last written is also kept in memory, so the records just
 * written are read without the disk.
 *
 * @example
 * const file = new SpillFile();
 * const at = file.append('cus_1', '{"id":"cus_1"}');
 * file.read(at); // { key: 'cus_1', text: '{"id":"cus_1"}' }
 */
export class SpillFile {
  readonly #opened: UnlinkedFile;
  #pending: Buffer = Buffer.allocUnsafe(pendingBytes);
  #pendingUsed = 0;
  /** Bytes written to the file: offsets below it are read from the file, the rest from `#pending`. */
  #written = 0;
  /** The buffer last written, kept for reads (the file has it too): `#flushedLength` bytes from `#flushedStart`. */
  #flushed: Buffer | undefined;
  #flushedStart = 0;
  #flushedLength = 0;
  #block = Buffer.allocUnsafe(blockBytes);
  /** Where the kept block starts in the file, and how many of its bytes were read. */
  #blockStart = 0;
  #blockLength = 0;
  #closed = false;
  #write: PositionalWrite;
  #writeFd: number;
  #alignment: number;
  #warned = false;
  /** Past how many buffered bytes a write is tried again, once one failed. */
  #retryAt = Number.POSITIVE_INFINITY;

  /**
   * @param directory where the file is made (by default the OS's temporary directory)
   * @param writes how bytes reach the file (by default `O_DIRECT` where the OS allows it)
   */
  constructor(directory = tmpdir(), writes?: SpillWrites) {
    this.#opened = openUnlinked(directory, writes === undefined);
    const { fd, direct } = this.#opened;
    const chosen =
      writes ?? (direct === undefined ? plainWrites : { write: writeDirect, alignment: directBlockBytes });
    this.#write = chosen.write;
    this.#alignment = chosen.alignment;
    this.#writeFd = direct ?? fd;
    closeWhenCollected.register(this, this.#opened, this);
  }

  /** Whether writes go past the page cache (`O_DIRECT`). */
  get bypassesPageCache(): boolean {
    return this.#writeFd !== this.#opened.fd;
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
    const flushed = this.#fromFlushed(at);
    if (flushed !== undefined && length <= flushed.length) return Buffer.from(flushed.subarray(0, length));
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
    closeUnlinked(this.#opened);
  }

  /**
   * The bytes from `offset` on, at least `length` of them (fewer only at the end of the file).
   * `read` is what an earlier call returned: reused when it holds them already. What comes back
   * is valid until the next read.
   */
  #bytesAt(offset: number, length: number, read?: Buffer): Buffer {
    if (offset >= this.#written) return this.#pending.subarray(offset - this.#written);
    if (read !== undefined && read.length >= length) return read;
    // A record never spans two buffers: one that starts in the last one written is all there.
    const flushed = this.#fromFlushed(offset);
    if (flushed !== undefined) return flushed;
    const from = offset - this.#blockStart;
    if (from >= 0 && from + length <= this.#blockLength) return this.#block.subarray(from, this.#blockLength);
    // A record larger than a block gets a buffer of its own size, kept as the block.
    if (this.#block.length < length) this.#block = Buffer.allocUnsafe(length);
    this.#blockStart = offset;
    const wanted = Math.max(length, blockBytes);
    this.#blockLength = readSync(this.#opened.fd, this.#block, 0, wanted, offset);
    return this.#block.subarray(0, this.#blockLength);
  }

  /** The last buffer written, from `offset` on, if `offset` is in it. */
  #fromFlushed(offset: number): Buffer | undefined {
    const from = offset - this.#flushedStart;
    if (this.#flushed === undefined || from < 0 || from >= this.#flushedLength) return undefined;
    return this.#flushed.subarray(from, this.#flushedLength);
  }

  /** Room for `length` more bytes in the buffer: the file takes what it holds, or it grows. */
  #makeRoom(length: number): void {
    // The file takes the buffer once it is full; while it cannot, a write is tried each megabyte.
    if (this.#pendingUsed + length > Math.min(this.#pending.length, this.#retryAt)) this.#flush();
    if (this.#pending.length - this.#pendingUsed >= length) return;
    // A record larger than the buffer, or records the file could not take.
    const most = Math.max(this.#pending.length * 2, this.#pendingUsed + length);
    // Whole blocks, so that the padding of an aligned write fits.
    const grown = Buffer.allocUnsafe(Math.ceil(most / directBlockBytes) * directBlockBytes);
    this.#pending.copy(grown, 0, 0, this.#pendingUsed);
    this.#pending = grown;
  }

  #flush(): void {
    const fd = this.#writeFd;
    const used = this.#pendingUsed;
    // An aligned write ends on a whole block: the next records start on the next one.
    const length = Math.ceil(used / this.#alignment) * this.#alignment;
    this.#pending.fill(0, used, length);
    try {
      // Positional writes: bytes written before a failure are simply written again.
      for (let done = 0; done < length;)
        done += this.#write(fd, this.#pending, done, length - done, this.#written + done);
    } catch (error) {
      if (this.#alignment > 1 && (error as NodeJS.ErrnoException).code === 'EINVAL')
        return this.#writePlainly();
      this.#warnOnce(error);
      this.#retryAt = used + pendingBytes;
      return;
    }
    this.#retryAt = Number.POSITIVE_INFINITY;
    this.#keepFlushed(used);
    this.#written += length;
    this.#pendingUsed = 0;
  }

  /** Keeps the buffer just written for reads, and takes the one kept before (or a new one) for records. */
  #keepFlushed(used: number): void {
    const written = this.#pending;
    // A buffer grown while the disk was full, or for one large record, is not kept.
    const standard = written.length === pendingBytes;
    this.#pending = this.#flushed ?? Buffer.allocUnsafe(pendingBytes);
    this.#flushed = standard ? written : undefined;
    this.#flushedStart = this.#written;
    this.#flushedLength = standard ? used : 0;
  }

  /** The file system refused `O_DIRECT` writes after all (it may want other alignments): plain ones from now on. */
  #writePlainly(): void {
    this.#write = plainWrites.write;
    this.#alignment = plainWrites.alignment;
    this.#writeFd = this.#opened.fd;
    this.#flush();
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
