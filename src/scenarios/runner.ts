import type { PspName } from '../fakes/common/psp-core.ts';
import type { JournalRecord } from '../sim/journal.ts';
import type { BillingSystem, Ledger } from '../sut/contract.ts';
import { parseLedger } from '../sut/ledger-schema.ts';
import { createScenarioContext, type ScenarioFacts } from './context.ts';
import { stepsMaxDefault, type Scenario } from './define.ts';
import type { EnvironmentFactory, PspEnvironment } from './environment.ts';

/** The seed a scenario runs with when neither it nor the run names one. */
export const seedDefault = 42;

/** What the checker is given at the end of a run. */
export interface CheckInput {
  readonly ledger: Ledger;
  readonly env: PspEnvironment;
  readonly facts: ScenarioFacts;
  readonly journal: readonly JournalRecord[];
}

/** A problem the checker found, in words a finance engineer accepts. */
export interface Finding {
  readonly kind: string;
  readonly message: string;
}

export interface CheckOutcome {
  readonly ok: boolean;
  readonly findings: readonly Finding[];
  /** The checker's own detailed records (breaks with witnesses), for reports. */
  readonly breaks?: readonly unknown[];
}

/** Reconciles a finished run; `reconcileRun` (check.ts) is the default. */
export type Checker = (input: CheckInput) => CheckOutcome;

export interface RunScenarioOptions {
  /** The SUT for this run (a fresh instance, or a shared one that `setup` resets). */
  readonly sut: () => Promise<BillingSystem> | BillingSystem;
  readonly environment: EnvironmentFactory;
  readonly check: Checker;
  readonly psp: PspName;
  readonly seed?: number;
  /** Where the scenario came from, for the replay command. */
  readonly file?: string;
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
  readonly breaks: readonly unknown[];
  readonly journalHash: string;
  readonly journal: readonly JournalRecord[];
  /** A ready-to-run command that reproduces this run. */
  readonly replay: string;
}

/** The command that reproduces a run from its printout. */
export function replayCommand(scenario: Scenario, psp: PspName, seed: number, file?: string): string {
  const where = file ?? '<scenario file>';
  return `npx fakepsp run ${where} --scenario ${JSON.stringify(scenario.name)} --psp ${psp} --seed ${seed}`;
}

/**
 * Runs one scenario against one PSP: a fresh simulation and fakes, the SUT's setup, the
 * steps, a settle, the ledger export, and the checker's verdict.
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const seed = options.seed ?? scenario.seed ?? seedDefault;
  const env = await options.environment({ seed });
  const base = {
    scenario: scenario.name,
    pattern: scenario.pattern,
    psp: options.psp,
    seed,
    replay: replayCommand(scenario, options.psp, seed, options.file),
  };
  const finish = (
    status: ScenarioStatus,
    findings: readonly Finding[],
    reason?: string,
    breaks: readonly unknown[] = [],
  ): ScenarioResult => ({
    ...base,
    status,
    findings,
    breaks,
    ...(reason === undefined ? {} : { reason }),
    journalHash: env.sim.journal.hash(),
    journal: env.sim.journal.records(),
  });
  let sut: BillingSystem | undefined;
  try {
    if (!env.available.includes(options.psp)) return finish('skipped', [], `no fake for ${options.psp} yet`);
    sut = await options.sut();
    const setup = await sut.setup({
      runId: `run_${seed}_${scenario.name.replace(/\W+/g, '_').slice(0, 40)}`,
      seed,
      pattern: scenario.pattern,
      now: env.sim.clock.now().toISOString(),
      psps: env.connections,
    });
    if (!setup.patterns.includes(scenario.pattern)) {
      return finish('skipped', [], `the SUT does not implement pattern ${scenario.pattern}`);
    }
    if (!setup.psps.includes(options.psp))
      return finish('skipped', [], `the SUT does not use ${options.psp}`);
    env.registerWebhooks(setup.webhooks);
    if (scenario.faults !== undefined) env.faults.load(scenario.faults);
    const context = createScenarioContext({
      name: scenario.name,
      seed,
      pattern: scenario.pattern,
      psp: options.psp,
      sut,
      env,
      stepsMax: scenario.stepsMax ?? stepsMaxDefault,
    });
    await scenario.run(context);
    env.faults.clear();
    await context.settle();
    const exported = parseLedger(await sut.ledger());
    if (!exported.ok) {
      return finish(
        'failed',
        exported.problems.map((message) => ({ kind: 'malformed_ledger', message })),
      );
    }
    const outcome = options.check({
      ledger: exported.ledger,
      env,
      facts: context.facts,
      journal: env.sim.journal.records(),
    });
    return finish(outcome.ok ? 'passed' : 'failed', outcome.findings, undefined, outcome.breaks ?? []);
  } catch (error) {
    return finish('errored', [], describeError(error));
  } finally {
    // An in-process SUT made for this run may hold a webhook server: stop it with the run.
    await (sut as { close?: () => Promise<void> } | undefined)?.close?.();
    await env.close();
  }
}

// SDKs do not all throw Errors: Razorpay's rejects with a plain `{statusCode, error}` object.
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) return JSON.stringify(error);
  return String(error);
}
