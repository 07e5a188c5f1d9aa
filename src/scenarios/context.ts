import { Faker, en } from '@faker-js/faker';
import type Stripe from 'stripe';
import type { CustomerLink } from '../assertions/customer-links.ts';
import { BoundExceededError } from '../sim/assert.ts';
import type { FaultPlan } from '../fakes/common/faults.ts';
import type { PspName } from '../fakes/common/psp-core.ts';
import { completeCheckoutSession, expireCheckoutSession } from '../fakes/stripe/checkout/actions.ts';
import type { FixtureResponses, StripeFixtureFile } from '../fakes/stripe/cli-fixtures.ts';
import { dashboardRefund, loseDispute, openDispute, winDispute } from '../fakes/stripe/payment-actions.ts';
import { customerIdMetadataKey } from '../assertions/psp-records.ts';
import type {
  BillingSystem,
  CreateCustomerRequest,
  CreateCustomerResponse,
  IntegrationPattern,
  RecordUsageRequest,
  RefundRequest,
  TopUpRequest,
} from '../sut/contract.ts';
import type { PspEnvironment } from './environment.ts';
import { runDashboardFixture } from './dashboard-fixture.ts';
import { advanceRun, settleRun } from './time-steps.ts';
import {
  razorpaySignupStep,
  payOpenRazorpayOrders,
  defaultCurrencies,
  paymentsView,
  testPaymentMethods,
  type PaymentsView,
} from './psp-views.ts';

export { advanceHopsMax, settleRoundsMax } from './time-steps.ts';

/** What the run has told the SUT: the checker's ground truth for usage and plans. */
export interface ScenarioFacts {
  /** The integration pattern the run drives (how the service is expected to bill). */
  readonly pattern: IntegrationPattern;
  readonly customers: CreateCustomerRequest[];
  /** Every usage event the harness sent, repeats included. */
  readonly usage: RecordUsageRequest[];
  /** When each of {@link usage} was sent (ISO 8601, virtual time), by position. */
  readonly usageRecordedAt: string[];
  /** When each customer signed up (ISO 8601), for what their plan owes by the end of the run. */
  readonly since: Record<string, string>;
  /** Every wallet top-up the harness asked for. */
  readonly topUps: TopUpRequest[];
  /** The PSP customers the service said stand for its customers (`createCustomer`'s answer). */
  readonly customerLinks: CustomerLink[];
  /** Stripe customers whose billing a dashboard fixture changed (a coupon, credit note, schedule). */
  readonly repricedAtPsp: { psp: PspName; pspCustomerId: string }[];
}

/**
 * What a scenario's `run` gets: the SUT, the fakes and their PSP-side actors, the virtual
 * clock, seeded fake data, faults, and helpers that keep the ground truth for the checker.
 */
export interface ScenarioContext {
  readonly name: string;
  readonly seed: number;
  readonly pattern: IntegrationPattern;
  readonly psp: PspName;
  readonly sut: BillingSystem;
  readonly env: PspEnvironment;
  /** Seeded fake data (names, emails…), the same for the same seed. */
  readonly faker: Faker;
  readonly facts: ScenarioFacts;
  now(): Date;
  /** Moves virtual time (`'31d'`, `'1h'`, ms): PSP jobs run, webhooks go out, the SUT catches up. */
  advance(duration: string | number): Promise<void>;
  /** Waits until the SUT and the webhook queue are quiet. */
  settle(): Promise<void>;
  /** Creates a customer through the SUT, with seeded defaults for what is not given. */
  customer(overrides?: Partial<CreateCustomerRequest>): Promise<CreateCustomerRequest>;
  /** Records usage through the SUT; a repeated `eventId` is the same event. */
  usage(
    customerId: string,
    quantity: number,
    options?: { readonly meter?: string; readonly eventId?: string; readonly at?: Date },
  ): Promise<RecordUsageRequest>;
  /** Tops up a customer's wallet through the SUT (wallet patterns); ids are seeded. */
  topUp(customerId: string, amount: number, currency?: string): Promise<TopUpRequest>;
  /** Asks the SUT to refund `amount` of a PSP object (a charge id for Stripe). */
  refund(customerId: string, ref: string, amount: number): Promise<RefundRequest>;
  /** What the fake Stripe holds for a SUT customer, across platform and connected accounts. */
  readonly stripe: StripeView;
  /** The run's PSP, whichever it is: what customers paid, dashboard refunds, disputes. */
  readonly payments: PaymentsView;
  /** Test means of payment at the run's PSP: one that works, one whose later charges decline. */
  readonly paymentMethods: { readonly ok: string; readonly declinesLater: string };
  /** Runs a Stripe CLI fixture file (`stripe trigger`'s format) against the fake, as a developer would. */
  stripeFixture(file: StripeFixtureFile): FixtureResponses;
  /** A named step: journaled, and counted against the scenario's `stepsMax`. */
  step<T>(label: string, action: () => Promise<T>): Promise<T>;
  readonly faults: { load(plan: FaultPlan): void; clear(): void };
  /** PSP-side actors outside the SUT: disputes, dashboard refunds, checkout customers. */
  readonly actors: ReturnType<typeof stripeActors>;
}

