import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runExplore } from '../../src/cli/explore.ts';
import { pspsOfPattern } from '../../src/cli/explore-target.ts';
import { integrationPatterns } from '../../src/sut/contract.ts';
import { root } from './support.ts';

// The correct reference survives exploration of every pattern × PSP: a finding against it is a
// false alarm (a word of the vocabulary no correct service can survive), or a bug of the
// reference. A short run here; `fakepsp explore --runs 1000` per pattern × PSP, by hand, found
// nothing either.
const targets = integrationPatterns.flatMap((pattern) =>
  pspsOfPattern[pattern].map((psp) => ({ pattern, psp })),
);

beforeAll(() => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => vi.restoreAllMocks());

describe('the correct reference', () => {
  it.each(targets)('$pattern · $psp: nothing found', { timeout: 60_000 }, async ({ pattern, psp }) => {
    const outcome = await runExplore(
      {
        pattern,
        psp,
        seed: 7,
        runs: 6,
        time: '45s',
        out: '.fakepsp/explore-tests/false-alarms',
        quiet: true,
      },
      root,
    );
    const finding = outcome.report.finding;
    expect(
      finding,
      `${outcome.file}: ${finding?.result.findings.map((entry) => entry.message).join('; ')}`,
    ).toBeUndefined();
    expect(outcome.report.runs).toBe(6);
  });
});
