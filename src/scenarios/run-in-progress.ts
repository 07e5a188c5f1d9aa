import type { Break } from '../assertions/breaks.ts';
import { parseLedger } from '../sut/ledger-schema.ts';
import { customerMappingFindings } from './check.ts';
import { createScenarioContext, type ScenarioContext } from './context.ts';
import { stepsMaxDefault, type Scenario } from './define.ts';
import type { PspEnvironment } from './environment.ts';
import { replayLine, type RunIdentity } from './run-identity.ts';
import {
  currentStep,
  describeError,
  runIdOf,
  runOutputLinesMax,
  type RunScenarioOptions,
  type RunSut,
  type ScenarioResult,
  type ScenarioStatus,
} from './run-types.ts';
import type { CheckOutcome, Finding } from './verdict.ts';

/** One scenario × PSP run between its setup and its verdict: what it holds, and how it ends. */
export class RunInProgress {
  readonly #scenario: Scenario;
  readonly #options: RunScenarioOptions;
  readonly #seed: number;
  readonly #env: PspEnvironment;
  #sut: RunSut | undefined;
  #context: ScenarioContext | undefined;
  /** Whether the run went past `setup`: the service's state was written. */
  #used = false;

  constructor(scenario: Scenario, options: RunScenarioOptions, seed: number, env: PspEnvironment) {
    this.#scenario = scenario;
    this.#options = options;
    this.#seed = seed;
    this.#env = env;
  }

  /** The SUT's setup; the reason the run is skipped, if it is. */
  async setUp(): Promise<string | undefined> {
    const { psp } = this.#options;
    if (!this.#env.available.includes(psp)) return `no fake for ${psp} yet`;
    this.#sut = await this.#options.sut();
    const setup = await this.#sut.setup({
      runId: runIdOf(this.#scenario, psp, this.#seed),
      seed: this.#seed,
      pattern: this.#scenario.pattern,
      now: this.#env.sim.clock.now().toISOString(),
      psps: this.#env.connections,
    });
    this.#options.onSetup?.(setup);
    if (!setup.patterns.includes(this.#scenario.pattern))
      return `the SUT does not implement pattern ${this.#scenario.pattern}`;
    if (!setup.psps.includes(psp)) return `the SUT does not use ${psp}`;
    this.#used = true;
    this.#env.registerWebhooks(setup.webhooks);
    return undefined;
  }

  /** The scenario's steps, then quiet: faults off, the service and the webhooks settled. */
  async drive(): Promise<void> {
    const env = this.#env;
    if (this.#scenario.faults !== undefined) env.faults.load(this.#scenario.faults);
    this.#context = createScenarioContext({
      name: this.#scenario.name,
      seed: this.#seed,
      pattern: this.#scenario.pattern,
      psp: this.#options.psp,
      sut: this.#sut!,
      env,
      stepsMax: this.#scenario.stepsMax ?? stepsMaxDefault,
    });
    await this.#scenario.run(this.#context);
    env.faults.clear();
    await this.#context.settle();
  }

  /** The ledger, reconciled: passed, or failed with the checker's findings. */
  async verdict(): Promise<ScenarioResult> {
    const exported = parseLedger(await this.#sut!.ledger());
    if (!exported.ok) {
      const findings = exported.problems.map((message) => ({ kind: 'malformed_ledger', message }));
      return this.finish('failed', findings);
    }
    const outcome = this.#check(exported.ledger);
    if (outcome.ok) return this.finish('passed', outcome.findings, undefined, outcome.breaks ?? []);
    return this.finish('failed', this.#withMapping(outcome.findings), undefined, outcome.breaks ?? []);
  }

  /** A run that threw: the service died, or a scenario's assertion failed (the books may say why). */
  async failure(error: unknown): Promise<ScenarioResult> {
    const gone = this.#sut?.gone?.();
    if (gone !== undefined) {
      const step = currentStep(this.#env.sim.journal.records());
      return this.finish(
        'errored',
        [],
        `the billing service ${gone}${step === undefined ? '' : ` during step "${step}"`}`,
      );
    }
    const checked = await this.#checkAnyway();
    const findings = this.#withMapping(checked?.findings ?? []);
    if (findings.length > 0)
      return this.finish('failed', findings, describeError(error), checked?.breaks ?? []);
    return this.finish('errored', [], describeError(error));
  }

  finish(
    status: ScenarioStatus,
    findings: readonly Finding[],
    reason?: string,
    breaks: readonly Break[] = [],
  ): ScenarioResult {
    const { journal } = this.#env.sim;
    const trouble = status === 'failed' || status === 'errored';
    const step = trouble ? currentStep(journal.records()) : undefined;
    const output = (this.#sut?.output?.() ?? []).slice(-runOutputLinesMax);
    const { psp, file, sutIdentity } = this.#options;
    const identity: RunIdentity = {
      scenario: this.#scenario.name,
      pattern: this.#scenario.pattern,
      psp,
      seed: this.#seed,
      ...(file === undefined ? {} : { file }),
      ...(sutIdentity === undefined ? {} : { sut: sutIdentity }),
    };
    return {
      scenario: identity.scenario,
      pattern: identity.pattern,
      psp,
      seed: this.#seed,
      identity,
      replay: replayLine(identity),
      status,
      findings,
      breaks,
      ...(reason === undefined ? {} : { reason }),
      ...(step === undefined ? {} : { step }),
      ...(output.length === 0 ? {} : { sutOutput: output }),
      journalHash: journal.hash(),
      journal: journal.records(),
    };
  }

  /** Ends the run's hold on the service (an in-process one's server, a spent process) and the fakes. */
  async close(): Promise<void> {
    await this.#sut?.close?.({ used: this.#used });
    await this.#env.close();
  }

  #check(ledger: Parameters<RunScenarioOptions['check']>[0]['ledger']): CheckOutcome {
    const env = this.#env;
    return this.#options.check({
      ledger,
      env,
      facts: this.#context!.facts,
      journal: env.sim.journal.records(),
    });
  }

  // The checker's verdict on a run that stopped early, or undefined when the books cannot be read.
  async #checkAnyway(): Promise<CheckOutcome | undefined> {
    if (this.#context === undefined || this.#sut === undefined) return undefined;
    try {
      const exported = parseLedger(await this.#sut.ledger());
      return exported.ok ? this.#check(exported.ledger) : undefined;
    } catch {
      return undefined;
    }
  }

  // A run that broke because the service cannot map its customers says that first.
  #withMapping(findings: readonly Finding[]): readonly Finding[] {
    const context = this.#context;
    return context === undefined
      ? findings
      : [...customerMappingFindings(this.#env, context.facts), ...findings];
  }
}
