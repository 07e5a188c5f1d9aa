/**
 * fakepsp's public API: the simulation kernel, the fakes, the scenario engine, the checker, the
 * SUT contract with its HTTP binding, and the reference billing service. The interception
 * transports have their own entry points (`fakepsp/msw`, `fakepsp/nock`), as do the vitest
 * matchers and `scenarioTests` (`fakepsp/vitest`).
 *
 * @example
 * import { createSimulation, createStripeFake } from 'fakepsp';
 * const sim = createSimulation({ seed: 42 });
 * const stripe = createStripeFake(sim);
 */
export { createSimulation, defaultStartAtMs } from './sim/simulation.ts';
export type { Simulation, SimulationOptions } from './sim/simulation.ts';
export { VirtualClock, durationMs } from './sim/clock.ts';
export { SeededRandom } from './sim/random.ts';
export { IdGenerator } from './sim/ids.ts';
export { Journal } from './sim/journal.ts';
export type { JournalRecord, JournalKind } from './sim/journal.ts';
export type { FaultPlan } from './fakes/common/faults.ts';
export {
  money,
  addMoney,
  subtractMoney,
  multiplyMoney,
  negateMoney,
  compareMoney,
  sumMoney,
  formatMoney,
  parseMajorUnits,
  currency,
  currencyExponent,
} from './sim/money.ts';
export type { Money, Currency, MinorUnits } from './sim/money.ts';
export type {
  PspCore,
  PspRequest,
  PspResponse,
  PspResult,
  PspEvent,
  PspName,
} from './fakes/common/psp-core.ts';
export { createStripeFake } from './fakes/stripe/index.ts';
export type { StripeFake, StripeFakeOptions } from './fakes/stripe/index.ts';
export { createAdyenFake } from './fakes/adyen/index.ts';
export type { AdyenFake, AdyenFakeOptions } from './fakes/adyen/index.ts';
export { createRazorpayFake } from './fakes/razorpay/index.ts';
export type { RazorpayFake, RazorpayFakeOptions } from './fakes/razorpay/index.ts';
export { adyenHttpClient, trustCaCertificate } from './transports/adyen-sdk.ts';
export { defineScenario } from './scenarios/define.ts';
export type { Scenario } from './scenarios/define.ts';
export type { ScenarioContext, ScenarioFacts, StripeView } from './scenarios/context.ts';
export type { PaymentsView, PaidPayment } from './scenarios/psp-views.ts';
export { runScenario, type ScenarioResult, type Checker } from './scenarios/runner.ts';
export { reconcileRun } from './scenarios/check.ts';
export { reconcile, stripeRecords, renderText, renderJson, renderMarkdown } from './assertions/index.ts';
export { adyenRecords } from './assertions/records/adyen.ts';
export { razorpayRecords } from './assertions/records/razorpay.ts';
export type { Break, BreakKind, ReconcileResult } from './assertions/index.ts';
export type * from './sut/contract.ts';
export {
  httpBillingSystem,
  billingSystemRouter,
  runIdHeader,
  SutHttpError,
  SutUnreachableError,
} from './sut/http-binding.ts';
export { createReferenceBillingSystem, mutantNames } from './reference/index.ts';
