import type { FaultPlan } from '../fakes/common/faults.ts';
import type { PspName } from '../fakes/common/psp-core.ts';
import { integrationPatterns, type IntegrationPattern } from '../sut/contract.ts';
import type { ScenarioContext } from './context.ts';

/** Most steps a scenario may take: a runaway loop is an error that names the bound. */
export const stepsMaxDefault = 500;

/** A scenario: a script that drives the SUT, the fakes and the clock through one flow. */
export interface Scenario {
  readonly name: string;
  readonly description?: string;
  readonly pattern: IntegrationPattern;
  /** The PSPs the scenario runs against, once each. */
  readonly psps: readonly PspName[];
  /** The default seed (a run's `--seed` overrides it). */
  readonly seed?: number;
  /** Faults loaded before the first step. */
  readonly faults?: FaultPlan;
  readonly tags?: readonly string[];
  readonly stepsMax?: number;
  run(context: ScenarioContext): Promise<void>;
}

/**
 * Declares a scenario. Export it (as the default export or a named one) from a
 * `*.scenario.ts` file and `fakepsp run` finds it.
 *
 * @example
 * export const duplicateUsage = defineScenario({
 *   name: 'duplicate usage events are billed once',
 *   pattern: 'byo-stripe',
 *   psps: ['stripe'],
 *   async run(ctx) {
 *     const customer = await ctx.customer();
 *     await ctx.usage(customer.customerId, 10, { eventId: 'evt-1' });
 *     await ctx.usage(customer.customerId, 10, { eventId: 'evt-1' });
 *     await ctx.advance('31d');
 *   },
 * });
 */
export function defineScenario(scenario: Scenario): Scenario {
  const problem = scenarioProblem(scenario);
  if (problem !== undefined) throw new Error(problem);
  return scenario;
}

/**
 * What is wrong with a scenario, if anything. A typo in a pattern or PSP name would otherwise
 * skip it silently: every SUT would "not implement" it.
 */
export function scenarioProblem(scenario: Scenario): string | undefined {
  if (scenario.name.trim() === '') return 'a scenario needs a name';
  if (!integrationPatterns.includes(scenario.pattern)) {
    return `scenario '${scenario.name}': no pattern '${String(scenario.pattern)}' (known: ${integrationPatterns.join(', ')})`;
  }
  if (scenario.psps.length === 0) return `scenario '${scenario.name}' names no PSP`;
  const unknown = scenario.psps.filter((psp) => !pspNames.includes(psp));
  if (unknown.length > 0) {
    return `scenario '${scenario.name}': no PSP ${unknown.map((psp) => `'${String(psp)}'`).join(', ')} (known: ${pspNames.join(', ')})`;
  }
  return undefined;
}

const pspNames: readonly PspName[] = ['stripe', 'adyen', 'razorpay'];

/** Whether a value is a scenario (for loading modules). */
export function isScenario(value: unknown): value is Scenario {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Scenario).name === 'string' &&
    typeof (value as Scenario).run === 'function' &&
    Array.isArray((value as Scenario).psps)
  );
}
