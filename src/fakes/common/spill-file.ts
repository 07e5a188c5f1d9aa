import { readSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { directBlockBytes, writeDirect, writeDirectLater } from './direct-write.ts';
import {
  Landing,
  type LaterWrite,
  type PositionalWrite,
  type Region,
  type WriteTarget,
} from './spill-landing.ts';
import { stagedBytes, stagedWrite } from './staged-write.ts';
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

export type { PositionalWrite } from './spill-landing.ts';

// Records wait in a buffer this size and reach the file in one write.
const pendingBytes = 1024 * 1024;
// The file is read a block of this size at a time, and the last block kept: a scan of records
// written one after another (indexing events by id, every customer for a filter) reads the file
// once a block, not once a record. Records never change, so a kept block never goes stale.
const blockBytes = 64 * 1024;

/** How a spill file's buffered records reach it (tests stand in a disk that fills up): synchronously. */
export interface SpillWrites {
  readonly write: PositionalWrite;
  /** The same write done in the background (by default `write`, over at once). */
  readonly later?: LaterWrite;
  /** What each write's length and place in the file are a multiple of (1: any). */
  readonly alignment: number;
}

/** Plain positional writes (through the page cache), done by the OS while the process goes on. */
const writePlainLater = stagedWrite(() => Buffer.allocUnsafeSlow(stagedBytes), writeSync);

/** A synchronous write as a {@link LaterWrite} over at once. */
function writtenAtOnce(write: PositionalWrite): LaterWrite {
  return (fd, buffer, offset, length, position, done) => {
    let written: number;
    try {
      written = write(fd, buffer, offset, length, position);
    } catch (error) {
      return done(error as NodeJS.ErrnoException, 0);
    }
    done(null, written);
  };
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
 * reach the file in one write, which the OS does while the process goes on (see {@link Landing});
 * a record read before it has landed is read from its buffer. The file is removed as soon as it
 * is open (see {@link openUnlinked}). A write that fails (a full disk) loses nothing: its buffer
 * stays in memory, with the ones after it, and is written again at each further megabyte.
 *
 * Where the OS allows it (Linux), the buffer is written with `O_DIRECT`, past the page cache: a
 * long `serve` writes gigabytes it rarely reads again, and on a VM whose memory the host hands out
 * on first touch (Firecracker, as CI runners often are) every new page-cache page cost ~5 ms a
 * megabyte of system time, against 0.1 ms of CPU a megabyte written direct. Reads still go
 * through the page cache; the megabyte last landed is also kept in memory, so the records just
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
  /** Bytes handed to the file: offsets below it are read from there (or on their way), the rest from `#pending`. */
  #written = 0;
  /** The buffers on their way to the file. */
  readonly #landing: Landing;
  /** The buffer last landed, kept for reads (the file has it too): `#flushedLength` bytes from `#flushedStart`. */
  #flushed: Buffer | undefined;
  #flushedStart = 0;
  #flushedLength = 0;
  /** A standard buffer landed before `#flushed`, free for the next records. */
  #spare: Buffer | undefined;
  #block = Buffer.allocUnsafe(blockBytes);
  /** Where the kept block starts in the file, and how many of its bytes were read. */
  #blockStart = 0;
  #blockLength = 0;
  #closed = false;
  #warned = false;

  /**
   * @param directory where the file is made (by default the OS's temporary directory)
   * @param writes how bytes reach the file (by default `O_DIRECT` where the OS allows it, in the background)
   */
  constructor(directory = tmpdir(), writes?: SpillWrites) {
    this.#opened = openUnlinked(directory, writes === undefined);
    const { fd, direct } = this.#opened;
    const plain: WriteTarget = {
      write: writes === undefined ? writePlainLater : writtenAtOnce(writeSync),
      writeNow: writeSync,
      fd,
      alignment: 1,
    };
    const target: WriteTarget =
      writes !== undefined
        ? {
            write: writes.later ?? writtenAtOnce(writes.write),
            writeNow: writes.write,
            fd,
            alignment: writes.alignment,
          }
        : direct === undefined
          ? plain
          : { write: writeDirectLater, writeNow: writeDirect, fd: direct, alignment: directBlockBytes };
    this.#landing = new Landing({
      target,
      plain,
      landed: (region) => this.#keepFlushed(region),
      failed: (error) => this.#warnOnce(error),
    });
    closeWhenCollected.register(this, this.#opened, this);
  }

  /** Whether writes go past the page cache (`O_DIRECT`). */
  get bypassesPageCache(): boolean {
    return this.#landing.fd !== this.#opened.fd;
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
    const region = this.#landing.regionAt(at);
    if (region !== undefined) {
      const from = at - region.start;
      if (from + length > region.used) throw new RangeError(`no bytes kept at ${at}`);
      return Buffer.from(region.buffer.subarray(from, from + length));
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
    this.#landing.close(() => closeUnlinked(this.#opened));
  }

  /**
   * The bytes from `offset` on, at least `length` of them (fewer only at the end of the file).
   * `read` is what an earlier call returned: reused when it holds them already. What comes back
   * is valid until the next read.
   */
  #bytesAt(offset: number, length: number, read?: Buffer): Buffer {
    if (offset >= this.#written) return this.#pending.subarray(offset - this.#written);
    if (read !== undefined && read.length >= length) return read;
    // A record never spans two buffers: one that starts in a buffer still on its way to the file,
    // or in the last one landed, is all there.
    const region = this.#landing.regionAt(offset);
    if (region !== undefined) return region.buffer.subarray(offset - region.start, region.used);
    const flushed = this.#fromFlushed(offset);
    if (flushed !== undefined) return flushed;
    const from = offset - this.#blockStart;
    if (from >= 0 && from + length <= this.#blockLength) return this.#block.subarray(from, this.#blockLength);
    // A record larger than a block gets a buffer of its own size, kept as the block.
    if (this.#block.length < length) this.#block = Buffer.allocUnsafe(length);
    this.#blockStart = offset;
    // Only what has landed is read from the file: past it, the OS may be writing still.
    const wanted = Math.min(
      Math.max(length, blockBytes),
      (this.#landing.firstStart ?? this.#written) - offset,
    );
    this.#blockLength = readSync(this.#opened.fd, this.#block, 0, wanted, offset);
    return this.#block.subarray(0, this.#blockLength);
  }

  /** The last buffer written, from `offset` on, if `offset` is in it. */
  #fromFlushed(offset: number): Buffer | undefined {
    const from = offset - this.#flushedStart;
    if (this.#flushed === undefined || from < 0 || from >= this.#flushedLength) return undefined;
    return this.#flushed.subarray(from, this.#flushedLength);
  }

  /** Room for `length` more bytes: the file takes the buffer, and a record larger than one gets its own. */
  #makeRoom(length: number): void {
    if (this.#pendingUsed + length > this.#pending.length) this.#flush();
    if (this.#pending.length - this.#pendingUsed >= length) return;
    // Whole blocks, so that the padding of an aligned write fits (nothing is in the buffer now).
    this.#pending = Buffer.allocUnsafe(Math.ceil(length / directBlockBytes) * directBlockBytes);
  }

  /** Hands the buffer to the file, and takes a free one (or a new one) for the next records. */
  #flush(): void {
    // A write that failed (a full disk) is tried again each megabyte; nothing is lost meanwhile.
    this.#landing.retry();
    const used = this.#pendingUsed;
    if (used === 0) return;
    this.#pendingUsed = 0;
    // A write over at once lands here, before the next line: its buffer may be free again.
    this.#written += this.#landing.hand(this.#pending, this.#written, used);
    this.#pending = this.#spare ?? Buffer.allocUnsafe(pendingBytes);
    this.#spare = undefined;
  }

  /** Keeps a buffer that landed for reads; the one kept before it is free for records. */
  #keepFlushed({ buffer, start, used }: Region): void {
    // A buffer grown for one large record is not kept.
    const standard = buffer.length === pendingBytes;
    if (this.#flushed !== undefined) this.#spare = this.#flushed;
    this.#flushed = standard ? buffer : undefined;
    this.#flushedStart = start;
    this.#flushedLength = standard ? used : 0;
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
