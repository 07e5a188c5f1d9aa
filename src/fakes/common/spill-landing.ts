/** Writes `length` bytes of `buffer` from `offset` at `position` in the file, as `fs.writeSync`. */
export type PositionalWrite = (
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
) => number;

/** What a write reports once it is over: why it failed, or how many bytes it wrote. */
export type WriteDone = (error: NodeJS.ErrnoException | null, written: number) => void;

/**
 * Starts writing `length` bytes of `buffer` from `offset` at `position` in the file, and calls
 * `done` once it is over: at once for a synchronous write, later for one the OS does meanwhile.
 * It is done with `buffer` when it returns (a write under way has a copy): a region written
 * again at once may be reused before the first write of it is over.
 */
export type LaterWrite = (
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
  done: WriteDone,
) => void;

/** Where a file's bytes go: the writes, their file descriptor, and what each write is a multiple of. */
export interface WriteTarget {
  readonly write: LaterWrite;
  /** The same write, over before it returns. */
  readonly writeNow: PositionalWrite;
  readonly fd: number;
  /** What each write's length and place in the file are a multiple of (1: any). */
  readonly alignment: number;
}

/** Records handed to the file: `length` bytes (padded to the alignment) at `start`, `used` of them records. */
export interface Region {
  readonly buffer: Buffer;
  readonly start: number;
  readonly length: number;
  readonly used: number;
}

export interface LandingOptions {
  readonly target: WriteTarget;
  /** Where writes go once the first target refuses its alignment (EINVAL): plain writes. */
  readonly plain: WriteTarget;
  /** Each region once the file holds all of it, in file order. */
  readonly landed: (region: Region) => void;
  /** A write failed for another reason (a full disk): its region waits for the next `retry`. */
  readonly failed: (error: NodeJS.ErrnoException) => void;
}

// Past this many buffers on their way, the file takes them all before the process goes on: a disk
// slower than the records then sets the pace, as it did when every write waited, not the memory.
const regionsMost = 4;

/**
 * The buffers of a spill file on their way to the disk, written one at a time and in order while
 * the process goes on: a write past the page cache waits for the device (~0.6 ms a megabyte
 * here), and a busy `serve` would otherwise stop answering for it. Until a region has landed its
 * records are read from its buffer; below the first region still here, the file holds every byte.
 */
export class Landing {
  readonly #regions: Region[] = [];
  /** Bytes of the first region written so far. */
  #headWritten = 0;
  #target: WriteTarget;
  readonly #options: LandingOptions;
  /** Whether a write of the first region is under way (and its report awaited). */
  #writing = false;
  /** Writes the OS is still doing, awaited or not: the file is closed only once there are none. */
  #underWay = 0;
  /** Counts catch-ups: the report of a write started before the last one is ignored. */
  #generation = 0;
  /** A write failed: nothing more is tried until `retry`. */
  #stalled = false;
  #closed = false;
  #afterClose: (() => void) | undefined;

  constructor(options: LandingOptions) {
    this.#options = options;
    this.#target = options.target;
  }

  /** What a region's length is a multiple of, for the regions handed from now on. */
  get alignment(): number {
    return this.#target.alignment;
  }

  /** The file descriptor writes go to now. */
  get fd(): number {
    return this.#target.fd;
  }

  /** Where the file stops holding every byte written: the first region still on its way, if any. */
  get firstStart(): number | undefined {
    return this.#regions[0]?.start;
  }

  /** Hands `used` bytes of `buffer` to the file at `start` (padded with zeros to the alignment); returns its length. */
  hand(buffer: Buffer, start: number, used: number): number {
    const length = Math.ceil(used / this.alignment) * this.alignment;
    buffer.fill(0, used, length);
    this.#regions.push({ buffer, start, length, used });
    if (this.#stalled) return length;
    if (this.#regions.length > regionsMost) this.#catchUp();
    else if (!this.#writing) this.#writeHead();
    return length;
  }

  /** Tries again the write that failed, if one did. */
  retry(): void {
    if (!this.#stalled) return;
    this.#stalled = false;
    this.#writeHead();
  }

  /** The region still on its way that holds the byte at `offset`, if any. */
  regionAt(offset: number): Region | undefined {
    const regions = this.#regions;
    for (let index = 0; index < regions.length; index++) {
      const region = regions[index]!;
      if (offset >= region.start && offset < region.start + region.used) return region;
    }
    return undefined;
  }

  /** Calls `closeFile` once the OS is done with every write (it may still be writing from the file's descriptor). */
  close(closeFile: () => void): void {
    this.#closed = true;
    if (this.#underWay > 0) this.#afterClose = closeFile;
    else closeFile();
  }

  #writeHead(): void {
    const region = this.#regions[0];
    if (region === undefined || this.#closed) return;
    this.#writing = true;
    this.#underWay++;
    const { write, fd } = this.#target;
    const from = this.#headWritten;
    const generation = this.#generation;
    write(fd, region.buffer, from, region.length - from, region.start + from, (error, written) =>
      this.#over(generation, region, error, written),
    );
  }

  #over(generation: number, region: Region, error: NodeJS.ErrnoException | null, written: number): void {
    this.#underWay--;
    if (this.#closed) {
      if (this.#underWay > 0) return;
      const closeFile = this.#afterClose;
      this.#afterClose = undefined;
      closeFile?.();
      return;
    }
    if (generation !== this.#generation) return;
    this.#writing = false;
    if (error !== null) return this.#refused(error);
    this.#headWritten += written;
    if (this.#headWritten >= region.length) this.#landFirst();
    this.#writeHead();
  }

  #landFirst(): void {
    const region = this.#regions.shift()!;
    this.#headWritten = 0;
    this.#options.landed(region);
  }

  /**
   * Writes every region now, in order. A write of the first may still be under way: the same
   * bytes written again to the same place change nothing, and its report is then ignored.
   */
  #catchUp(): void {
    this.#generation++;
    this.#writing = false;
    this.#headWritten = 0;
    while (this.#regions.length > 0) {
      const { buffer, start, length } = this.#regions[0]!;
      const { writeNow, fd } = this.#target;
      try {
        for (let done = 0; done < length;) done += writeNow(fd, buffer, done, length - done, start + done);
      } catch (error) {
        return this.#refused(error as NodeJS.ErrnoException);
      }
      this.#landFirst();
    }
  }

  #refused(error: NodeJS.ErrnoException): void {
    // The file system refused O_DIRECT's alignment after all (it may want another): plain writes,
    // which write the padding already in the regions as it is.
    if (error.code === 'EINVAL' && this.#target !== this.#options.plain) {
      this.#target = this.#options.plain;
      this.#headWritten = 0;
      return this.#writeHead();
    }
    this.#stalled = true;
    this.#options.failed(error);
  }
}
