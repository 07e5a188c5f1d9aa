import type { JsonValue } from '../../sim/canonical-json.ts';
import { customerOf } from './customers-tokens.ts';
import type { CustomerEntity } from './entities.ts';
import { expireAuthorization } from './authorization-expiry.ts';
import { minimumAmount } from './orders.ts';
import { authorize, confirmToken, createPayment, failPayment } from './payment-flow.ts';
import type { RazorpayContext, RazorpayRuntime } from './runtime.ts';
import { subscriptionSignature } from './signing.ts';
import type { PaymentRecord, SubscriptionRecord } from './store.ts';
import { scheduleActivation, startCycles } from './subscription-cycle.ts';
import { chargeInvoice, issueInvoice, unbilledAddons } from './subscription-invoices.ts';
import { endOfCycles, moveTo } from './subscription-status.ts';
import { subscriptionOf } from './subscriptions.ts';
import { bankPageFailure, razorpayTestCards, testCard, type TestCard } from './test-cards.ts';
import { AdminRefusal, runAction } from './work.ts';

/** The customer's authentication transaction on Checkout, with `subscription_id`. */
export interface AuthenticationInput {
  readonly subscriptionId: string;
  /**
   * A test card (default Razorpay's Visa subscription card). A failure card authenticates fine
   * and fails the auto-charges.
   */
  readonly card?: string;
  /** The button pressed on the mock bank page: `failure` fails this transaction. */
  readonly outcome?: 'success' | 'failure';
  /** Checkout's `customer_id` option: an existing customer. Otherwise one is found or made from the details typed. */
  readonly customerId?: string;
  readonly email?: string;
  readonly contact?: string;
  readonly name?: string;
}

/** The customer Checkout links: the one named, else one with the same email and contact, else a new one. */
function customerFor(context: RazorpayContext, input: AuthenticationInput): CustomerEntity {
  if (input.customerId !== undefined) return customerOf(context, input.customerId);
  const { store, ids } = context.runtime;
  const email = input.email ?? 'void@razorpay.com';
  const contact = input.contact ?? '+919000090000';
  const existing = store.customerWith(email, contact);
  if (existing !== undefined) return existing;
  const customer: CustomerEntity = {
    id: ids.razorpay('cust_'),
    entity: 'customer',
    name: input.name ?? null,
    email,
    contact,
    gstin: null,
    notes: [],
    created_at: context.nowSeconds,
  };
  store.customers.set(customer.id, customer);
  return customer;
}

/**
 * A future-start subscription without upfront add-ons: the card is authorised for one unit of
 * the currency and Razorpay gives the authorisation back at once (no money moves).
 */
function authorisationOnly(
  context: RazorpayContext,
  record: SubscriptionRecord,
  card: TestCard,
  failed: boolean,
) {
  const { runtime } = context;
  const plan = runtime.store.plans.get(record.subscription.plan_id)!;
  const amount = minimumAmount(plan.item.currency);
  const order = {
    id: runtime.ids.razorpay('order_'),
    entity: 'order' as const,
    amount,
    amount_paid: 0,
    amount_due: amount,
    currency: plan.item.currency,
    receipt: null,
    offer_id: null,
    status: 'created' as const,
    attempts: 0,
    notes: [],
    created_at: context.nowSeconds,
  };
  const orderRecord = {
    order,
    keyId: record.keyId,
    requestId: null,
    capture: 'manual' as const,
    partialPayment: false,
    customerId: record.subscription.customer_id,
    mandate: null,
  };
  runtime.store.orders.set(order.id, orderRecord);
  const payment = createPayment(context, {
    order: orderRecord,
    amount,
    card,
    email: null,
    contact: null,
    customerId: record.subscription.customer_id,
    tokenId: null,
    notes: {},
    description: 'Subscription authentication',
    origin: 'subscription',
  });
  if (failed) failPayment(context, payment, card.failure ?? bankPageFailure);
  else {
    authorize(context, payment);
    expireAuthorization(context, payment);
  }
  return payment;
}

