import type { Break } from '../assertions/breaks.ts';
import type { PspName } from '../fakes/common/psp-core.ts';
import type { JournalRecord } from '../sim/journal.ts';
import { createHash } from 'node:crypto';
import type { BillingSystem, SetupResponse } from '../sut/contract.ts';
import type { Scenario } from './define.ts';
import type { RunIdentity, SutIdentity } from './run-identity.ts';
import type { EnvironmentFactory } from './environment.ts';
import type { Checker, Finding } from './verdict.ts';

/** Lines of the service's output a run's result keeps: its last words, not its life story. */
export const runOutputLinesMax = 100;

/** The seed a scenario runs with when neither it nor the run names one. */
export const seedDefault = 42;

/**
 * What a billing system may offer the runner beyond the contract: a process the harness
 * started (`--sut-cmd`) has output to show and may die mid-run; an in-process one may hold a
 * server to stop.
 */
export interface SutHandle {
  /** Ends this run's hold on the system; `used` when the run went past `setup` (state was written). */
  close?(outcome: { readonly used: boolean }): Promise<void>;
  /** The service's own log lines while this run held it, oldest first (trimmed). */
  output?(): readonly string[];
  /** Why the service went away during the run (`exited with code 1`), once it has. */
  gone?(): string | undefined;
}

/** A billing system for one run, with whatever {@link SutHandle} extras it has. */
export type RunSut = BillingSystem & SutHandle;

export interface RunScenarioOptions {
  /** The SUT for this run (a fresh instance, or a shared one that `setup` resets). */
  readonly sut: () => Promise<RunSut> | RunSut;
  readonly environment: EnvironmentFactory;
  readonly check: Checker;
  readonly psp: PspName;
  readonly seed?: number;
  /** Where the scenario came from, for the replay command. */
  readonly file?: string;
  /** The service the run goes against (`--sut …`, `--sut-cmd …`, `--mutant …`), for the replay command. */
  readonly sutIdentity?: SutIdentity;
  /** Told of the SUT's `setup` answer: how many runs at once it takes (`concurrentRuns`). */
  readonly onSetup?: (answer: SetupResponse) => void;
}

export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'errored';

/** One scenario × PSP run, with everything needed to reproduce it. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly pattern: string;
  readonly psp: PspName;
  readonly seed: number;
  readonly status: ScenarioStatus;
  readonly reason?: string;
  readonly findings: readonly Finding[];
  readonly breaks: readonly Break[];
  readonly journalHash: string;
  readonly journal: readonly JournalRecord[];
  /** What names the run: scenario, PSP, seed, file and service. */
  readonly identity: RunIdentity;
  /** A ready-to-run command that reproduces this run: `replayLine(identity)`. */
  readonly replay: string;
  /** The step the run was in when it failed or errored (`ctx.step`'s label), if any. */
  readonly step?: string;
  /** The billing service's own log lines during the run (a `--sut-cmd` process's output), trimmed. */
  readonly sutOutput?: readonly string[];
}

/** The run's id, unique per scenario × PSP × seed and stable from run to run. */
export function runIdOf(scenario: Scenario, psp: PspName, seed: number): string {
  const slug = scenario.name.replace(/\W+/g, '_').slice(0, 32);
  const digest = createHash('sha256').update(scenario.name).digest('hex').slice(0, 8);
  return `run_${slug}_${psp}_${seed}_${digest}`;
}

/** The label of the last `ctx.step` the journal saw. */
export function currentStep(journal: readonly JournalRecord[]): string | undefined {
  for (let index = journal.length - 1; index >= 0; index--) {
    const record = journal[index]!;
    if (record.kind === 'note' && record.data.label !== undefined) return record.data.label;
  }
  return undefined;
}

/** An error in words: SDKs do not all throw Errors (Razorpay's rejects with a plain object). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) return JSON.stringify(error);
  return String(error);
}