/** Read-only views of the fake Stripe, by the SUT's customer id. */
export interface StripeView {
  /** Charges of the customer (newest last), with the account they live on (`platform` or `acct_…`). */
  charges(customerId: string): Array<Stripe.Charge & { readonly scope: string }>;
  /** Succeeded charges only. */
  paidCharges(customerId: string): Array<Stripe.Charge & { readonly scope: string }>;
  /** Every object of a type, across scopes. */
  objects<T>(type: string): Array<T & { readonly scope: string }>;
}

/** The links a `createCustomer` answer gives: its `pspCustomerId` is at the request's PSP. */
function linksOf(request: CreateCustomerRequest, answer: CreateCustomerResponse | void): CustomerLink[] {
  const byPsp: Partial<Record<PspName, string>> = {
    ...(answer?.pspCustomerId === undefined ? {} : { [request.psp]: answer.pspCustomerId }),
    ...answer?.pspCustomerIds,
  };
  return Object.entries(byPsp).map(([psp, pspCustomerId]) => ({
    psp: psp as PspName,
    pspCustomerId: pspCustomerId!,
    customerId: request.customerId,
  }));
}

function stripeView(env: PspEnvironment, links: readonly CustomerLink[]): StripeView {
  const objects = <T>(type: string) =>
    Object.entries(env.stripe.dump()).flatMap(([scope, types]) =>
      (types[type] ?? []).map((object) => ({ ...(object as T), scope })),
    );
  const sutCustomerOf = (scope: string, stripeCustomer: string | null) => {
    const linked = links.find((link) => link.psp === 'stripe' && link.pspCustomerId === stripeCustomer);
    if (linked !== undefined) return linked.customerId;
    const customer = objects<Stripe.Customer>('customer').find(
      (entry) => entry.id === stripeCustomer && entry.scope === scope,
    );
    return customer?.metadata?.[customerIdMetadataKey];
  };
  const charges = (customerId: string) =>
    objects<Stripe.Charge>('charge').filter(
      (charge) => sutCustomerOf(charge.scope, charge.customer as string | null) === customerId,
    );
  return {
    objects,
    charges,
    paidCharges: (customerId) => charges(customerId).filter((charge) => charge.status === 'succeeded'),
  };
}

function stripeActors(env: PspEnvironment) {
  const runtime = env.stripe.runtime;
  return {
    openDispute: (chargeId: string, account?: string) =>
      openDispute(runtime, { chargeId, ...(account === undefined ? {} : { scope: account }) }),
    winDispute: (disputeId: string, account?: string) =>
      winDispute(runtime, { disputeId, ...(account === undefined ? {} : { scope: account }) }),
    loseDispute: (disputeId: string, account?: string) =>
      loseDispute(runtime, { disputeId, ...(account === undefined ? {} : { scope: account }) }),
    dashboardRefund: (chargeId: string, amount?: number, account?: string) =>
      dashboardRefund(runtime, {
        chargeId,
        ...(amount === undefined ? {} : { amount }),
        ...(account === undefined ? {} : { scope: account }),
      }),
    completeCheckout: (sessionId: string, paymentMethod?: string, account?: string) =>
      completeCheckoutSession(runtime, {
        sessionId,
        ...(paymentMethod === undefined ? {} : { paymentMethod }),
        ...(account === undefined ? {} : { scope: account }),
      }),
    expireCheckout: (sessionId: string) => expireCheckoutSession(runtime, { sessionId }),
  };
}