/** The transaction itself: the first cycle's invoice (immediate start), upfront add-ons, or an authorisation. */
function authenticationPayment(
  context: RazorpayContext,
  record: SubscriptionRecord,
  card: TestCard,
  failed: boolean,
) {
  const { subscription } = record;
  const immediate = subscription.start_at === null || subscription.start_at <= context.nowSeconds;
  const mode = { by: 'customer', failed } as const;
  const plan = context.runtime.store.plans.get(subscription.plan_id)!;
  const due = context.runtime.store.invoices.get(record.dueInvoiceId ?? '');
  if (due !== undefined && due.invoice.status === 'issued') return chargeInvoice(context, record, due, mode);
  if (!immediate && unbilledAddons(context, subscription.id).length === 0)
    return authorisationOnly(context, record, card, failed);
  const invoice = issueInvoice(context, record, {
    cycle: immediate ? 1 : 0,
    plan,
    billingStart: immediate ? context.nowSeconds : null,
    billingEnd: null,
  });
  if (immediate) subscription.remaining_count -= 1;
  record.dueInvoiceId = invoice.invoice.id;
  return chargeInvoice(context, record, invoice, mode);
}

/** After a successful transaction: the mandate, `authenticated`, and billing started or scheduled. */
function authenticated(
  context: RazorpayContext,
  record: SubscriptionRecord,
  payment: PaymentRecord,
  card: TestCard,
) {
  const { subscription } = record;
  const token = confirmToken(context, {
    customerId: subscription.customer_id!,
    card,
    cardName: payment.payment.card.name,
    paymentId: payment.payment.id,
    maxAmount: null,
    expireAt: subscription.end_at,
  });
  record.tokenId = token.token.id;
  record.cardNumber = card.number;
  record.dueInvoiceId = null;
  subscription.auth_attempts = 0;
  subscription.payment_method = 'card';
  moveTo(subscription, 'authenticated');
  context.emit({ event: 'subscription.authenticated', subscription });
  if (subscription.start_at !== null && subscription.start_at > context.nowSeconds) {
    scheduleActivation(context.runtime, record, subscription.start_at);
    return;
  }
  const plan = context.runtime.store.plans.get(subscription.plan_id)!;
  subscription.start_at = context.nowSeconds;
  subscription.end_at = endOfCycles(context.nowSeconds, subscription.total_count, plan);
  startCycles(context, record);
  subscription.paid_count = 1;
  context.emit({ event: 'subscription.activated', subscription, payment: payment.payment });
  context.emit({ event: 'subscription.charged', subscription, payment: payment.payment });
}

function keySecretOf(runtime: RazorpayRuntime, keyId: string): string {
  return (runtime.keys.find((key) => key.keyId === keyId) ?? runtime.keys[0]!).keySecret;
}

/**
 * The customer completes a subscription's authentication transaction on Checkout (a browser step,
 * so a harness action): with no `start_at` it is the first cycle's charge (plan and upfront
 * add-ons) and billing starts now; with a future `start_at` it charges the upfront add-ons, or
 * authorises the card and gives it back, and billing starts then. Success returns the browser's
 * `razorpay_payment_id`, `razorpay_subscription_id` and `razorpay_signature` (HMAC of
 * `payment_id|subscription_id` with the key_secret); failure, Checkout's error with
 * `metadata.payment_id`, the subscription still `created`.
 */
export function authenticateSubscription(runtime: RazorpayRuntime, input: AuthenticationInput): JsonValue {
  return runAction(
    runtime,
    'authenticate_subscription',
    { subscriptionId: input.subscriptionId },
    (context) => {
      const record = subscriptionOf(context, input.subscriptionId);
      const { subscription } = record;
      if (subscription.status !== 'created')
        throw new AdminRefusal(`subscription ${subscription.id} is ${subscription.status}, not created`);
      const card = testCard(input.card ?? razorpayTestCards.visaSubscription);
      const failed = input.outcome === 'failure';
      subscription.customer_id = customerFor(context, input).id;
      record.cardNumber = card.number;
      const payment = authenticationPayment(context, record, card, failed);
      if (payment.payment.status === 'failed') {
        subscription.auth_attempts += 1;
        const { payment: failedPayment } = payment;
        return {
          error: {
            code: failedPayment.error_code,
            description: failedPayment.error_description,
            source: failedPayment.error_source,
            step: failedPayment.error_step,
            reason: failedPayment.error_reason,
            metadata: { payment_id: failedPayment.id, subscription_id: subscription.id },
          },
        };
      }
      authenticated(context, record, payment, card);
      return {
        razorpay_payment_id: payment.payment.id,
        razorpay_subscription_id: subscription.id,
        razorpay_signature: subscriptionSignature(
          payment.payment.id,
          subscription.id,
          keySecretOf(runtime, record.keyId),
        ),
      };
    },
  );
}
