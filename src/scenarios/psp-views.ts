import { linkCustomers, type CustomerLink } from '../assertions/customer-links.ts';
import { recordsOfFake } from '../assertions/records/of-fake.ts';
import { customerIdMetadataKey, type MoneyMovement, type PspRecords } from '../assertions/psp-records.ts';
import type { AdminAction } from '../fakes/common/admin.ts';
import type { PspName } from '../fakes/common/psp-core.ts';
import type { CreateCustomerRequest, IntegrationPattern } from '../sut/contract.ts';
import type { PspEnvironment } from './environment.ts';

/** A payment a customer made, as the scenario may refund or dispute it. */
export interface PaidPayment {
  /** What to hand `ctx.refund` and the actors: a Stripe charge, an Adyen payment pspReference, a Razorpay `pay_…`. */
  readonly ref: string;
  readonly amount: number;
  readonly currency: string;
}

/**
 * The run's PSP seen the same way whichever it is: what a customer paid, and the PSP-side actors
 * (a refund made in the dashboard, a dispute lost or won), so one scenario runs over all three.
 */
export interface PaymentsView {
  /** The customer's captured payments at the run's PSP, oldest first. */
  paid(customerId: string): PaidPayment[];
  /** Someone refunds in the PSP's dashboard (the whole remainder without an amount). */
  dashboardRefund(ref: string, amount?: number): void;
  /** The cardholder disputes a payment, and the merchant loses or wins it. */
  dispute(ref: string, outcome: 'lost' | 'won'): void;
  /** The customer's refunds at the run's PSP that moved money, oldest first. */
  refunds(customerId: string): PaidPayment[];
  /**
   * The next refund made at the PSP fails: Stripe's fails later (`refund.failed`, the money
   * comes back), Adyen's `REFUND` webhook says `success: "false"`, Razorpay's is `refund.failed`.
   */
  failNextRefund(): void;
  /** A refund that went out fails afterwards (Stripe `refund.failed`, Adyen `REFUND_FAILED`; not Razorpay's). */
  failRefund(refundRef: string): void;
  /**
   * Razorpay: the next payment is authorised late and left `authorized`, never captured by
   * Razorpay, which refunds it on its own after 5 days unless the service captures it.
   */
  holdNextCapture(): void;
  /** What the fake holds, in the checker's PSP-agnostic shape. */
  records(): PspRecords;
}

/** Test means of payment per PSP: one that works, one whose later charges are declined. */
export const testPaymentMethods: Readonly<
  Record<PspName, { readonly ok: string; readonly declinesLater: string }>
> = {
  stripe: { ok: 'pm_card_visa', declinesLater: 'pm_card_chargeCustomerFail' },
  adyen: { ok: 'test_4111111111111111', declinesLater: 'test_4111111111111111:NOT_ENOUGH_BALANCE' },
  razorpay: { ok: '4100280000001007', declinesLater: '4100280000080001' },
};

/** The currency a customer of each PSP pays in unless a scenario says otherwise. */
export const defaultCurrencies: Readonly<Record<PspName, string>> = {
  stripe: 'usd',
  adyen: 'eur',
  razorpay: 'inr',
};

function act(actions: Readonly<Record<string, AdminAction>>, name: string, body: unknown): unknown {
  const action = actions[name];
  if (action === undefined) throw new Error(`the fake has no action ${name}`);
  const result = action(body);
  if (result.status >= 300) throw new Error(`${name} failed: ${JSON.stringify(result.body)}`);
  return result.body;
}

/** The records of one fake of the environment, with the service's customer links applied. */
export function recordsOf(
  env: PspEnvironment,
  psp: PspName,
  links: readonly CustomerLink[] = [],
): PspRecords {
  return linkCustomers(rawRecordsOf(env, psp), links);
}

