import { it } from 'vitest';
import { exploreSource, type ExploreOutcome } from '../cli/explore.ts';
import { parseTime } from '../cli/explore-target.ts';
import { sutSource, type SutSource } from '../cli/sut-source.ts';
import { exploreTimeMsDefault } from '../explore/explore.ts';
import { runCommandLine } from '../explore/write-scenario.ts';
import type { PspName } from '../fakes/common/psp-core.ts';
import type { BillingSystem, IntegrationPattern } from '../sut/contract.ts';
import { sharedTls } from '../transports/scenario-environment.ts';

/** Options of {@link exploreTest}: the billing system is `sut` or `sutCmd`, as for `fakepsp explore`. */
export interface ExploreTestOptions {
  /** An HTTP base URL, a module path, `reference` (with `mutant`), or a factory of a fresh system per run. */
  readonly sut?: string | (() => BillingSystem | Promise<BillingSystem>);
  /** Or a shell command that starts the service (`{port}` replaced, `PORT` set). */
  readonly sutCmd?: string;
  /** With `sutCmd`: one process per lane, reset by `setup`, instead of a fresh one per run. */
  readonly sutReuse?: boolean;
  readonly sutReadyTimeout?: number;
  readonly sutTimeout?: number;
  /** A seeded bug of the reference service (with `sut` unset or `reference`). */
  readonly mutant?: string;
  readonly pattern: IntegrationPattern;
  readonly psp: PspName;
  /** Most sequences to generate. */
  readonly runs?: number;
  /** Wall-clock budget (default `60s`). */
  readonly time?: string;
  /** Default 42, so CI explores the same sequences each time; change it to explore others. */
  readonly seed?: number;
  readonly maxSteps?: number;
  /** Most runs shrinking may take (0: the first failure as found). */
  readonly shrinkRuns?: number;
  /** Where the scenario file of a finding is written (default `fakepsp-findings`). */
  readonly out?: string;
  readonly concurrency?: number;
  /** Folder paths are relative to (default: the process's working directory). */
  readonly cwd?: string;
  /** The test's name (default `explore <pattern> · <psp> (seed N)`). */
  readonly name?: string;
}

/** The seed {@link exploreTest} explores with unless told otherwise. */
export const exploreTestSeedDefault = 42;

/** What the test waits for beyond the budget: starting the fakes and replaying the written file. */
const testSlackMs = 60_000;

/**
 * Makes one vitest test that explores the billing system with generated sequences of actions,
 * PSP-side events and faults, and fails with the written scenario's path, its breaks and the
 * command that replays it.
 *
 * @example
 * import { exploreTest } from 'fakepsp/vitest';
 * exploreTest({ sutCmd: 'node server.js', pattern: 'byo-stripe', psp: 'stripe', time: '30s' });
 */
export function exploreTest(options: ExploreTestOptions): void {
  const seed = options.seed ?? exploreTestSeedDefault;
  const name = options.name ?? `explore ${options.pattern} · ${options.psp} (seed ${seed})`;
  const timeMs = options.time === undefined ? exploreTimeMsDefault : parseTime(options.time);
  it(name, { timeout: timeMs + testSlackMs }, () => exploreOrThrow(options));
}

/** What {@link exploreTest}'s test runs: resolves when nothing is found, else throws the finding. */
export async function exploreOrThrow(options: ExploreTestOptions): Promise<void> {
  const seed = options.seed ?? exploreTestSeedDefault;
  const cwd = options.cwd ?? process.cwd();
  const source = await sourceOf(options, cwd);
  let outcome: ExploreOutcome;
  try {
    await source.preflight();
    outcome = await exploreSource(source, { ...options, seed, quiet: true }, cwd);
  } finally {
    await source.close();
  }
  const finding = outcome.report.finding;
  if (finding === undefined) return;
  const lines = [
    `explore found ${finding.kinds.join(', ')} after ${finding.index + 1} sequences; wrote ${outcome.file}`,
    ...finding.result.findings.map((entry) => `  ${entry.kind}: ${entry.message}`),
    ...(finding.result.reason === undefined ? [] : [`  ${finding.result.reason}`]),
    `  replay: ${runCommandLine(outcome.file!, outcome.origin)}`,
    `  fast-check: { seed: ${seed}, path: ${JSON.stringify(finding.path)} }`,
  ];
  throw new Error(lines.join('\n'));
}

async function sourceOf(options: ExploreTestOptions, cwd: string): Promise<SutSource> {
  const { sut } = options;
  if (typeof sut === 'function') {
    if (options.sutCmd !== undefined) throw new Error('exploreTest takes sut or sutCmd, not both');
    return {
      kind: 'module',
      make: async () => sut(),
      lanes: options.concurrency ?? 16,
      identity: { kind: 'factory' },
      preflight: async () => undefined,
      close: async () => undefined,
    };
  }
  const tls = await sharedTls();
  return sutSource(
    {
      ...(sut === undefined ? {} : { sut }),
      ...(options.sutCmd === undefined ? {} : { sutCmd: options.sutCmd }),
      ...(options.sutReuse === undefined ? {} : { sutReuse: options.sutReuse }),
      ...(options.sutReadyTimeout === undefined ? {} : { sutReadyTimeout: options.sutReadyTimeout }),
      ...(options.sutTimeout === undefined ? {} : { sutTimeout: options.sutTimeout }),
      ...(options.mutant === undefined ? {} : { mutant: options.mutant }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    },
    cwd,
    { NODE_EXTRA_CA_CERTS: tls.caPath },
  );
}
