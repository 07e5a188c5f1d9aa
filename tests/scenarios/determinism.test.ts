import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/cli/load-scenarios.ts';
import { createReferenceBillingSystem } from '../../src/reference/index.ts';
import { reconcileRun } from '../../src/scenarios/check.ts';
import { planRuns, runSuite } from '../../src/scenarios/suite.ts';
import { loopbackEnvironment } from '../../src/transports/scenario-environment.ts';

const root = join(import.meta.dirname, '..', '..');

// Same seed, same journal: whatever ports the sockets got and however the lanes interleaved.
describe('the shipped library is deterministic', () => {
  it('gives every run the same journal hash twice over, with different lanes', async () => {
    const runs = planRuns(await loadScenarios([], root));
    const library = (concurrency: number) =>
      runSuite(runs, {
        sut: async () => createReferenceBillingSystem(),
        environment: loopbackEnvironment,
        check: reconcileRun,
        concurrency,
      });
    const first = await library(8);
    const second = await library(3);
    expect(first.length).toBeGreaterThan(100);
    expect(first.every((result) => result.status === 'passed')).toBe(true);
    const hashes = (results: typeof first) =>
      results.map((result) => `${result.scenario} [${result.psp}] ${result.journalHash}`);
    expect(hashes(second)).toEqual(hashes(first));
  }, 180_000);
});
