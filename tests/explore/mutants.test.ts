import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runExplore } from '../../src/cli/explore.ts';
import { mutantNames } from '../../src/reference/index.ts';
import { mutantTargets } from './mutant-targets.ts';
import { root } from './support.ts';

// The acceptance test of exploration: against every seeded bug of the reference, explore finds a
// failure, and the scenario file it writes, run on its own with `fakepsp run`, fails with the
// same break kind. Each bug is explored where it lives (mutant-targets.ts); the first failure is
// written unshrunk to keep the suite fast (determinism.test.ts and cli.test.ts shrink).

const out = join('.fakepsp', 'explore-tests', 'mutants');

beforeAll(() => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => vi.restoreAllMocks());

describe('explore finds every seeded bug of the reference, and its written file replays it', () => {
  it('covers every mutant', () => {
    expect(Object.keys(mutantTargets).sort()).toEqual([...mutantNames].sort());
  });

  it.each(mutantNames)('%s', { timeout: 90_000 }, async (mutant) => {
    const target = mutantTargets[mutant];
    const sut = target.sut === undefined ? { mutant } : { sut: target.sut };
    const outcome = await runExplore(
      {
        ...sut,
        pattern: target.pattern,
        psp: target.psp,
        seed: target.seed,
        time: '60s',
        shrinkRuns: 0,
        // The first finding is the same whatever the lanes; a few lanes reach an early one sooner.
        concurrency: 4,
        out,
        quiet: true,
      },
      root,
    );
    const finding = outcome.report.finding;
    expect(finding, `${mutant} survived ${outcome.report.runs} sequences`).toBeDefined();
    // runExplore ran the written file on its own (loaded from disk, as `fakepsp run` loads it).
    expect(outcome.replayKinds, `${outcome.file} could not be loaded`).toBeDefined();
    const same = outcome.replayKinds!.filter((kind) => finding!.kinds.includes(kind));
    expect(same, `${outcome.file} replayed as [${outcome.replayKinds!.join(', ')}]`).not.toEqual([]);
    console.info(
      `${mutant}: ${finding!.kinds.join(', ')} at sequence #${finding!.index} after ` +
        `${(finding!.foundAfterMs / 1000).toFixed(1)} s (${outcome.file})`,
    );
  });
});
