import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import type { PspName } from '../fakes/common/psp-core.ts';
import { createReferenceBillingSystem, mutantNames, type MutantName } from '../reference/index.ts';
import { reconcileRun } from '../scenarios/check.ts';
import { htmlReport } from '../scenarios/reporters/html.ts';
import { jsonReport } from '../scenarios/reporters/json.ts';
import { junitReport } from '../scenarios/reporters/junit.ts';
import { prettyReport } from '../scenarios/reporters/pretty.ts';
import { createProgress } from './progress.ts';
import type { ScenarioResult } from '../scenarios/runner.ts';
import {
  concurrencyDefault,
  parseShard,
  planRuns,
  runSuite,
  summarize,
  type ScenarioEntry,
} from '../scenarios/suite.ts';
import type { BillingSystem } from '../sut/contract.ts';
import { httpBillingSystem } from '../sut/http-binding.ts';
import { loopbackEnvironment } from '../transports/scenario-environment.ts';
import { loadScenarios } from './load-scenarios.ts';
import { runInWorkers } from './worker-pool.ts';

export type ReporterName = 'pretty' | 'json' | 'junit' | 'html';

/** Options of `fakepsp run`. */
export interface RunCommandOptions {
  readonly sut?: string;
  readonly mutant?: string;
  readonly seed?: number;
  readonly shard?: string;
  readonly reporter: readonly ReporterName[];
  readonly out?: string;
  readonly scenario?: string;
  readonly psp?: PspName;
  readonly concurrency?: number;
  /** Worker threads; 1 (the default) runs everything in this thread. */
  readonly workers?: number;
  readonly quiet?: boolean;
}

/**
 * Chooses the SUT: an HTTP base URL speaking the binding, a module exporting
 * `createBillingSystem()` (or a default), or — by default — the reference billing service.
 */
export async function sutFactory(
  spec: string | undefined,
  mutant: string | undefined,
): Promise<() => Promise<BillingSystem>> {
  if (mutant !== undefined && !mutantNames.includes(mutant as MutantName)) {
    throw new Error(`no mutant '${mutant}' (known: ${mutantNames.join(', ')})`);
  }
  if (spec === undefined || spec === 'reference') {
    return async () =>
      createReferenceBillingSystem(mutant === undefined ? {} : { mutant: mutant as MutantName });
  }
  if (/^https?:\/\//.test(spec)) return async () => httpBillingSystem(spec);
  const module = (await import(pathToFileURL(resolve(spec)).href)) as Record<string, unknown>;
  const make = module.createBillingSystem ?? module.default;
  if (typeof make !== 'function')
    throw new Error(`${spec} exports no createBillingSystem() (nor a default function)`);
  return async () => (await (make as () => BillingSystem | Promise<BillingSystem>)()) as BillingSystem;
}

/** Filters loaded scenarios by `--scenario` and `--psp`. */
export function selectEntries(
  entries: readonly ScenarioEntry[],
  options: Pick<RunCommandOptions, 'scenario' | 'psp'>,
): ScenarioEntry[] {
  return entries
    .filter((entry) => options.scenario === undefined || entry.scenario.name === options.scenario)
    .map((entry) =>
      options.psp === undefined
        ? entry
        : {
            ...entry,
            scenario: { ...entry.scenario, psps: entry.scenario.psps.filter((psp) => psp === options.psp) },
          },
    )
    .filter((entry) => entry.scenario.psps.length > 0);
}

/** Runs `fakepsp run`; resolves to the process exit code (non-zero when any run fails). */
export async function runCommand(
  paths: readonly string[],
  options: RunCommandOptions,
  cwd: string,
): Promise<number> {
  const entries = selectEntries(await loadScenarios(paths, cwd), options);
  if (entries.length === 0) {
    console.error(pc.red('no scenario matched'));
    return 2;
  }
  const runs = planRuns(entries, options.shard === undefined ? undefined : parseShard(options.shard));
  const started = process.hrtime.bigint();
  const progress = createProgress({ quiet: options.quiet === true });
  const onResult = (result: ScenarioResult, done: number, total: number) =>
    progress.onResult(result, done, total);
  const concurrency = options.concurrency ?? concurrencyDefault;
  // Worker threads pay off on machines with cores to spare; on two cores one thread with async
  // lanes measured faster (15 s against 17 s for the library), so it is the default.
  const workers = Math.max(1, Math.min(options.workers ?? 1, availableParallelism() * 2, runs.length));
  const results =
    workers === 1
      ? await runSuite(runs, {
          sut: await sutFactory(options.sut, options.mutant),
          environment: loopbackEnvironment,
          check: reconcileRun,
          concurrency,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          onResult,
        })
      : await runInWorkers(
          paths,
          cwd,
          options,
          { total: runs.length, workers, lanes: Math.max(1, Math.ceil(concurrency / workers)) },
          onResult,
        );
  progress.stop();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await writeReports(results, options);
  console.error(pc.dim(`${results.length} runs in ${seconds.toFixed(1)} s`));
  const counts = summarize(results);
  return counts.failed + counts.errored > 0 ? 1 : 0;
}

async function writeReports(results: readonly ScenarioResult[], options: RunCommandOptions): Promise<void> {
  const render = { pretty: prettyReport, json: jsonReport, junit: junitReport, html: htmlReport } as const;
  const extension = { pretty: 'txt', json: 'json', junit: 'xml', html: 'html' } as const;
  if (options.out !== undefined) await mkdir(options.out, { recursive: true });
  for (const reporter of options.reporter) {
    const text = render[reporter](results);
    if (options.out === undefined) process.stdout.write(text);
    else await writeFile(join(options.out, `fakepsp-report.${extension[reporter]}`), text);
  }
  if (options.out !== undefined) {
    for (const result of results.filter((entry) => entry.status === 'failed' || entry.status === 'errored')) {
      const name = `${result.scenario.replace(/\W+/g, '-')}.${result.psp}.journal.jsonl`;
      await writeFile(
        join(options.out, name),
        result.journal.map((record) => JSON.stringify(record)).join('\n'),
      );
    }
  }
}
