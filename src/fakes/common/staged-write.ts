import { write } from 'node:fs';
import type { LaterWrite, PositionalWrite } from './spill-landing.ts';

/** The most bytes a background write takes (a spill file's buffer), and what a staging buffer holds. */
export const stagedBytes = 1024 * 1024;
// Spill files write one buffer at a time each, and a process has a handful of them.
const stagedMost = 4;

/**
 * A write the OS does while the process goes on, from a staging buffer of its own: the caller may
 * reuse its bytes as soon as this returns (a spill file catching up writes a buffer again at once,
 * and reuses it, while the first write of it may still be under way). Synchronous, through
 * `writeNow`, for more than a megabyte or while every staging buffer is under way.
 *
 * @param makeBuffer makes a staging buffer of {@link stagedBytes} (page-aligned, for `O_DIRECT`);
 *   what it throws, the write reports
 */
export function stagedWrite(makeBuffer: () => Buffer, writeNow: PositionalWrite): LaterWrite {
  const idle: Buffer[] = [];
  let made = 0;
  return (fd, buffer, offset, length, position, done) => {
    let staged: Buffer | undefined;
    try {
      staged = length <= stagedBytes ? idle.pop() : undefined;
      if (staged === undefined && length <= stagedBytes && made < stagedMost) {
        staged = makeBuffer();
        made++;
      }
      if (staged === undefined) return done(null, writeNow(fd, buffer, offset, length, position));
    } catch (error) {
      return done(error as NodeJS.ErrnoException, 0);
    }
    const own = staged;
    buffer.copy(own, 0, offset, offset + length);
    write(fd, own, 0, length, position, (error, written) => {
      idle.push(own);
      done(error, written);
    });
  };
}