/** Builds the context of one run. */
export function createScenarioContext(options: {
  readonly name: string;
  readonly seed: number;
  readonly pattern: IntegrationPattern;
  readonly psp: PspName;
  readonly sut: BillingSystem;
  readonly env: PspEnvironment;
  readonly stepsMax: number;
}): ScenarioContext {
  const { env, sut } = options;
  const { clock, journal } = env.sim;
  const faker = new Faker({ locale: [en], seed: options.seed });
  faker.setDefaultRefDate(() => clock.now());
  const facts: ScenarioFacts = {
    pattern: options.pattern,
    customers: [],
    usage: [],
    usageRecordedAt: [],
    since: {},
    topUps: [],
    customerLinks: [],
    repricedAtPsp: [],
  };
  let steps = 0;
  const counters = { topUps: 0, refunds: 0, usage: 0 };
  const settle = () => settleRun(env, sut);
  const context: ScenarioContext = {
    ...options,
    faker,
    facts,
    now: () => clock.now(),
    advance: (duration) => advanceRun(env, sut, duration),
    settle,
    customer: async (overrides = {}) => {
      const index = facts.customers.length + 1;
      const request: CreateCustomerRequest = {
        customerId: `c_${index}`,
        email: faker.internet.email().toLowerCase(),
        name: faker.person.fullName(),
        currency: defaultCurrencies[options.psp],
        psp: options.psp,
        // In the hybrid pattern the subscription is Stripe's whichever PSP takes the top-ups.
        paymentMethod: testPaymentMethods[options.pattern === 'hybrid' ? 'stripe' : options.psp].ok,
        plan: { baseFeeMinor: 1000, unitPricesMinor: { tokens: 2 }, interval: 'month' },
        ...overrides,
      };
      const answer = await sut.createCustomer(request);
      facts.customerLinks.push(...linksOf(request, answer));
      // Billed at Razorpay, the customer then takes the browser step the pattern asks of them.
      if (request.psp === 'razorpay') razorpaySignupStep(env, options.pattern, request, facts.customerLinks);
      facts.customers.push(request);
      facts.since[request.customerId] = clock.now().toISOString();
      return request;
    },
    usage: async (customerId, quantity, usageOptions = {}) => {
      const request: RecordUsageRequest = {
        customerId,
        meter: usageOptions.meter ?? 'tokens',
        quantity,
        // Counted at call time, so concurrent calls without ids are distinct events.
        eventId: usageOptions.eventId ?? `u_${++counters.usage}`,
        at: (usageOptions.at ?? clock.now()).toISOString(),
      };
      const recordedAt = clock.now().toISOString();
      await sut.recordUsage(request);
      facts.usage.push(request);
      facts.usageRecordedAt.push(recordedAt);
      return request;
    },
    topUp: async (customerId, amount, currency) => {
      const request: TopUpRequest = {
        customerId,
        amount,
        currency:
          currency ??
          facts.customers.find((customer) => customer.customerId === customerId)?.currency ??
          'usd',
        requestId: `topup_${++counters.topUps}`,
      };
      facts.topUps.push(request);
      await sut.topUp(request);
      // At Razorpay the customer then pays the top-up's order on the hosted Checkout.
      if (options.psp === 'razorpay')
        payOpenRazorpayOrders(env, customerId, testPaymentMethods.razorpay.ok, facts.customerLinks);
      return request;
    },
    refund: async (customerId, ref, amount) => {
      const request: RefundRequest = { customerId, ref, amount, requestId: `refund_${++counters.refunds}` };
      await sut.refund(request);
      return request;
    },
    stripe: stripeView(env, facts.customerLinks),
    payments: paymentsView(env, options.psp, facts.customerLinks),
    paymentMethods: testPaymentMethods[options.psp],
    stripeFixture: (file) => runDashboardFixture(env, file, facts.repricedAtPsp),
    step: async (label, action) => {
      steps++;
      if (steps > options.stepsMax) {
        throw new BoundExceededError(
          `scenario '${options.name}' took more than ${options.stepsMax} steps (stepsMax)`,
        );
      }
      journal.append({ kind: 'note', data: { step: steps, label } });
      return action();
    },
    faults: {
      load: (plan) => env.faults.load(plan),
      clear: () => env.faults.clear(),
    },
    actors: stripeActors(env),
  };
  return context;
}
