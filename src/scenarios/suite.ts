import type { PspName } from '../fakes/common/psp-core.ts';
import type { Scenario } from './define.ts';
import type { SetupResponse } from '../sut/contract.ts';
import { runScenario, type RunScenarioOptions, type RunSut, type ScenarioResult } from './runner.ts';

/** A scenario and the file it came from. */
export interface ScenarioEntry {
  readonly scenario: Scenario;
  readonly file?: string;
}

/** One unit of work: a scenario against one PSP. */
export interface PlannedRun {
  readonly entry: ScenarioEntry;
  readonly psp: PspName;
}

/** Most runs a suite executes at once; runs are independent simulations. */
export const concurrencyDefault = 8;

/** Expands scenarios over their PSPs, in a stable order, and keeps this shard's share (`i/n`). */
export function planRuns(
  entries: readonly ScenarioEntry[],
  shard?: { index: number; count: number },
): PlannedRun[] {
  const runs = entries.flatMap((entry) => entry.scenario.psps.map((psp) => ({ entry, psp })));
  if (shard === undefined) return runs;
  if (!(shard.count >= 1 && shard.index >= 1 && shard.index <= shard.count)) {
    throw new RangeError(`a shard is i/n with 1 <= i <= n, got ${shard.index}/${shard.count}`);
  }
  return runs.filter((_, position) => position % shard.count === shard.index - 1);
}

/** Parses `--shard 2/4`. */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new RangeError(`--shard takes i/n (e.g. 1/4), got '${text}'`);
  return { index: Number(match[1]), count: Number(match[2]) };
}

/** Options of {@link runSuite}. */
export type RunSuiteOptions = Omit<RunScenarioOptions, 'psp' | 'file' | 'sut' | 'onSetup'> & {
  /** The SUT for one run in lane `lane` (0-based): a lane may own a service process. */
  readonly sut: (lane: number) => Promise<RunSut> | RunSut;
  /** Most runs at once (default {@link concurrencyDefault}). */
  readonly concurrency?: number;
  /**
   * Runs at once until the service's `setup` answer declares `concurrentRuns`: 1 for one service
   * behind a URL, which keeps one state unless it says otherwise. Unset: `concurrency` lanes.
   */
  readonly lanesUntilDeclared?: number;
  readonly onResult?: (result: ScenarioResult, done: number, total: number) => void;
};

/**
 * Runs planned runs, `concurrency` at a time (or fewer, as the SUT allows), reporting each
 * result as it lands; results come back in plan order whatever order they finished in.
 */
export async function runSuite(
  runs: readonly PlannedRun[],
  options: RunSuiteOptions,
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = new Array<ScenarioResult>(runs.length);
  const lanesMax = Math.max(1, Math.min(options.concurrency ?? concurrencyDefault, runs.length));
  let next = 0;
  let done = 0;
  const lanes: Promise<void>[] = [];
  const worker = async (lane: number): Promise<void> => {
    while (next < runs.length) {
      const position = next++;
      const run = runs[position]!;
      const result = await runScenario(run.entry.scenario, {
        ...options,
        sut: () => options.sut(lane),
        psp: run.psp,
        ...(run.entry.file === undefined ? {} : { file: run.entry.file }),
        ...(options.lanesUntilDeclared === undefined ? {} : { onSetup: widen }),
      });
      results[position] = result;
      options.onResult?.(result, ++done, runs.length);
    }
  };
  const open = (count: number) => {
    while (lanes.length < Math.min(count, lanesMax)) lanes.push(worker(lanes.length));
  };
  // A service that keeps each run's state apart (by the fakepsp-run-id header) says how many it takes.
  const widen = (answer: SetupResponse) => {
    if (answer.concurrentRuns !== undefined) open(answer.concurrentRuns);
  };
  open(options.lanesUntilDeclared ?? lanesMax);
  for (let index = 0; index < lanes.length; index++) await lanes[index];
  return results;
}

/** The one summary line every report uses: `12 passed, 1 failed, 0 errored, 3 skipped (16 runs)`. */
export function summaryLine(results: readonly ScenarioResult[]): string {
  const counts = summarize(results);
  return `${counts.passed} passed, ${counts.failed} failed, ${counts.errored} errored, ${counts.skipped} skipped (${counts.total} runs)`;
}

/** Counts by status, for the summary line and the exit code. */
export function summarize(results: readonly ScenarioResult[]) {
  const count = (status: ScenarioResult['status']) =>
    results.filter((result) => result.status === status).length;
  return {
    total: results.length,
    passed: count('passed'),
    failed: count('failed'),
    errored: count('errored'),
    skipped: count('skipped'),
  };
}
