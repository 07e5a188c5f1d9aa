import { expect, it } from 'vitest';
import { loadScenarios } from '../cli/load-scenarios.ts';
import { reconcileRun } from '../scenarios/check.ts';
import { prettyReport } from '../scenarios/reporters/pretty.ts';
import { runScenario, type Checker } from '../scenarios/runner.ts';
import { planRuns, type ScenarioEntry } from '../scenarios/suite.ts';
import type { BillingSystem } from '../sut/contract.ts';
import { httpBillingSystem } from '../sut/http-binding.ts';
import { loopbackEnvironment } from '../transports/scenario-environment.ts';

/** Options of {@link scenarioTests}. */
export interface ScenarioTestsOptions {
  /** The billing system: an HTTP base URL speaking the binding, or a factory of a fresh one. */
  readonly sut: string | (() => BillingSystem | Promise<BillingSystem>);
  readonly seed?: number;
  readonly check?: Checker;
  /** Folder the globs are relative to (default: the process's working directory). */
  readonly cwd?: string;
}

/**
 * Makes one vitest test per scenario × PSP, for teams that run everything through vitest.
 * A failing test prints the checker's breaks and the command that replays the run.
 *
 * @example
 * // billing.scenarios.test.ts
 * import { scenarioTests } from 'fakepsp/vitest';
 * await scenarioTests('scenarios/**\/*.scenario.ts', { sut: 'http://127.0.0.1:4000' });
 */
export async function scenarioTests(
  scenarios: string | readonly string[] | readonly ScenarioEntry[],
  options: ScenarioTestsOptions,
): Promise<void> {
  const entries =
    typeof scenarios === 'string' || typeof scenarios[0] === 'string'
      ? await loadScenarios(
          typeof scenarios === 'string' ? [scenarios] : (scenarios as string[]),
          options.cwd ?? process.cwd(),
        )
      : (scenarios as readonly ScenarioEntry[]);
  const sut =
    typeof options.sut === 'string'
      ? (
          (url: string) => () =>
            httpBillingSystem(url)
        )(options.sut)
      : options.sut;
  for (const { entry, psp } of planRuns(entries)) {
    it(`${entry.scenario.name} [${entry.scenario.pattern} · ${psp}]`, async (context) => {
      const result = await runScenario(entry.scenario, {
        sut,
        environment: loopbackEnvironment,
        check: options.check ?? reconcileRun,
        psp,
        ...(entry.file === undefined ? {} : { file: entry.file }),
        ...(options.seed === undefined ? {} : { seed: options.seed }),
      });
      if (result.status === 'skipped') {
        context.skip(result.reason);
        return;
      }
      expect(result.status, prettyReport([result])).toBe('passed');
    });
  }
}
