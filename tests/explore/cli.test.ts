import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { exploreCommand, runExplore } from '../../src/cli/explore.ts';
import { wallClockMs } from '../../src/sim/wall-clock.ts';
import { root, runWrittenFile, workspace } from './support.ts';

const out = join('.fakepsp', 'explore-tests', 'cli');
let printed: string[] = [];
let errors: string[] = [];

beforeAll(() => {
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    errors.push(String(chunk));
    return true;
  });
});
beforeEach(() => {
  printed = [];
  errors = [];
});
afterAll(() => vi.restoreAllMocks());

describe('fakepsp explore: exit codes', () => {
  it.each([
    [{ psp: 'stripe' }, '--pattern is required'],
    [{ pattern: 'byo-stripe' }, '--psp is required'],
    [{ pattern: 'byo-stripe', psp: 'adyen' }, "pattern byo-stripe has no customers at 'adyen'"],
    [{ pattern: 'nope', psp: 'stripe' }, "no pattern 'nope'"],
    [
      { pattern: 'byo-stripe', psp: 'stripe', time: 'soon' },
      "--time takes a duration such as 60s or 5m, got 'soon'",
    ],
    [{ pattern: 'byo-stripe', psp: 'stripe', runs: 0 }, '--runs takes an integer of at least 1'],
    [{ pattern: 'byo-stripe', psp: 'stripe', path: '3:x' }, '--path takes a fast-check counterexample path'],
    [{ pattern: 'byo-stripe', psp: 'stripe', mutant: 'noSuchBug' }, "no mutant 'noSuchBug'"],
    [
      { pattern: 'byo-stripe', psp: 'stripe', mutant: 'noWebhookDedupe', sutCmd: 'node x.js' },
      '--mutant switches on',
    ],
  ])('bad usage %j is one line and exit code 2', async (options, message) => {
    expect(await exploreCommand({ ...options, quiet: true, out }, root)).toBe(2);
    expect(errors.join('')).toContain(message);
    expect(errors.join('')).not.toContain('    at ');
  });

  it('exits 0 when the budget finds nothing, with one progress line at the end off a terminal', async () => {
    const code = await exploreCommand({ pattern: 'byo-stripe', psp: 'stripe', seed: 3, runs: 12, out }, root);
    expect(code).toBe(0);
    expect(stripVTControlCharacters(printed.join('\n'))).toContain('no finding in 12 runs');
    const progress = errors.map(stripVTControlCharacters).filter((line) => line.startsWith('explore ·'));
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatch(/^explore · 12 runs · \d+ commands · 0 findings · \d+\.\d s\n$/);
  });

  it('exits 1 on a finding, prints the written file, the breaks and the replay lines, and `fakepsp run` replays it', async () => {
    const code = await exploreCommand(
      {
        mutant: 'badSignatureAccepted',
        pattern: 'byo-stripe',
        psp: 'stripe',
        seed: 2,
        shrinkRuns: 6,
        out,
        quiet: true,
      },
      root,
    );
    expect(code).toBe(1);
    // Colours are on wherever CI is set (picocolors reads it), so match the plain text.
    const text = stripVTControlCharacters(printed.join('\n'));
    const file = /wrote: (\S+\.scenario\.ts)/.exec(text)?.[1];
    expect(file).toBeDefined();
    expect(text).toContain('bad_signature_accepted');
    expect(text).toContain(`replay: npx fakepsp run ${file} --mutant badSignatureAccepted`);
    expect(text).toMatch(/fast-check: \{ seed: 2, path: "\d+(:\d+)*" \}/);
    expect(text).toMatch(/shrunk to \d+ steps in \d+ runs/);
    expect(await readFile(join(root, file!), 'utf8')).toContain("import { defineScenario } from 'fakepsp';");
    const replay = await runWrittenFile(
      file!,
      { mutant: 'badSignatureAccepted' },
      root,
      join(workspace, 'cli-replay'),
    );
    expect(replay).toMatchObject({ code: 1, status: 'failed', kinds: ['bad_signature_accepted'] });
    const correct = await runWrittenFile(file!, {}, root, join(workspace, 'cli-replay-correct'));
    expect(correct).toMatchObject({ code: 0, status: 'passed' });
  });
});

describe('fakepsp explore: budgets', () => {
  it('stops within 2 s of --time', async () => {
    const started = wallClockMs();
    const outcome = await runExplore(
      { pattern: 'byo-stripe', psp: 'stripe', seed: 5, time: '3s', out, quiet: true },
      root,
    );
    const elapsedMs = wallClockMs() - started;
    expect(outcome.report.finding).toBeUndefined();
    expect(outcome.report.stoppedBy).toBe('time');
    expect(outcome.report.runs).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(5_000);
  });
});
