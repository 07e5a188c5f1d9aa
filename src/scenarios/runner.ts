import type { PspName } from '../fakes/common/psp-core.ts';
import type { JournalRecord } from '../sim/journal.ts';
import { createHash } from 'node:crypto';
import type { BillingSystem, SetupResponse } from '../sut/contract.ts';
import { parseLedger } from '../sut/ledger-schema.ts';
import { customerMappingFindings } from './check.ts';
import { createScenarioContext, type ScenarioContext } from './context.ts';
import { stepsMaxDefault, type Scenario } from './define.ts';
import type { EnvironmentFactory, PspEnvironment } from './environment.ts';
import type { CheckOutcome, Checker, Finding } from './verdict.ts';

/** Lines of the service's output a run's result keeps: its last words, not its life story. */
export const runOutputLinesMax = 100;

/** The seed a scenario runs with when neither it nor the run names one. */
export const seedDefault = 42;

export type { CheckInput, Checker, CheckOutcome, Finding } from './verdict.ts';

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
  /** The flags that name the SUT (`--sut …`, `--sut-cmd …`, `--mutant …`), for the replay command. */
  readonly sutFlags?: string;
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
  readonly breaks: readonly unknown[];
  readonly journalHash: string;
  readonly journal: readonly JournalRecord[];
  /** A ready-to-run command that reproduces this run. */
  readonly replay: string;
  /** The step the run was in when it failed or errored (`ctx.step`'s label), if any. */
  readonly step?: string;
  /** The billing service's own log lines during the run (a `--sut-cmd` process's output), trimmed. */
  readonly sutOutput?: readonly string[];
}

/** The command that reproduces a run from its printout, against the same SUT. */
export function replayCommand(
  scenario: Scenario,
  psp: PspName,
  seed: number,
  file?: string,
  sutFlags?: string,
): string {
  const where = file ?? '<scenario file>';
  const sut = sutFlags === undefined || sutFlags === '' ? '' : ` ${sutFlags}`;
  return `npx fakepsp run ${where} --scenario ${JSON.stringify(scenario.name)} --psp ${psp} --seed ${seed}${sut}`;
}

/** The run's id, unique per scenario × PSP × seed and stable from run to run. */
export function runIdOf(scenario: Scenario, psp: PspName, seed: number): string {
  const slug = scenario.name.replace(/\W+/g, '_').slice(0, 32);
  const digest = createHash('sha256').update(scenario.name).digest('hex').slice(0, 8);
  return `run_${slug}_${psp}_${seed}_${digest}`;
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
    replay: replayCommand(scenario, options.psp, seed, options.file, options.sutFlags),
  };
  let sut: RunSut | undefined;
  let context: ScenarioContext | undefined;
  let used = false;
  const finish = (
    status: ScenarioStatus,
    findings: readonly Finding[],
    reason?: string,
    breaks: readonly unknown[] = [],
  ): ScenarioResult => {
    const trouble = status === 'failed' || status === 'errored';
    const step = trouble ? currentStep(env.sim.journal.records()) : undefined;
    const output = (sut?.output?.() ?? []).slice(-runOutputLinesMax);
    return {
      ...base,
      status,
      findings,
      breaks,
      ...(reason === undefined ? {} : { reason }),
      ...(step === undefined ? {} : { step }),
      ...(output.length === 0 ? {} : { sutOutput: output }),
      journalHash: env.sim.journal.hash(),
      journal: env.sim.journal.records(),
    };
  };
  // A run that broke because the service cannot map its customers says that first.
  const withMapping = (findings: readonly Finding[]) =>
    context === undefined ? findings : [...customerMappingFindings(env, context.facts), ...findings];
  try {
    if (!env.available.includes(options.psp)) return finish('skipped', [], `no fake for ${options.psp} yet`);
    sut = await options.sut();
    const setup = await sut.setup({
      runId: runIdOf(scenario, options.psp, seed),
      seed,
      pattern: scenario.pattern,
      now: env.sim.clock.now().toISOString(),
      psps: env.connections,
    });
    options.onSetup?.(setup);
    if (!setup.patterns.includes(scenario.pattern)) {
      return finish('skipped', [], `the SUT does not implement pattern ${scenario.pattern}`);
    }
    if (!setup.psps.includes(options.psp))
      return finish('skipped', [], `the SUT does not use ${options.psp}`);
    used = true;
    env.registerWebhooks(setup.webhooks);
    if (scenario.faults !== undefined) env.faults.load(scenario.faults);
    context = createScenarioContext({
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
    if (outcome.ok) return finish('passed', outcome.findings, undefined, outcome.breaks ?? []);
    return finish('failed', withMapping(outcome.findings), undefined, outcome.breaks ?? []);
  } catch (error) {
    const gone = sut?.gone?.();
    if (gone !== undefined) {
      const step = currentStep(env.sim.journal.records());
      return finish(
        'errored',
        [],
        `the billing service ${gone}${step === undefined ? '' : ` during step "${step}"`}`,
      );
    }
    // A scenario's own assertion failed: what the checker sees of the books says why, if it can.
    const checked =
      context === undefined || sut === undefined
        ? undefined
        : await checkAnyway(sut, context, env, options.check);
    const findings = withMapping(checked?.findings ?? []);
    if (findings.length > 0) return finish('failed', findings, describeError(error), checked?.breaks ?? []);
    return finish('errored', [], describeError(error));
  } finally {
    // An in-process SUT made for this run may hold a webhook server, a process may be spent: end the hold.
    await sut?.close?.({ used });
    await env.close();
  }
}

/** The checker's verdict on a run that stopped early, or undefined when the books cannot be read. */
async function checkAnyway(
  system: RunSut,
  ran: ScenarioContext,
  env: PspEnvironment,
  check: Checker,
): Promise<CheckOutcome | undefined> {
  try {
    const exported = parseLedger(await system.ledger());
    if (!exported.ok) return undefined;
    return check({ ledger: exported.ledger, env, facts: ran.facts, journal: env.sim.journal.records() });
  } catch {
    return undefined;
  }
}

/** The label of the last `ctx.step` the journal saw. */
function currentStep(journal: readonly JournalRecord[]): string | undefined {
  for (let index = journal.length - 1; index >= 0; index--) {
    const data = journal[index]!.data as { label?: unknown } | null;
    if (journal[index]!.kind === 'note' && typeof data?.label === 'string') return data.label;
  }
  return undefined;
}

// SDKs do not all throw Errors: Razorpay's rejects with a plain `{statusCode, error}` object.
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) return JSON.stringify(error);
  return String(error);
}
