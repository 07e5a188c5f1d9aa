import { constants, openSync, writeSync } from 'node:fs';
import { stagedBytes, stagedWrite } from './staged-write.ts';

/**
 * What an `O_DIRECT` write must be a multiple of: its length, its place in the file and its
 * memory's address. 4 KiB suits disks of 512-byte and of 4 KiB sectors alike.
 */
export const directBlockBytes = 4096;

// WebAssembly's memory is page-aligned; a Buffer's is not (malloc puts a header before it).
declare const WebAssembly: {
  readonly Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
};
const wasmPageBytes = 64 * 1024;
/** One page-aligned buffer for the whole process's synchronous direct writes, made on the first. */
let staging: Buffer | undefined;

/**
 * Opens `path` for writes that bypass the page cache (`O_DIRECT`), where the OS and the file
 * system allow it (Linux; not tmpfs, macOS or Windows); undefined elsewhere.
 */
export function openDirect(path: string): number | undefined {
  const direct = (constants as { O_DIRECT?: number }).O_DIRECT;
  // `--jitless` leaves WebAssembly out, and with it the page-aligned staging buffer.
  if (direct === undefined || typeof WebAssembly === 'undefined') return undefined;
  try {
    return openSync(path, constants.O_WRONLY | direct);
  } catch {
    return undefined;
  }
}

/**
 * `fs.writeSync` for a file {@link openDirect} opened: the bytes go through the page-aligned
 * staging buffer, a megabyte at a time. `length` and `position` must be multiples of
 * {@link directBlockBytes}; a file system that wants more throws EINVAL.
 */
export function writeDirect(
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
): number {
  const aligned = stagingBuffer();
  let done = 0;
  while (done < length) {
    const piece = Math.min(stagedBytes, length - done);
    buffer.copy(aligned, 0, offset + done, offset + done + piece);
    done += writeSync(fd, aligned, 0, piece, position + done);
  }
  return done;
}

/** {@link writeDirect} done by the OS while the process goes on (see {@link stagedWrite}). */
export const writeDirectLater = stagedWrite(alignedBuffer, writeDirect);

/** The staging buffer of synchronous writes, made on first use. */
function stagingBuffer(): Buffer {
  staging ??= alignedBuffer();
  return staging;
}

/** A new page-aligned megabyte; EINVAL (as a refused direct write) if the memory cannot be had. */
function alignedBuffer(): Buffer {
  const pages = stagedBytes / wasmPageBytes;
  try {
    return Buffer.from(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer);
  } catch (cause) {
    throw Object.assign(new Error('no page-aligned memory for O_DIRECT writes', { cause }), {
      code: 'EINVAL',
    });
  }
}
