/**
 * fakepsp's public API: scenarios, the fakes and the checker — what a scenario file, a test or a
 * tool built on fakepsp needs. The rest has entries of its own: `fakepsp/sut` (the SUT contract's
 * HTTP binding), `fakepsp/reference` (the reference billing service), `fakepsp/adyen` (pointing
 * Adyen's SDK at the fake), `fakepsp/sim` (the kernel's clock, random streams, ids and money),
 * `fakepsp/msw`, `fakepsp/nock` and `fakepsp/vitest`.
 *
 * @example
 * import { defineScenario } from 'fakepsp';
 * export default defineScenario({ name: 'usage is billed once', pattern: 'byo-stripe', psps: ['stripe'],
 *   async run(ctx) { await ctx.usage((await ctx.customer()).customerId, 40); await ctx.advance('31d'); } });
 */
export { defineScenario } from './scenarios/define.ts';
export type { Scenario } from './scenarios/define.ts';
export type { ScenarioContext, ScenarioFacts, StripeView } from './scenarios/context.ts';
export type { PaymentsView, PaidPayment } from './scenarios/psp-views.ts';
export { runScenario } from './scenarios/runner.ts';
export type { ScenarioResult, RunScenarioOptions, RunSut, SutHandle } from './scenarios/runner.ts';
export type { RunIdentity, SutIdentity } from './scenarios/run-identity.ts';
export type { Checker, CheckInput, CheckOutcome, Finding } from './scenarios/verdict.ts';
export { reconcileRun } from './scenarios/check.ts';
export { createSimulation } from './sim/simulation.ts';
export type { Simulation, SimulationOptions } from './sim/simulation.ts';
export type { JournalRecord, JournalKind, JournalLine } from './sim/journal.ts';
export type { FaultPlan } from './fakes/common/faults.ts';
export type {
  PspCore,
  PspRequest,
  PspResponse,
  PspResult,
  PspEvent,
  PspName,
} from './fakes/common/psp-core.ts';
export type { PspFake } from './fakes/common/psp-fake.ts';
export { createStripeFake } from './fakes/stripe/index.ts';
export type { StripeFake, StripeFakeOptions } from './fakes/stripe/index.ts';
export { createAdyenFake } from './fakes/adyen/index.ts';
export type { AdyenFake, AdyenFakeOptions } from './fakes/adyen/index.ts';
export { createRazorpayFake } from './fakes/razorpay/index.ts';
export type { RazorpayFake, RazorpayFakeOptions } from './fakes/razorpay/index.ts';
export {
  createHttpWebhookSender,
  fetchWebhookSender,
  httpWebhookSender,
} from './transports/webhook-sender.ts';
export { reconcile, stripeRecords, renderText, renderJson, renderMarkdown } from './assertions/index.ts';
export { adyenRecords } from './assertions/records/adyen.ts';
export { razorpayRecords } from './assertions/records/razorpay.ts';
export { recordsOfFake } from './assertions/records/of-fake.ts';
export type { Break, BreakKind, ReconcileResult } from './assertions/index.ts';
export type * from './sut/contract.ts';