function rawRecordsOf(env: PspEnvironment, psp: PspName): PspRecords {
  const fake = env.fakes.find((candidate) => candidate.psp === psp);
  if (fake === undefined) throw new Error(`the run has no fake ${psp}`);
  return recordsOfFake(fake);
}

// Adyen refunds and disputes name the payment, which a manual capture's movement carries as its parent.
const refOf = (psp: PspName, movement: MoneyMovement) =>
  psp === 'adyen' ? (movement.parentId ?? movement.objectId) : movement.objectId;

/** The PSP-side actors of one PSP, each played through its fake's admin actions. */
type PaymentActors = Pick<
  PaymentsView,
  'dashboardRefund' | 'failNextRefund' | 'failRefund' | 'holdNextCapture' | 'dispute'
>;

const optionalAmount = (amount: number | undefined) => (amount === undefined ? {} : { amount });

/** Who plays the dashboard, the bank and the card scheme at each PSP: adding a PSP adds one entry. */
const actorsOf: Readonly<Record<PspName, (actions: Readonly<Record<string, AdminAction>>) => PaymentActors>> =
  {
    stripe: (actions) => ({
      dashboardRefund: (ref, amount) =>
        void act(actions, 'dashboard_refund', { charge: ref, ...optionalAmount(amount) }),
      failNextRefund: () => void act(actions, 'fail_next_refund', {}),
      failRefund: (refundRef) => void act(actions, 'fail_refund', { refund: refundRef }),
      holdNextCapture: () => notRazorpay('stripe'),
      dispute: (ref, outcome) => {
        const dispute = act(actions, 'open_dispute', { charge: ref }) as { id: string };
        act(actions, outcome === 'lost' ? 'lose_dispute' : 'win_dispute', { dispute: dispute.id });
      },
    }),
    adyen: (actions) => ({
      dashboardRefund: (ref, amount) =>
        void act(actions, 'dashboard_refund', { pspReference: ref, ...optionalAmount(amount) }),
      failNextRefund: () => void act(actions, 'fail_next_refund', {}),
      failRefund: (refundRef) => void act(actions, 'refund_failed', { pspReference: refundRef }),
      holdNextCapture: () => notRazorpay('adyen'),
      dispute: (ref, outcome) => {
        act(actions, 'chargeback', { pspReference: ref });
        if (outcome === 'won') act(actions, 'chargeback_reversed', { pspReference: ref });
      },
    }),
    razorpay: (actions) => ({
      dashboardRefund: (ref, amount) =>
        void act(actions, 'dashboard_refund', { payment_id: ref, ...optionalAmount(amount) }),
      failNextRefund: () => void act(actions, 'fail_next_refund', {}),
      // Razorpay's refunds fail before they are processed, never after: that is failNextRefund.
      failRefund: () => {
        throw new Error('a processed Razorpay refund does not fail: use failNextRefund');
      },
      holdNextCapture: () => void act(actions, 'hold_next_capture', {}),
      dispute: (ref, outcome) => void act(actions, 'dispute', { payment_id: ref, outcome }),
    }),
  };

function notRazorpay(psp: PspName): never {
  throw new Error(`holdNextCapture is Razorpay's (a late authorisation); this run is ${psp}'s`);
}

/** The payments view of the run's PSP. */
export function paymentsView(
  env: PspEnvironment,
  psp: PspName,
  links: readonly CustomerLink[] = [],
): PaymentsView {
  const records = () => recordsOf(env, psp, links);
  const fake = env.fakes.find((candidate) => candidate.psp === psp);
  if (fake === undefined) throw new Error(`the run has no fake ${psp}`);
  const movementsOf = (kind: MoneyMovement['kind'], customerId: string) =>
    records().movements.filter((movement) => movement.kind === kind && movement.customerId === customerId);
  return {
    records,
    paid: (customerId) =>
      movementsOf('capture', customerId).map((movement) => ({
        ref: refOf(psp, movement),
        amount: movement.amountMinor,
        currency: movement.currency,
      })),
    refunds: (customerId) =>
      movementsOf('refund', customerId).map((movement) => ({
        ref: movement.objectId,
        amount: movement.amountMinor,
        currency: movement.currency,
      })),
    ...actorsOf[psp](fake.actions),
  };
}

