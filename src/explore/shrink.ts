import fc from 'fast-check';
import type { ScenarioResult } from '../scenarios/runner.ts';
import { wallClockMs } from '../sim/wall-clock.ts';
import type { SetupResponse } from '../sut/contract.ts';
import type { Sequence } from './actions.ts';
import type { StepRecord } from './interpret.ts';

/** Most runs shrinking takes unless told otherwise (`--shrink-runs`). */
export const shrinkRunsMax = 2_000;

/** One explored run: the sequence, what the runner answered and what each step became. */
export interface Attempt {
  readonly sequence: Sequence;
  readonly result: ScenarioResult;
  readonly records: readonly StepRecord[];
  readonly commands: number;
}

/** Runs one sequence as a named scenario in a lane. */
export type Run = (
  sequence: Sequence,
  name: string,
  lane: number,
  onSetup?: (answer: SetupResponse) => void,
) => Promise<Attempt>;

/** The break kinds a run is a finding for; none when it passed (or was skipped). */
export function findingKinds(result: ScenarioResult): string[] {
  if (result.status === 'errored') return ['errored'];
  if (result.status !== 'failed') return [];
  return [...new Set(result.findings.map((finding) => finding.kind))].sort();
}

/**
 * Replays the first failure at its fast-check path and lets fast-check shrink it, one run per
 * candidate. A candidate counts as failing when it fails with one of the first failure's break
 * kinds, so shrinking never slides to an unrelated break. Past the deadline every candidate
 * passes without running, which ends the shrink at the smallest failure found so far.
 */
export async function shrink(
  options: {
    readonly seed: number;
    readonly path?: string;
    readonly shrinkRuns?: number;
    readonly arbitrary: fc.Arbitrary<Sequence>;
    readonly index: number;
    readonly kinds: readonly string[] | undefined;
    readonly deadlineMs: number;
  },
  run: Run,
  counters: { shrinkRuns: number },
  onProgress: () => void,
): Promise<{ best?: { attempt: Attempt; path: string }; cutBy?: 'time' | 'runs' }> {
  let best: Attempt | undefined;
  let cutBy: 'time' | 'runs' | undefined;
  const { arbitrary, index, deadlineMs } = options;
  let wanted = options.kinds;
  const result = await fc.check(
    fc.asyncProperty(arbitrary, async (sequence) => {
      if (wallClockMs() >= deadlineMs) cutBy ??= 'time';
      else if (counters.shrinkRuns >= (options.shrinkRuns ?? shrinkRunsMax)) cutBy ??= 'runs';
      if (cutBy !== undefined) return true;
      const done = await run(sequence, `explore #${index} shrink ${++counters.shrinkRuns}`, 0);
      onProgress();
      const found = findingKinds(done.result);
      // Replaying a path given on the command line: its own break kinds are the ones to keep.
      wanted ??= found.length > 0 ? found : undefined;
      if (wanted === undefined || !found.some((kind) => wanted!.includes(kind))) return true;
      best = done;
      return false;
    }),
    { seed: options.seed, path: options.path ?? String(index), numRuns: 1 },
  );
  const cut = cutBy === undefined ? {} : { cutBy };
  if (!result.failed || best === undefined) return cut;
  return {
    best: { attempt: best, path: result.counterexamplePath ?? options.path ?? String(index) },
    ...cut,
  };
}
