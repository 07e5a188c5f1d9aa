import { accessSync, constants, statSync } from 'node:fs';
import { SpillFile } from '../fakes/common/spill-file.ts';
import type { RowSpill } from '../fakes/common/row-map.ts';
import type { SealedChunks } from '../sim/line-log.ts';
import { UsageError } from './usage-error.ts';

/**
 * Past how many objects of one kind (for Stripe, in one account) the fakes of a `serve` move them
 * to a spill file: a load test's million customers or payments stay on disk, not in the process's
 * memory.
 */
export const serveSpillAfter = 10_000;

/**
 * How many objects last written or read a spilled type keeps as they are (read back without a
 * parse). Few: held longer than a scavenge or two, they die in the old generation. At 256 a PI
 * confirm's charge, intent and card were promoted (~2.6 KB a request); at 64, ~0.2 KB.
 */
export const serveSpillRecent = 64;

/** How the fakes of a `serve` spill (`spillDir` absent: into the OS's temporary folder). */
export function serveSpill(options: { readonly spillAfter?: number; readonly spillDir?: string }): RowSpill {
  const { spillAfter = serveSpillAfter, spillDir } = options;
  return {
    after: spillAfter,
    recent: serveSpillRecent,
    ...(spillDir === undefined ? {} : { directory: spillDir }),
  };
}

/**
 * Where a `serve` run's journal keeps its full chunks of lines once hashed: a spill file of its
 * own, so the records it remembers (up to `--journal-max`) are not also what the process holds.
 */
export function serveJournalChunks(directory: string | undefined): SealedChunks {
  const file = new SpillFile(directory);
  return { keep: (bytes) => file.keepBytes(bytes), read: (at, length) => file.bytesAt(at, length) };
}

// Checked at start: a fake first writes there once a kind of object passes --spill-after, mid-request.
export function checkSpillDir(directory: string | undefined): void {
  if (directory === undefined) return;
  try {
    if (!statSync(directory).isDirectory()) throw new Error('not a folder');
    accessSync(directory, constants.W_OK);
  } catch {
    throw new UsageError(`--spill-dir ${directory}: no such folder, or not one fakepsp may write to`);
  }
}
