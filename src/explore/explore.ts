import fc from 'fast-check';
import type { PspName } from '../fakes/common/psp-core.ts';
import type { Scenario } from '../scenarios/define.ts';
import type { ScenarioResult } from '../scenarios/runner.ts';
import type { IntegrationPattern, SetupResponse } from '../sut/contract.ts';
import { wallClockMs, wallClockSleep } from '../sim/wall-clock.ts';
export { findingKinds, shrinkRunsMax } from './shrink.ts';
import { maxStepsDefault, sequenceArbitrary, type Sequence } from './actions.ts';
import type { StepRecord } from './interpret.ts';
import { exploredScenario } from './scenario-of.ts';
import { findingKinds, shrink, type Attempt, type Run } from './shrink.ts';
import { vocabularyOf } from './vocabulary.ts';

/** Wall-clock budget of an exploration unless told otherwise (`--time`). */
export const exploreTimeMsDefault = 60_000;

/** How long in-flight runs may outlive the budget before they are abandoned. */
const graceMs = 1_000;

/** What an exploration runs against and within what budget. */
export interface ExploreOptions {
  readonly pattern: IntegrationPattern;
  readonly psp: PspName;
  /** fast-check's seed, and the seed every explored run's simulation uses. */
  readonly seed: number;
  /** Most sequences to generate (default: as many as the time allows). */
  readonly runs?: number;
  /** Wall-clock budget for exploring and shrinking together (default {@link exploreTimeMsDefault}). */
  readonly timeMs?: number;
  readonly maxSteps?: number;
  /** Runs at once until the service says how many it takes (`concurrentRuns`). */
  readonly lanes: number;
  /** Most runs at once once the service declared `concurrentRuns` (default `lanes`). */
  readonly lanesMax?: number;
  /** Replays one fast-check counterexample path (`3:0:1`) instead of generating sequences. */
  readonly path?: string;
  /** Most runs shrinking may take (default {@link shrinkRunsMax}; 0 keeps the first failure as found). */
  readonly shrinkRuns?: number;
  /** Runs one scenario in a lane (0-based) and tells of the service's `setup` answer. */
  execute(
    scenario: Scenario,
    lane: number,
    onSetup: (answer: SetupResponse) => void,
  ): Promise<ScenarioResult>;
  onProgress?(progress: ExploreProgress): void;
}

export interface ExploreProgress {
  readonly phase: 'exploring' | 'shrinking';
  readonly runs: number;
  readonly commands: number;
  readonly findings: number;
  readonly shrinkRuns: number;
  readonly elapsedMs: number;
  readonly budgetMs: number;
}

/** A failing run, shrunk as far as the budget allowed. */
export interface ExploreFinding {
  readonly sequence: Sequence;
  readonly result: ScenarioResult;
  readonly records: readonly StepRecord[];
  /** The break kinds of the shrunk run (`errored` for a run that errored). */
  readonly kinds: readonly string[];
  /** The break kinds of the first failing run, before shrinking. */
  readonly firstKinds: readonly string[];
  /** Which generated sequence failed first (0-based). */
  readonly index: number;
  /** fast-check's counterexample path of the shrunk sequence: `fc.assert(…, { seed, path })` replays it. */
  readonly path: string;
  readonly foundAfterMs: number;
  readonly shrinkRuns: number;
  /** What stopped shrinking before fast-check had tried every smaller candidate, if anything. */
  readonly shrinkCutBy?: 'time' | 'runs';
}

export interface ExploreReport {
  readonly runs: number;
  readonly commands: number;
  readonly elapsedMs: number;
  readonly finding?: ExploreFinding;
  /** Why generation stopped. */
  readonly stoppedBy: 'finding' | 'runs' | 'time';
}

/**
 * Property-based fault exploration: fast-check generates sequences of customer actions,
 * PSP-side events and armed faults; each runs once through the scenario runner (fresh fakes,
 * the service's `setup`, the sequence, settle, the checker). The first failing sequence, in
 * generation order whatever the lanes, is shrunk by fast-check to the smallest sequence that
 * still fails with one of its break kinds.
 */
