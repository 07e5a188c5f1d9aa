import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pc from 'picocolors';
import { reconcileRun } from '../scenarios/check.ts';
import { htmlReport } from '../scenarios/reporters/html.ts';
import { jsonReport } from '../scenarios/reporters/json.ts';
import { junitReport } from '../scenarios/reporters/junit.ts';
import { prettyReport } from '../scenarios/reporters/pretty.ts';
import { createProgress } from './progress.ts';
import type { ScenarioResult } from '../scenarios/runner.ts';
import {
  parseShard,
  planRuns,
  runSuite,
  summarize,
  type PlannedRun,
  type ScenarioEntry,
} from '../scenarios/suite.ts';
import { loopbackEnvironment, sharedTls } from '../transports/scenario-environment.ts';
import type { RunCommandOptions } from './run-options.ts';
import { sutSource, type SutSource } from './sut-source.ts';
import { UsageError, usageExitCode } from './usage-error.ts';
import { loadScenarioFiles } from './load-scenarios.ts';
import { runInWorkers } from './worker-pool.ts';

export type { ReporterName, RunCommandOptions } from './run-options.ts';

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
  try {
    return await runPlanned(paths, options, cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(pc.red(error.message));
    return usageExitCode;
  }
}

async function runPlanned(
  paths: readonly string[],
  options: RunCommandOptions,
  cwd: string,
): Promise<number> {
  if (options.reporter.length > 1 && options.out === undefined)
    throw new UsageError(
      `--reporter ${options.reporter.join(',')} needs --out DIR: several reports would mix on stdout`,
    );
  // The local CA exists before any service starts, so a --sut-cmd process can be told to trust it.
  const tls = await sharedTls();
  const source = await sutSource(options, cwd, { NODE_EXTRA_CA_CERTS: tls.caPath });
  const stopOnSignal = () => void source.close().then(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  try {
    // A service that is not there is the first thing to say, before any scenario is loaded.
    await source.preflight();
    const loaded = await loadScenarioFiles(paths, cwd);
    for (const problem of loaded.problems) console.error(pc.red(`✗ ${problem.message}`));
    if (loaded.shipped) console.error(pc.dim(`no ./scenarios here: running fakepsp's shipped library`));
    const entries = selectEntries(loaded.entries, options);
    if (entries.length === 0) {
      if (loaded.problems.length > 0) return 1;
      console.error(pc.red(`no scenario matched${filtersOf(options)}`));
      return usageExitCode;
    }
    const runs = planRuns(entries, options.shard === undefined ? undefined : parseShard(options.shard));
    const started = process.hrtime.bigint();
    const results = await runWith(source, runs, paths, cwd, options);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await writeReports(results, options);
    console.error(pc.dim(`${results.length} runs in ${seconds.toFixed(1)} s`));
    return verdict(results, loaded.problems.length);
  } finally {
    process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
    await source.close();
  }
}

const filtersOf = (options: RunCommandOptions) =>
  [
    options.scenario === undefined ? '' : ` --scenario ${JSON.stringify(options.scenario)}`,
    options.psp === undefined ? '' : ` --psp ${options.psp}`,
  ].join('');

/** The exit code: 1 when a run failed, a file did not load, or nothing was tested at all. */
function verdict(results: readonly ScenarioResult[], problems: number): number {
  const counts = summarize(results);
  if (counts.failed + counts.errored > 0 || problems > 0) return 1;
  if (counts.skipped === counts.total) {
    const reasons = new Map<string, number>();
    for (const result of results)
      reasons.set(result.reason ?? 'skipped', (reasons.get(result.reason ?? 'skipped') ?? 0) + 1);
    console.error(pc.red(`every run was skipped, so nothing was tested:`));
    for (const [reason, count] of reasons) console.error(pc.red(`  ${count} × ${reason}`));
    return 1;
  }
  return 0;
}

async function runWith(
  source: SutSource,
  runs: readonly PlannedRun[],
  paths: readonly string[],
  cwd: string,
  options: RunCommandOptions,
): Promise<ScenarioResult[]> {
  const progress = createProgress({ quiet: options.quiet === true });
  const onResult = (result: ScenarioResult, done: number, total: number) =>
    progress.onResult(result, done, total);
  // Worker threads pay off on machines with cores to spare; on two cores one thread with async
  // lanes measured faster (15 s against 17 s for the library), so it is the default. A service in
  // another process gets nothing from threads: it runs in the main one.
  const inProcess = source.kind === 'reference' || source.kind === 'module';
  const workers = inProcess
    ? Math.max(1, Math.min(options.workers ?? 1, availableParallelism() * 2, runs.length))
    : 1;
  try {
    return workers === 1
      ? await runSuite(runs, {
          sut: (lane) => source.make(lane),
          environment: loopbackEnvironment,
          check: reconcileRun,
          concurrency: source.lanes,
          ...(source.lanesUntilDeclared === undefined
            ? {}
            : { lanesUntilDeclared: source.lanesUntilDeclared }),
          sutIdentity: source.identity,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          onResult,
        })
      : await runInWorkers(
          paths,
          cwd,
          options,
          { total: runs.length, workers, lanes: Math.max(1, Math.ceil(source.lanes / workers)) },
          onResult,
        );
  } finally {
    progress.stop();
  }
}

async function writeReports(results: readonly ScenarioResult[], options: RunCommandOptions): Promise<void> {
  const render = { pretty: prettyReport, json: jsonReport, junit: junitReport, html: htmlReport } as const;
  const extension = { pretty: 'txt', json: 'json', junit: 'xml', html: 'html' } as const;
  if (options.out === undefined) {
    process.stdout.write(render[options.reporter[0] ?? 'pretty'](results));
    return;
  }
  await mkdir(options.out, { recursive: true });
  const written: string[] = [];
  for (const reporter of options.reporter) {
    const file = join(options.out, `fakepsp-report.${extension[reporter]}`);
    await writeFile(file, render[reporter](results));
    written.push(file);
  }
  const failing = results.filter((entry) => entry.status === 'failed' || entry.status === 'errored');
  for (const result of failing) {
    const name = `${result.scenario.replace(/\W+/g, '-')}.${result.psp}.journal.jsonl`;
    await writeFile(
      join(options.out, name),
      result.journal.map((record) => JSON.stringify(record)).join('\n'),
    );
  }
  // The reports are in files; the terminal still gets the table, the breaks and where to look.
  process.stdout.write(prettyReport(results));
  process.stdout.write(`${written.map((file) => `report: ${file}`).join('\n')}\n`);
  if (failing.length > 0)
    process.stdout.write(`journals of the ${failing.length} failing run(s): ${options.out}\n`);
}