/**
 * The customer's browser step after signing up at Razorpay, which no billing service can take
 * for them: authenticate on Checkout the subscription the service made (managed-razorpay), or
 * authorise a card mandate on the hosted page; in the hybrid pattern Razorpay only takes top-ups,
 * each paid on Checkout when asked for, so there is nothing to do yet.
 */
export function razorpaySignupStep(
  env: PspEnvironment,
  pattern: IntegrationPattern,
  request: CreateCustomerRequest,
  links: readonly CustomerLink[] = [],
): void {
  if (pattern === 'hybrid') return;
  if (pattern === 'managed-razorpay') authenticateRazorpaySubscriptions(env, request, links);
  else authoriseRazorpayMandate(env, request.customerId, request.paymentMethod, links);
}

/**
 * The customer authenticates, on Checkout, each subscription the service just made for them:
 * one tagged with their id, or one tagged with nobody's (customers sign up one at a time, so an
 * untagged subscription still `created` is the newest customer's). Checkout links the Razorpay
 * customer the service made for them, if it can tell which.
 */
export function authenticateRazorpaySubscriptions(
  env: PspEnvironment,
  request: CreateCustomerRequest,
  links: readonly CustomerLink[] = [],
): void {
  if (env.razorpay === undefined) return;
  const customer = recordsOf(env, 'razorpay', links).customers.find(
    (entry) => entry.customerId === request.customerId,
  );
  for (const { subscription } of env.razorpay.dump().subscriptions) {
    const tag = (subscription.notes as Record<string, unknown>)[customerIdMetadataKey];
    if (subscription.status !== 'created' || (tag !== undefined && tag !== request.customerId)) continue;
    act(env.razorpay.actions, 'authenticate_subscription', {
      subscription_id: subscription.id,
      card: request.paymentMethod,
      email: request.email,
      name: request.name,
      ...(customer === undefined ? {} : { customer_id: customer.pspCustomerId }),
    });
  }
}

/**
 * The customer's part after signing up at Razorpay: they authorise a card mandate on Razorpay's
 * hosted page (a browser step no billing service can do for them), with the scenario's test card.
 */
export function authoriseRazorpayMandate(
  env: PspEnvironment,
  customerId: string,
  card: string,
  links: readonly CustomerLink[] = [],
): void {
  if (env.razorpay === undefined) return;
  const customer = recordsOf(env, 'razorpay', links).customers.find(
    (entry) => entry.customerId === customerId,
  );
  if (customer === undefined) return;
  act(env.razorpay.actions, 'authorize_mandate', { customer_id: customer.pspCustomerId, card });
}

/**
 * The customer pays, on Razorpay's hosted Checkout, every order of theirs still open (a wallet
 * top-up the billing service created): the browser step no billing service can do for them.
 * An order is theirs by its notes tag or by the Razorpay customer the service linked to them.
 */
export function payOpenRazorpayOrders(
  env: PspEnvironment,
  customerId: string,
  card: string,
  links: readonly CustomerLink[] = [],
): void {
  if (env.razorpay === undefined) return;
  const linked = new Set(
    links
      .filter((link) => link.psp === 'razorpay' && link.customerId === customerId)
      .map((link) => link.pspCustomerId),
  );
  const dump = env.razorpay.dump();
  const open = dump.orders.filter(
    ({ order, customerId: razorpayCustomer }) =>
      order.status === 'created' &&
      ((order.notes as Record<string, unknown>)[customerIdMetadataKey] === customerId ||
        (razorpayCustomer !== null && linked.has(razorpayCustomer))),
  );
  for (const { order } of open) act(env.razorpay.actions, 'checkout', { order_id: order.id, card });
}