export async function explore(options: ExploreOptions): Promise<ExploreReport> {
  const startMs = wallClockMs();
  const budgetMs = options.timeMs ?? exploreTimeMsDefault;
  const deadlineMs = startMs + budgetMs;
  const maxSteps = options.maxSteps ?? maxStepsDefault;
  const arbitrary = sequenceArbitrary(vocabularyOf(options.pattern, options.psp), maxSteps);
  const counters = { runs: 0, commands: 0, findings: 0, shrinkRuns: 0 };
  const progress = (phase: ExploreProgress['phase']) =>
    options.onProgress?.({ phase, ...counters, elapsedMs: wallClockMs() - startMs, budgetMs });
  const attempt = attemptOf(options);

  let first: { index: number; attempt?: Attempt; atMs: number } | undefined;
  let stoppedBy: ExploreReport['stoppedBy'] = 'finding';
  if (options.path === undefined) {
    const outcome = await generate(options, arbitrary, deadlineMs, attempt, counters, () =>
      progress('exploring'),
    );
    first = outcome.first;
    stoppedBy = outcome.stoppedBy;
  } else {
    first = await replayPath(options.path, options.seed, arbitrary, attempt, counters);
    stoppedBy = first === undefined ? 'runs' : 'finding';
    progress('exploring');
  }
  const report = (finding?: ExploreFinding): ExploreReport => ({
    runs: counters.runs,
    commands: counters.commands,
    elapsedMs: wallClockMs() - startMs,
    stoppedBy,
    ...(finding === undefined ? {} : { finding }),
  });
  if (first === undefined) return report();
  const firstKinds = first.attempt === undefined ? undefined : findingKinds(first.attempt.result);
  const shrunk = await shrink(
    { ...options, arbitrary, index: first.index, kinds: firstKinds, deadlineMs },
    attempt,
    counters,
    () => progress('shrinking'),
  );
  const best =
    shrunk.best ??
    (first.attempt === undefined
      ? undefined
      : { attempt: first.attempt, path: options.path ?? String(first.index) });
  if (best === undefined) return report();
  const kinds = findingKinds(best.attempt.result);
  return report({
    sequence: best.attempt.sequence,
    result: best.attempt.result,
    records: best.attempt.records,
    kinds,
    firstKinds: firstKinds ?? kinds,
    index: first.index,
    path: best.path,
    foundAfterMs: first.atMs,
    shrinkRuns: counters.shrinkRuns,
    ...(shrunk.cutBy === undefined ? {} : { shrinkCutBy: shrunk.cutBy }),
  });
}

/**
 * Runs the one sequence a fast-check path names (`930:0:1` is run 930 shrunk twice), counted as
 * an exploration run: its break kinds, if any, are the finding to shrink further.
 */
async function replayPath(
  path: string,
  seed: number,
  arbitrary: fc.Arbitrary<Sequence>,
  run: Run,
  counters: { runs: number; commands: number; findings: number },
): Promise<{ index: number; attempt: Attempt; atMs: number } | undefined> {
  const index = Number(path.split(':')[0]);
  if (!Number.isSafeInteger(index) || index < 0)
    throw new RangeError(`a fast-check path starts with a run index, got '${path}'`);
  let sequence: Sequence | undefined;
  // fast-check walks the path to its value without running the property on the way; failing
  // there, with endOnFailure, stops it before it tries the value's shrink siblings.
  fc.check(
    fc.property(arbitrary, (value) => {
      sequence ??= value;
      return false;
    }),
    { seed, path, numRuns: 1, endOnFailure: true },
  );
  if (sequence === undefined) throw new RangeError(`the fast-check path '${path}' names no sequence`);
  const started = wallClockMs();
  const done = await run(sequence, `explore #${index} (--path ${path})`, 0);
  counters.runs++;
  counters.commands += done.commands;
  if (findingKinds(done.result).length === 0) return undefined;
  counters.findings++;
  return { index, attempt: done, atMs: wallClockMs() - started };
}

