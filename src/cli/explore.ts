import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { maxStepsDefault } from '../explore/actions.ts';
import {
  explore,
  exploreTimeMsDefault,
  findingKinds,
  type ExploreFinding,
  type ExploreProgress,
  type ExploreReport,
} from '../explore/explore.ts';
import {
  findingFileName,
  runCommandLine,
  scenarioSource,
  type FindingOrigin,
} from '../explore/write-scenario.ts';
import type { PspName } from '../fakes/common/psp-core.ts';
import { reconcileRun } from '../scenarios/check.ts';
import { runScenario } from '../scenarios/runner.ts';
import { concurrencyDefault } from '../scenarios/suite.ts';
import { wallClockMs } from '../sim/wall-clock.ts';
import { loopbackEnvironment, sharedTls } from '../transports/scenario-environment.ts';
import { loadScenarios } from './load-scenarios.ts';
import { sutSource, type SutSource, type SutSpec } from './sut-source.ts';
import { checkedTarget, parseTime } from './explore-target.ts';
import { UsageError, usageExitCode } from './usage-error.ts';

/** Where written scenarios go unless told otherwise. */
export const findingsDirDefault = 'fakepsp-findings';

/** Runs at once against an in-process SUT: most explored runs wait on an SDK's wall-clock backoff. */
export const exploreLanesInProcess = 16;

/** Options of `fakepsp explore`. */
export interface ExploreCommandOptions extends SutSpec {
  readonly pattern?: string;
  readonly psp?: string;
  readonly runs?: number;
  /** `60s`, `2m`, or seconds. */
  readonly time?: string;
  readonly seed?: number;
  readonly out?: string;
  readonly maxSteps?: number;
  /** A fast-check counterexample path to replay and shrink, instead of generating. */
  readonly path?: string;
  /** Most runs shrinking may take (0: write the first failure as found). */
  readonly shrinkRuns?: number;
  readonly quiet?: boolean;
}

/** What a finished exploration wrote, for the caller to print or assert on. */
export interface ExploreOutcome {
  readonly report: ExploreReport;
  readonly origin: FindingOrigin;
  /** The written scenario file (relative to the working directory), when there was a finding. */
  readonly file?: string;
  /** The break kinds the written file, run on its own, fails with (`undefined` if it could not be loaded). */
  readonly replayKinds?: readonly string[];
}

/** Runs `fakepsp explore`; resolves to the exit code: 1 on a finding, 0 on none, 2 on bad usage. */
export async function exploreCommand(options: ExploreCommandOptions, cwd: string): Promise<number> {
  try {
    const outcome = await runExplore(options, cwd);
    printOutcome(outcome);
    return outcome.report.finding === undefined ? 0 : 1;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(pc.red(error.message));
    return usageExitCode;
  }
}

/** Explores, writes the finding's scenario and runs that file once on its own to confirm it. */
export async function runExplore(options: ExploreCommandOptions, cwd: string): Promise<ExploreOutcome> {
  checkedTarget(options);
  const tls = await sharedTls();
  const source = await sutSource(options, cwd, { NODE_EXTRA_CA_CERTS: tls.caPath });
  const stopOnSignal = () => void source.close().then(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  try {
    await source.preflight();
    return await exploreSource(source, options, cwd);
  } finally {
    process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
    await source.close();
  }
}

/** {@link runExplore} against a billing system already chosen (the caller closes it). */
export async function exploreSource(
  source: SutSource,
  options: Omit<ExploreCommandOptions, keyof SutSpec> & Pick<SutSpec, 'concurrency'>,
  cwd: string,
): Promise<ExploreOutcome> {
  const { pattern, psp } = checkedTarget(options);
  const timeMs = options.time === undefined ? exploreTimeMsDefault : parseTime(options.time);
  // No seed given: one from the clock, printed with every finding so it can be given next time.
  const seed = options.seed ?? wallClockMs() % 2_147_483_647;
  const maxSteps = options.maxSteps ?? maxStepsDefault;
  const progress = progressLine(options.quiet === true);
  const origin: FindingOrigin = { pattern, psp, seed, maxSteps, sut: source.identity };
  try {
    const report = await explore({
      pattern,
      psp,
      seed,
      timeMs,
      maxSteps,
      ...(options.runs === undefined ? {} : { runs: options.runs }),
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.shrinkRuns === undefined ? {} : { shrinkRuns: options.shrinkRuns }),
      ...lanesOf(source, options.concurrency),
      execute: (scenario, lane, onSetup) =>
        runScenario(scenario, {
          sut: () => source.make(lane),
          environment: loopbackEnvironment,
          check: reconcileRun,
          psp,
          sutIdentity: source.identity,
          onSetup,
        }),
      onProgress: progress.update,
    });
    progress.stop();
    if (report.finding === undefined) return { report, origin };
    const written = await writeFinding(report.finding, origin, options.out ?? findingsDirDefault, cwd);
    const replayKinds = await replayFile(written, cwd, source, psp);
    return { report, origin, file: written, ...(replayKinds === undefined ? {} : { replayKinds }) };
  } finally {
    progress.stop();
  }
}

