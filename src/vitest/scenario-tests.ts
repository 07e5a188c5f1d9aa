import type { SutIdentity } from '../scenarios/run-identity.ts';
import { afterAll, expect, it } from 'vitest';
import { loadScenarioFiles } from '../cli/load-scenarios.ts';
import { reconcileRun } from '../scenarios/check.ts';
import { prettyReport } from '../scenarios/reporters/pretty.ts';
import { runScenario, type Checker, type RunSut } from '../scenarios/runner.ts';
import { planRuns, type ScenarioEntry } from '../scenarios/suite.ts';
import { commandSutPool } from '../sut/command-sut.ts';
import type { BillingSystem } from '../sut/contract.ts';
import { httpBillingSystem } from '../sut/http-binding.ts';
import { loopbackEnvironment } from '../transports/scenario-environment.ts';

/** Options of {@link scenarioTests}: the billing system is `sut` or `sutCmd`. */
export interface ScenarioTestsOptions {
  /** The billing system: an HTTP base URL speaking the binding, or a factory of a fresh one. */
  readonly sut?: string | (() => BillingSystem | Promise<BillingSystem>);
  /** Or a shell command that starts it (`{port}` replaced, `PORT` set): a fresh process per test. */
  readonly sutCmd?: string;
  /** Seconds a started service gets to answer (default 30). */
  readonly sutReadyTimeout?: number;
  /** Seconds one call to the service may take (default 30). */
  readonly sutTimeout?: number;
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
 * await scenarioTests('scenarios/**\/*.scenario.ts', { sutCmd: 'node server.js' });
 */
export async function scenarioTests(
  scenarios: string | readonly string[] | readonly ScenarioEntry[],
  options: ScenarioTestsOptions,
): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const globs =
    typeof scenarios === 'string'
      ? [scenarios]
      : typeof scenarios[0] === 'string'
        ? (scenarios as string[])
        : [];
  const loaded = globs.length > 0 ? await loadScenarioFiles(globs, cwd) : undefined;
  for (const problem of loaded?.problems ?? []) {
    it(`fakepsp scenario file ${problem.file}`, () => {
      throw new Error(problem.message);
    });
  }
  const entries = loaded?.entries ?? (scenarios as readonly ScenarioEntry[]);
  if (entries.length === 0 && (loaded?.problems.length ?? 0) === 0) {
    it(`fakepsp scenarios ${globs.join(' ')}`, () => {
      throw new Error(`no scenario matched ${globs.join(' ') || 'the list given'} (from ${cwd})`);
    });
    return;
  }
  const sut = sutOf(options, cwd);
  const sutIdentity = identityOf(options);
  for (const { entry, psp } of planRuns(entries)) {
    it(`${entry.scenario.name} [${entry.scenario.pattern} · ${psp}]`, async (context) => {
      const result = await runScenario(entry.scenario, {
        sut,
        environment: loopbackEnvironment,
        check: options.check ?? reconcileRun,
        psp,
        sutIdentity,
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

/** What names the service in a failure's replay line. */
function identityOf(options: ScenarioTestsOptions): SutIdentity {
  if (options.sutCmd !== undefined) return { kind: 'command', command: options.sutCmd, reuse: false };
  return typeof options.sut === 'string' ? { kind: 'url', url: options.sut } : { kind: 'factory' };
}

function sutOf(options: ScenarioTestsOptions, cwd: string): () => RunSut | Promise<RunSut> {
  const timeoutMs = options.sutTimeout === undefined ? {} : { timeoutMs: options.sutTimeout * 1000 };
  if (options.sutCmd !== undefined) {
    if (options.sut !== undefined) throw new Error('scenarioTests takes sut or sutCmd, not both');
    const pool = commandSutPool({
      command: options.sutCmd,
      cwd,
      env: process.env,
      ...(options.sutReadyTimeout === undefined ? {} : { readyTimeoutMs: options.sutReadyTimeout * 1000 }),
      ...(timeoutMs.timeoutMs === undefined ? {} : { callTimeoutMs: timeoutMs.timeoutMs }),
    });
    afterAll(() => pool.close());
    // vitest runs a file's tests one after another: one lane.
    return () => pool.acquire(0);
  }
  const { sut } = options;
  if (sut === undefined) throw new Error('scenarioTests needs sut (a URL or a factory) or sutCmd');
  return typeof sut === 'string' ? () => httpBillingSystem(sut, timeoutMs) : sut;
}
