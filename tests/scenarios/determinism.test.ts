import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/cli/load-scenarios.ts';
import { createReferenceBillingSystem } from '../../src/reference/index.ts';
import { reconcileRun } from '../../src/scenarios/check.ts';
import { planRuns, runSuite } from '../../src/scenarios/suite.ts';
import { loopbackEnvironment, loopbackEnvironmentWith } from '../../src/transports/scenario-environment.ts';

const root = join(import.meta.dirname, '..', '..');

// Same seed, same journal: whatever ports the sockets got and however the lanes interleaved.
describe('the shipped library is deterministic', () => {
  // The second run also has every fake keep every object in its spill file (as a long `serve`
  // does past 10,000 of a kind), reading back all but the one it last touched: a field
  // the file lost, or a read that differed, would change a hash. Its fakes also leave their state
  // unfrozen, as `serve`'s do: a handler that edited stored state would throw in the first run.
  it('gives every run the same journal hash twice over, with different lanes and a spilled store', async () => {
    const runs = planRuns(await loadScenarios([], root));
    const library = (concurrency: number, environment = loopbackEnvironment) =>
      runSuite(runs, {
        sut: async () => createReferenceBillingSystem(),
        environment,
        check: reconcileRun,
        concurrency,
      });
    const first = await library(8);
    const second = await library(
      3,
      loopbackEnvironmentWith({ spill: { after: 0, recent: 1 }, freezeState: false }),
    );
    expect(first.length).toBeGreaterThan(100);
    expect(first.every((result) => result.status === 'passed')).toBe(true);
    const hashes = (results: typeof first) =>
      results.map((result) => `${result.scenario} [${result.psp}] ${result.journalHash}`);
    expect(hashes(second)).toEqual(hashes(first));
  }, 180_000);
});
