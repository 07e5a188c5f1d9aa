import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { openDirect } from './direct-write.ts';

/**
 * A file opened and at once removed (POSIX keeps it until `close`), so a killed process leaves
 * nothing behind: read through `fd`, written through `direct` where the OS opened it so
 * (`O_DIRECT`), and the folder it is in when the OS could not remove it while open (Windows).
 */
export interface UnlinkedFile {
  readonly fd: number;
  readonly direct: number | undefined;
  readonly leftover: string | undefined;
}

// Folders left while their files are open go with the process, collected or not.
const leftovers = new Map<string, UnlinkedFile>();
let removesLeftoversAtExit = false;

/** Makes a file in a folder of its own in `directory`, opens it (for direct writes too, if `direct`), removes it. */
export function openUnlinked(directory: string, direct: boolean): UnlinkedFile {
  const folder = mkdtempSync(join(directory, 'fakepsp-spill-'));
  const path = join(folder, 'records');
  const fd = openSync(path, 'w+');
  const opened = { fd, direct: direct ? openDirect(path) : undefined, leftover: undefined };
  try {
    unlinkSync(path);
    rmSync(folder, { recursive: true, force: true });
    return opened;
  } catch {
    const left = { ...opened, leftover: folder };
    removeAtExit(left);
    return left;
  }
}

export function closeUnlinked({ fd, direct, leftover }: UnlinkedFile): void {
  closeSync(fd);
  if (direct !== undefined) closeSync(direct);
  if (leftover === undefined) return;
  rmSync(leftover, { recursive: true, force: true });
  leftovers.delete(leftover);
}

function removeAtExit(opened: UnlinkedFile): void {
  leftovers.set(opened.leftover!, opened);
  if (removesLeftoversAtExit) return;
  removesLeftoversAtExit = true;
  process.once('exit', () => {
    for (const each of leftovers.values()) closeUnlinked(each);
  });
}
