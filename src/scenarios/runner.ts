import type { Scenario } from './define.ts';
import { RunInProgress } from './run-in-progress.ts';
import { seedDefault, type RunScenarioOptions, type ScenarioResult } from './run-types.ts';

export * from './run-types.ts';
export type { CheckInput, Checker, CheckOutcome, Finding } from './verdict.ts';

/**
 * Runs one scenario against one PSP: a fresh simulation and fakes, the SUT's setup, the
 * steps, a settle, the ledger export, and the checker's verdict.
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const seed = options.seed ?? scenario.seed ?? seedDefault;
  const run = new RunInProgress(scenario, options, seed, await options.environment({ seed }));
  try {
    const skipped = await run.setUp();
    if (skipped !== undefined) return run.finish('skipped', [], skipped);
    await run.drive();
    return await run.verdict();
  } catch (error) {
    return await run.failure(error);
  } finally {
    await run.close();
  }
}
