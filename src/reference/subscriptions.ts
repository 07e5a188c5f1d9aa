import type Stripe from 'stripe';
import type { CreateCustomerRequest } from '../sut/contract.ts';
import { idOf, nowIso, stripeOf, type CustomerRecord, type Runtime } from './context.ts';
import { createStripeCustomer } from './customers.ts';
import { accounts, transfer } from './ledger.ts';
import { periodEndMs, pspAmount } from './money.ts';
import { book, postFee, type Origin } from './postings.ts';

const meterIds = new WeakMap<Runtime, Map<string, string>>();

/** The Stripe billing meter for a usage meter of the plans (created once, keyed by name). */
export async function meterFor(runtime: Runtime, meter: string): Promise<string> {
  let known = meterIds.get(runtime);
  if (known === undefined) meterIds.set(runtime, (known = new Map()));
  const existing = known.get(meter);
  if (existing !== undefined) return existing;
  const created = await stripeOf(runtime).billing.meters.create(
    { display_name: meter, event_name: meter, default_aggregation: { formula: 'sum' } },
    { idempotencyKey: `meter:${runtime.setup?.runId}:${meter}` },
  );
  known.set(meter, created.id);
  return created.id;
}

/** A customer on its own test clock, frozen at the service's now, so Stripe Billing follows it. */
export async function createClockedCustomer(
  runtime: Runtime,
  request: CreateCustomerRequest,
  alsoAt?: 'razorpay',
): Promise<CustomerRecord> {
  const clock = await stripeOf(runtime).testHelpers.testClocks.create(
    { frozen_time: Math.floor(runtime.nowMs / 1000), name: request.customerId },
    { idempotencyKey: `clock:${runtime.setup?.runId}:${request.customerId}` },
  );
  return createStripeCustomer(runtime, request, {
    testClock: clock.id,
    ...(alsoAt === undefined ? {} : { alsoAt }),
  });
}

/**
 * Subscribes a customer to its plan: a licensed price for the base fee and, with `metered`, a
 * metered price per meter. Remembers which revenue account each price feeds.
 */
export async function subscribe(runtime: Runtime, customer: CustomerRecord, metered: boolean): Promise<void> {
  const stripe = stripeOf(runtime);
  const { plan, currency, customerId } = customer.request;
  const key = `subscription:${runtime.setup?.runId}:${customerId}`;
  const items: Stripe.SubscriptionCreateParams.Item[] = [];
  if (plan.baseFeeMinor > 0) {
    const price = await stripe.prices.create(
      {
        currency,
        unit_amount: pspAmount(runtime, plan.baseFeeMinor, currency),
        recurring: { interval: plan.interval },
        product_data: { name: `Base fee (${customerId})` },
      },
      { idempotencyKey: `${key}:base` },
    );
    customer.priceAccounts.set(price.id, accounts.subscription);
    items.push({ price: price.id, quantity: 1 });
  }
  for (const [meter, unitPrice] of metered ? Object.entries(plan.unitPricesMinor) : []) {
    const price = await stripe.prices.create(
      {
        currency,
        unit_amount: pspAmount(runtime, unitPrice, currency),
        recurring: { interval: plan.interval, usage_type: 'metered', meter: await meterFor(runtime, meter) },
        product_data: { name: `${meter} (${customerId})` },
      },
      { idempotencyKey: `${key}:${meter}` },
    );
    customer.priceAccounts.set(price.id, accounts.usage);
    items.push({ price: price.id });
  }
  if (items.length === 0) return;
  await stripe.subscriptions.create(
    { customer: customer.stripeCustomerId, items, metadata: { fakepsp_customer_id: customerId } },
    { idempotencyKey: key },
  );
}

// Bounds: clock steps per advance, and status polls per step.
const clockStepsMax = 100;
const readyPollsMax = 20;

/**
 * Moves every customer's test clock to the service's now, one plan interval at a time (Stripe
 * allows two), waiting for each advance to be `ready` before the next.
 */
export async function advanceTestClocks(runtime: Runtime): Promise<void> {
  const stripe = stripeOf(runtime);
  const target = Math.floor(runtime.nowMs / 1000);
  for (const customer of runtime.customers.values()) {
    if (customer.testClock === undefined) continue;
    let clock = await stripe.testHelpers.testClocks.retrieve(customer.testClock);
    for (let step = 0; clock.frozen_time < target; step++) {
      if (step >= clockStepsMax)
        throw new Error(`test clock ${clock.id} needs more than ${clockStepsMax} steps`);
      const next = Math.min(
        target,
        periodEndMs(clock.frozen_time * 1000, customer.request.plan.interval) / 1000,
      );
      clock = await stripe.testHelpers.testClocks.advance(
        clock.id,
        { frozen_time: next },
        { idempotencyKey: `clock-advance:${clock.id}:${next}` },
      );
      for (let poll = 0; clock.status !== 'ready'; poll++) {
        if (poll >= readyPollsMax) throw new Error(`test clock ${clock.id} is still ${clock.status}`);
        clock = await stripe.testHelpers.testClocks.retrieve(clock.id);
      }
    }
  }
}

