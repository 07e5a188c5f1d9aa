import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runExplore, type ExploreOutcome } from '../../src/cli/explore.ts';
import { root } from './support.ts';

// Every run of an exploration is a fresh, seeded simulation, and the first finding is the
// earliest failing sequence in generation order whatever the lanes finish first: the same --seed
// gives the same first finding, the same shrunk sequence and the same file, byte for byte.

beforeAll(() => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => vi.restoreAllMocks());

const explore = (concurrency: number, path?: string, mutant: string | null = 'noWebhookDedupe') =>
  runExplore(
    {
      ...(mutant === null ? {} : { mutant }),
      pattern: 'byo-stripe',
      psp: 'stripe',
      seed: 1,
      concurrency,
      out: join('.fakepsp', 'explore-tests', 'determinism'),
      quiet: true,
      // Replaying a path is one run of the path's own sequence, even with no shrink runs allowed.
      ...(path === undefined ? {} : { path, shrinkRuns: 0 }),
    },
    root,
  );

const text = async (outcome: ExploreOutcome) => readFile(join(root, outcome.file!), 'utf8');

describe('the same --seed', () => {
  it('gives the same first finding and the same written file, with 16 lanes or 3, and --path replays it', async () => {
    const wide = await explore(16);
    const wideText = await text(wide);
    const narrow = await explore(3);
    const [a, b] = [wide.report.finding!, narrow.report.finding!];
    expect(a).toBeDefined();
    expect(b.index).toBe(a.index);
    expect(b.path).toBe(a.path);
    expect(b.kinds).toEqual(a.kinds);
    expect(a.shrinkCutBy).toBeUndefined();
    expect(a.shrinkRuns).toBeGreaterThan(0);
    expect(narrow.file).toBe(wide.file);
    expect(await text(narrow)).toBe(wideText);
    // The shrunk counterexample's fast-check path, replayed, gives the same sequence.
    const replayed = await explore(16, a.path);
    expect(replayed.report.finding!.path).toBe(a.path);
    expect(replayed.report).toMatchObject({ runs: 1, stoppedBy: 'finding' });
    const scenario = (source: string) => source.slice(source.indexOf('import '));
    expect(scenario(await text(replayed))).toBe(scenario(wideText));
    // The same sequence against the correct reference: one run, nothing found.
    const correct = await explore(1, a.path, null);
    expect(correct.report).toMatchObject({ runs: 1, stoppedBy: 'runs' });
    expect(correct.report.commands).toBeGreaterThan(0);
    expect(correct.report.finding).toBeUndefined();
  }, 120_000);
});
