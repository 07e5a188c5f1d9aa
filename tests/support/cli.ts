import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { vi } from 'vitest';
import { runCli } from '../../src/cli/program.ts';

/** The repository's root: where the command line runs, as a user's `npx fakepsp` would. */
export const repoRoot = join(import.meta.dirname, '..', '..');

/** Runs the command line in-process from the repository's root; what it printed, as plain text. */
export async function cli(...args: string[]): Promise<{ code: number; text: string; lines: string[] }> {
  const printed: string[] = [];
  const keep = (...parts: unknown[]) => void printed.push(parts.map(String).join(' '));
  const spies = [
    vi.spyOn(console, 'error').mockImplementation(keep),
    vi.spyOn(console, 'log').mockImplementation(keep),
    vi.spyOn(console, 'warn').mockImplementation(keep),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (keep(chunk), true)),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (keep(chunk), true)),
  ];
  const previous = process.cwd();
  process.chdir(repoRoot);
  try {
    const code = await runCli(['node', 'fakepsp', ...args]);
    const text = stripVTControlCharacters(printed.join('\n')).trim();
    return { code, text, lines: text === '' ? [] : text.split('\n') };
  } finally {
    process.chdir(previous);
    for (const spy of spies) spy.mockRestore();
  }
}

/** The words of a printed command line, as a shell would split them (quotes removed). */
export function shellWords(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map(
    (match) => match[1] ?? match[2] ?? match[3]!,
  );
}

/**
 * Runs `fakepsp run <args…>` with a JSON report in `out`, then runs the printed replay line of
 * its first failed run: what each returned, for a test to judge.
 */
export async function runThenReplay(
  out: string,
  ...args: string[]
): Promise<{
  readonly code: number;
  readonly failed:
    { readonly status: string; readonly replay: string; readonly scenario: string } | undefined;
  readonly words: string[];
  readonly again: { code: number; text: string } | undefined;
}> {
  const first = await cli('run', ...args, '--quiet', '--reporter', 'json', '--out', out);
  const report = JSON.parse(await readFile(join(out, 'fakepsp-report.json'), 'utf8')) as {
    runs: { status: string; replay: string; scenario: string }[];
  };
  const failed = report.runs.find((result) => result.status === 'failed');
  const words = failed === undefined ? [] : shellWords(failed.replay);
  const again = failed === undefined ? undefined : await cli(...words.slice(2), '--quiet');
  return { code: first.code, failed, words, again };
}