function generated(arbitrary: fc.Arbitrary<Sequence>, seed: number, count: number): Sequence[] {
  const values: Sequence[] = [];
  fc.check(
    fc.property(arbitrary, (value) => {
      values.push(value);
      return true;
    }),
    { seed, numRuns: count },
  );
  return values;
}

/** Runs generated sequences in lanes until the first finding, the run budget or the deadline. */
async function generate(
  options: ExploreOptions,
  arbitrary: fc.Arbitrary<Sequence>,
  deadlineMs: number,
  run: Run,
  counters: { runs: number; commands: number; findings: number },
  onProgress: () => void,
): Promise<{
  first?: { index: number; attempt: Attempt; atMs: number };
  stoppedBy: ExploreReport['stoppedBy'];
}> {
  const startMs = wallClockMs();
  const runsMax = options.runs ?? Number.POSITIVE_INFINITY;
  let values: Sequence[] = [];
  let next = 0;
  let first: { index: number; attempt: Attempt; atMs: number } | undefined;
  let stoppedBy: ExploreReport['stoppedBy'] = 'runs';
  let durationSumMs = 0;
  // Set once the deadline has passed: a run still going is abandoned and tells nobody.
  let closed = false;
  const fits = () => {
    const meanMs = counters.runs === 0 ? 0 : durationSumMs / counters.runs;
    return wallClockMs() + meanMs < deadlineMs;
  };
  const lanes: Array<Promise<void>> = [];
  const lane = async (id: number): Promise<void> => {
    for (;;) {
      if (closed || (first !== undefined && next > first.index)) return;
      if (next >= runsMax) return;
      if (!fits()) {
        stoppedBy = 'time';
        return;
      }
      const index = next++;
      if (index >= values.length)
        values = generated(arbitrary, options.seed, Math.max(64, 2 * values.length, index + 1));
      const began = wallClockMs();
      const done = await run(values[index]!, `explore #${index}`, id, widen);
      if (closed) return;
      durationSumMs += wallClockMs() - began;
      counters.runs++;
      counters.commands += done.commands;
      if (findingKinds(done.result).length > 0) {
        counters.findings++;
        if (first === undefined || index < first.index)
          first = { index, attempt: done, atMs: wallClockMs() - startMs };
      }
      onProgress();
    }
  };
  const open = (count: number) => {
    while (lanes.length < count) lanes.push(lane(lanes.length));
  };
  const widen = (answer: SetupResponse) => {
    if (answer.concurrentRuns !== undefined)
      open(Math.min(answer.concurrentRuns, options.lanesMax ?? options.lanes));
  };
  open(Math.max(1, options.lanes));
  await untilDeadline(async () => {
    for (let at = 0; at < lanes.length; at++) await lanes[at];
  }, deadlineMs);
  closed = true;
  if (first !== undefined) stoppedBy = 'finding';
  return { ...(first === undefined ? {} : { first }), stoppedBy };
}

/** Waits for `work`, but not past the deadline and its grace: runs still going are abandoned. */
async function untilDeadline(work: () => Promise<void>, deadlineMs: number): Promise<void> {
  let settled = false;
  const done = work().finally(() => {
    settled = true;
  });
  // Measured on the wall clock: a busy event loop fires short sleeps late.
  while (!settled && wallClockMs() < deadlineMs + graceMs) {
    await Promise.race([
      done,
      wallClockSleep(Math.max(1, Math.min(50, deadlineMs + graceMs - wallClockMs()))),
    ]);
  }
}

/** One explored run of a sequence: the scenario it becomes, run through the caller's executor. */
function attemptOf(options: ExploreOptions): Run {
  return async (sequence, name, lane, onSetup = () => {}) => {
    const made = exploredScenario(sequence, {
      name,
      pattern: options.pattern,
      psp: options.psp,
      seed: options.seed,
    });
    const result = await options.execute(made.scenario, lane, onSetup);
    return { sequence, result, records: made.interpreter.records, commands: made.interpreter.commands };
  };
}