/** Reports the usage event to Stripe Billing, keyed by its eventId (also Stripe's identifier). */
export async function reportMeterEvent(
  runtime: Runtime,
  customer: CustomerRecord,
  usage: { readonly id: string; readonly meter: string; readonly quantity: number; readonly atMs: number },
): Promise<void> {
  await stripeOf(runtime).billing.meterEvents.create(
    {
      event_name: usage.meter,
      identifier: usage.id,
      timestamp: Math.floor(usage.atMs / 1000),
      payload: { stripe_customer_id: customer.stripeCustomerId, value: String(usage.quantity) },
    },
    { idempotencyKey: `usage:${runtime.setup?.runId}:${customer.request.customerId}:${usage.id}` },
  );
}

/**
 * Mirrors Stripe invoices in the ledger: the receivable and revenue when the invoice is final,
 * the payment (and fee) when it is paid, a reversal when it is voided.
 */
export async function mirrorInvoiceEvent(
  runtime: Runtime,
  event: Stripe.Event,
  origin: Origin,
): Promise<void> {
  if (!event.type.startsWith('invoice.')) return;
  const invoice = event.data.object as Stripe.Invoice;
  const customerId = runtime.stripeCustomers.get(idOf(invoice.customer) ?? '');
  if (customerId === undefined || invoice.total === 0) return;
  const customer = runtime.customers.get(customerId)!;
  if (['invoice.finalized', 'invoice.paid', 'invoice.payment_failed'].includes(event.type)) {
    bookInvoice(runtime, customer, invoice, origin);
  }
  if (event.type === 'invoice.paid') await bookInvoicePayments(runtime, customer, invoice, origin);
  if (event.type === 'invoice.voided' && runtime.ledger.has(`invoice:${invoice.id}`)) {
    book(runtime, origin, {
      key: `invoice-void:${invoice.id}`,
      at: nowIso(runtime),
      kind: 'invoice_void',
      customerId,
      ref: { psp: 'stripe', type: 'invoice', id: invoice.id },
      postings: transfer(
        accounts.subscription,
        accounts.receivable(customerId),
        invoice.total,
        invoice.currency,
      ),
    });
  }
}

function bookInvoice(
  runtime: Runtime,
  customer: CustomerRecord,
  invoice: Stripe.Invoice,
  origin: Origin,
): void {
  const customerId = customer.request.customerId;
  const revenue = new Map<string, number>();
  for (const line of invoice.lines.data) {
    const priceId = idOf(line.pricing?.price_details?.price) ?? '';
    const account = customer.priceAccounts.get(priceId) ?? accounts.subscription;
    revenue.set(account, (revenue.get(account) ?? 0) + line.amount);
  }
  const linesTotal = [...revenue.values()].reduce((sum, amount) => sum + amount, 0);
  // Discounts, credits and tax are not modelled: any difference stays with the subscription.
  revenue.set(accounts.subscription, (revenue.get(accounts.subscription) ?? 0) + invoice.total - linesTotal);
  book(runtime, origin, {
    key: `invoice:${invoice.id}`,
    at: nowIso(runtime),
    kind: 'invoice',
    customerId,
    ref: { psp: 'stripe', type: 'invoice', id: invoice.id },
    postings: [
      { account: accounts.receivable(customerId), amount: invoice.total, currency: invoice.currency },
      ...[...revenue].map(([account, amount]) => ({ account, amount: -amount, currency: invoice.currency })),
    ],
  });
}

async function bookInvoicePayments(
  runtime: Runtime,
  customer: CustomerRecord,
  invoice: Stripe.Invoice,
  origin: Origin,
): Promise<void> {
  const stripe = stripeOf(runtime);
  const customerId = customer.request.customerId;
  const payments = await stripe.invoicePayments.list({ invoice: invoice.id!, limit: 100 });
  for (const payment of payments.data) {
    const intentId = payment.status === 'paid' ? idOf(payment.payment.payment_intent) : undefined;
    if (intentId === undefined) continue;
    const intent = await stripe.paymentIntents.retrieve(intentId, {
      expand: ['latest_charge.balance_transaction'],
    });
    const charge = intent.latest_charge;
    if (charge === null || typeof charge === 'string') continue;
    runtime.charges.set(charge.id, { customerId, account: undefined });
    book(runtime, origin, {
      key: `charge:${charge.id}`,
      at: nowIso(runtime),
      kind: 'payment',
      customerId,
      ref: { psp: 'stripe', type: 'charge', id: charge.id },
      postings: transfer(accounts.cash, accounts.receivable(customerId), charge.amount, charge.currency),
    });
    const balance = charge.balance_transaction;
    if (balance !== null && typeof balance !== 'string') postFee(runtime, origin, customerId, balance);
  }
}