function lanesOf(source: SutSource, concurrency: number | undefined): { lanes: number; lanesMax: number } {
  if (source.kind === 'reference' || source.kind === 'module') {
    const lanes = concurrency ?? exploreLanesInProcess;
    return { lanes, lanesMax: lanes };
  }
  if (source.kind === 'url') return { lanes: 1, lanesMax: concurrency ?? concurrencyDefault };
  return { lanes: source.lanes, lanesMax: source.lanes };
}

/** Writes the scenario file; answers its path relative to `cwd`. */
export async function writeFinding(
  finding: ExploreFinding,
  origin: FindingOrigin,
  out: string,
  cwd: string,
): Promise<string> {
  const folder = resolve(cwd, out);
  await mkdir(folder, { recursive: true });
  const path = join(folder, findingFileName(finding, origin));
  const file = relative(cwd, path);
  await writeFile(path, scenarioSource(finding, origin, file));
  return file;
}

/** Runs the written file the way `fakepsp run` would, against the same SUT: its break kinds. */
async function replayFile(
  file: string,
  cwd: string,
  source: SutSource,
  psp: PspName,
): Promise<readonly string[] | undefined> {
  try {
    const [entry] = await loadScenarios([file], cwd);
    if (entry === undefined) return undefined;
    const result = await runScenario(entry.scenario, {
      sut: () => source.make(0),
      environment: loopbackEnvironment,
      check: reconcileRun,
      psp,
    });
    return findingKinds(result);
  } catch {
    return undefined;
  }
}

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function progressLine(quiet: boolean, stream: NodeJS.WriteStream = process.stderr) {
  let shownMs = 0;
  let last: ExploreProgress | undefined;
  // While running: the time left; the one line at the end off a terminal: the time taken.
  const text = (p: ExploreProgress, done = false) =>
    `explore ${p.phase === 'shrinking' ? `· shrinking (${counted(p.shrinkRuns, 'run')}) ` : ''}· ` +
    `${counted(p.runs, 'run')} · ${counted(p.commands, 'command')} · ${counted(p.findings, 'finding')} · ` +
    (done
      ? `${(p.elapsedMs / 1000).toFixed(1)} s`
      : `${Math.max(0, Math.round((p.budgetMs - p.elapsedMs) / 1000))} s left`);
  return {
    update: (progress: ExploreProgress) => {
      last = progress;
      if (quiet || stream.isTTY !== true || progress.elapsedMs - shownMs < 200) return;
      shownMs = progress.elapsedMs;
      stream.write(`\r\u001b[2K${pc.dim(text(progress))}`);
    },
    stop: () => {
      if (last === undefined || quiet) return;
      stream.write(stream.isTTY === true ? `\r\u001b[2K` : `${text(last, true)}\n`);
      last = undefined;
    },
  };
}

function shrinkSummary(finding: ExploreFinding, steps: number): string {
  if (finding.shrinkRuns === 0) return `not shrunk: ${steps} steps`;
  const cut =
    finding.shrinkCutBy === undefined
      ? ''
      : ` (cut short by --${finding.shrinkCutBy === 'time' ? 'time' : 'shrink-runs'})`;
  return `shrunk to ${steps} steps in ${finding.shrinkRuns} runs${cut}`;
}

function printOutcome(outcome: ExploreOutcome): void {
  const { report, origin } = outcome;
  const where = `${origin.pattern} · ${origin.psp}`;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const finding = report.finding;
  if (finding === undefined) {
    console.log(
      `${pc.green('✓')} explore [${where}] seed ${origin.seed}: no finding in ${counted(report.runs, 'run')} ` +
        `(${report.commands} commands, ${seconds(report.elapsedMs)}; stopped by ${report.stoppedBy})`,
    );
    return;
  }
  const steps = finding.records.filter((record) => record.skipped === undefined).length;
  const lines = [
    `${pc.red('✗')} explore [${where}] seed ${origin.seed}: ${pc.red(finding.kinds.join(', '))} after ` +
      `${finding.index + 1} sequences (${seconds(finding.foundAfterMs)}); ${shrinkSummary(finding, steps)}`,
    `    ${pc.dim('wrote:')} ${outcome.file}`,
    ...finding.result.findings.slice(0, 5).map((entry) => `    ${pc.red(entry.kind)}: ${entry.message}`),
    ...(finding.result.reason === undefined ? [] : [`    ${finding.result.reason}`]),
    `    ${pc.dim('replay:')} ${runCommandLine(outcome.file!, origin)}`,
    `    ${pc.dim('fast-check:')} { seed: ${origin.seed}, path: ${JSON.stringify(finding.path)} } ` +
      `(explore again with --seed ${origin.seed} --max-steps ${origin.maxSteps})`,
  ];
  if (
    outcome.replayKinds !== undefined &&
    !finding.kinds.some((kind) => outcome.replayKinds!.includes(kind))
  ) {
    lines.push(
      pc.yellow(
        `    the written file, run on its own, gave [${outcome.replayKinds.join(', ')}]: the run is not reproducible`,
      ),
    );
  }
  console.log(lines.join('\n'));
}
