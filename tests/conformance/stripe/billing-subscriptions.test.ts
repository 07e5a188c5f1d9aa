import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { advanceClock, daySeconds, monthlyPrice, startSeconds, storedEvents } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

const feb1 = Math.floor(Date.UTC(2026, 1, 1) / 1000);
const mar1 = Math.floor(Date.UTC(2026, 2, 1) / 1000);

async function clockedCustomer(paymentMethod: string) {
  const clock = await h.stripe.testHelpers.testClocks.create({
    frozen_time: startSeconds,
    name: paymentMethod,
  });
  const customer = await h.stripe.customers.create({
    test_clock: clock.id,
    email: `${paymentMethod}@billing.test`,
    invoice_settings: { default_payment_method: paymentMethod },
  });
  return { clock, customer };
}

describe('a metered subscription billed through a test-clock advance', () => {
  it('bills usage in arrears and the base fee in advance, finalizes 1 h later and pays automatically', async () => {
    const base = await monthlyPrice(h, { unitAmount: 1000 });
    const usage = await monthlyPrice(h, { unitAmount: 5, meterEvent: 'api_call' });
    const { clock, customer } = await clockedCustomer('pm_card_visa');
    expectStripeShape('test_helpers.test_clock', clock);
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: base.price.id, quantity: 1 }, { price: usage.price.id }],
    });
    expect(subscription).toMatchObject({ status: 'active', test_clock: clock.id, start_date: startSeconds });
    expectStripeShape('subscription', subscription);
    // current_trial is in the SDK's SubscriptionItem type for this API version, not in the older fixture.
    expectStripeShape('subscription_item', subscription.items.data[0], ['current_trial']);
    expect(subscription.items.data[0]).toMatchObject({
      current_period_start: startSeconds,
      current_period_end: feb1,
      quantity: 1,
    });
    expect(subscription.items.data[1]!.quantity).toBeUndefined();
    const first = await h.stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(first).toMatchObject({
      status: 'paid',
      billing_reason: 'subscription_create',
      amount_paid: 1000,
      total: 1000,
    });

    expect((await advanceClock(h, clock.id, startSeconds + 10 * daySeconds)).status).toBe('ready');
    const now = startSeconds + 10 * daySeconds;
    for (const [value, at] of [
      ['7', now - 100],
      ['5', now - 50],
      ['30', now],
    ] as const) {
      await h.stripe.billing.meterEvents.create({
        event_name: 'api_call',
        payload: { stripe_customer_id: customer.id, value },
        timestamp: at,
      });
    }
    const marker = storedEvents(h).length;
    const ready = await advanceClock(h, clock.id, feb1 + 2 * 3600);
    expect(ready).toMatchObject({ status: 'ready', frozen_time: feb1 + 2 * 3600, status_details: {} });

    const invoices = await h.stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data).toHaveLength(2);
    const renewal = invoices.data[0]!;
    expect(renewal).toMatchObject({
      billing_reason: 'subscription_cycle',
      status: 'paid',
      subtotal: 1210,
      total: 1210,
      amount_due: 1210,
      amount_paid: 1210,
      amount_remaining: 0,
      period_start: startSeconds,
      period_end: feb1,
      created: feb1,
      attempt_count: 1,
      test_clock: clock.id,
    });
    expect(renewal.status_transitions.finalized_at).toBe(feb1 + 3600);
    expect(renewal.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(renewal.lines.data.map((line) => [line.amount, line.quantity, line.period])).toEqual([
      [1000, 1, { start: feb1, end: mar1 }],
      [210, 42, { start: startSeconds, end: feb1 }],
    ]);
    // The fixture predates basil, which moved `subscription` into `parent.subscription_details` (trap 8).
    expectStripeShape('invoice', renewal, [], ['subscription']);
    expect('subscription' in renewal).toBe(false);
    expectStripeShape('line_item', renewal.lines.data[1]);
    const payments = await h.stripe.invoicePayments.list({ invoice: renewal.id });
    expect(payments.data).toHaveLength(1);
    expect(payments.data[0]).toMatchObject({ status: 'paid', amount_paid: 1210, is_default: true });
    expectStripeShape('invoice_payment', payments.data[0]);

    const renewed = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(renewed).toMatchObject({ status: 'active', latest_invoice: renewal.id });
    expect(renewed.items.data[0]).toMatchObject({ current_period_start: feb1, current_period_end: mar1 });

    const after = storedEvents(h).slice(marker);
    const billing = /^(invoice|invoice_payment|customer\.subscription|test_helpers)\./;
    expect(after.map((event) => event.type).filter((type) => billing.test(type))).toEqual([
      'test_helpers.test_clock.advancing',
      'invoice.created',
      'customer.subscription.updated',
      'invoice.finalized',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
      'test_helpers.test_clock.ready',
    ]);
    const charged = after.findIndex((event) => event.type === 'payment_intent.succeeded');
    expect(charged).toBeGreaterThan(after.findIndex((event) => event.type === 'invoice.finalized'));
    expect(charged).toBeLessThan(after.findIndex((event) => event.type === 'invoice.paid'));
    const billingTypes = after.map((event) => event.type).filter((type) => type.startsWith('invoice.'));
    expect(billingTypes).toEqual([
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    const stamped = after.find((event) => event.type === 'invoice.finalized')!;
    expect(stamped.created).toBe(feb1 + 3600);
    expect(after.at(-1)!.type).toBe('test_helpers.test_clock.ready');
  });

  it('refuses to advance backwards or past two intervals of the shortest subscription, changing nothing', async () => {
    const base = await monthlyPrice(h, { unitAmount: 500 });
    const { clock, customer } = await clockedCustomer('pm_card_visa');
    await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: base.price.id }] });
    const backwards = await h.stripe.testHelpers.testClocks
      .advance(clock.id, { frozen_time: startSeconds - 1 })
      .catch((error: unknown) => error);
    expect(backwards).toMatchObject({ statusCode: 400, param: 'frozen_time' });
    const tooFar = await h.stripe.testHelpers.testClocks
      .advance(clock.id, { frozen_time: mar1 + daySeconds })
      .catch((error: unknown) => error);
    expect(tooFar).toMatchObject({ statusCode: 400, param: 'frozen_time' });
    expect(await h.stripe.testHelpers.testClocks.retrieve(clock.id)).toMatchObject({
      status: 'ready',
      frozen_time: startSeconds,
    });
  });
});

describe('failed renewals: invoice.payment_failed, retries on a fixed schedule, then cancellation', () => {
  it('retries 3, 5 and 7 days apart, past_due meanwhile, and cancels after the last failure', async () => {
    const base = await monthlyPrice(h, { unitAmount: 2000 });
    const { clock, customer } = await clockedCustomer('pm_card_visa');
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: base.price.id }],
    });
    await h.stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: 'pm_card_chargeCustomerFail' },
    });
    await advanceClock(h, clock.id, feb1 + 2 * 3600);
    const [renewal] = (await h.stripe.invoices.list({ subscription: subscription.id, limit: 1 })).data;
    expect(renewal).toMatchObject({
      status: 'open',
      attempt_count: 1,
      next_payment_attempt: feb1 + 3600 + 3 * daySeconds,
    });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    const failures = () =>
      storedEvents(h).filter(
        (event) =>
          event.type === 'invoice.payment_failed' && (event.data.object as Stripe.Invoice).id === renewal!.id,
      );
    expect(failures()).toHaveLength(1);

    await advanceClock(h, clock.id, feb1 + 4 * daySeconds);
    expect(await h.stripe.invoices.retrieve(renewal!.id)).toMatchObject({
      attempt_count: 2,
      next_payment_attempt: feb1 + 3600 + 8 * daySeconds,
    });
    await advanceClock(h, clock.id, feb1 + 9 * daySeconds);
    expect((await h.stripe.invoices.retrieve(renewal!.id)).attempt_count).toBe(3);
    await advanceClock(h, clock.id, feb1 + 16 * daySeconds);
    const last = await h.stripe.invoices.retrieve(renewal!.id);
    expect(last).toMatchObject({
      status: 'open',
      attempt_count: 4,
      next_payment_attempt: null,
      auto_advance: false,
    });
    expect(failures().map((event) => event.created)).toEqual(
      [0, 3, 8, 15].map((day) => feb1 + 3600 + day * daySeconds),
    );
    const ended = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(ended).toMatchObject({ status: 'canceled', canceled_at: feb1 + 3600 + 15 * daySeconds });
    expect(ended.cancellation_details?.reason).toBe('payment_failed');
    expect(
      storedEvents(h).some(
        (event) =>
          event.type === 'customer.subscription.deleted' &&
          (event.data.object as Stripe.Subscription).id === subscription.id,
      ),
    ).toBe(true);
  });

  it('allow_incomplete: a declined first invoice leaves the subscription incomplete until it is paid', async () => {
    const base = await monthlyPrice(h, { unitAmount: 1500 });
    const customer = await h.stripe.customers.create({
      invoice_settings: { default_payment_method: 'pm_card_chargeCustomerFail' },
    });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: base.price.id }],
    });
    expect(subscription.status).toBe('incomplete');
    const invoice = await h.stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 1, amount_remaining: 1500 });
    const paid = await h.stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_visa' });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 1500 });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('error_if_incomplete: a decline answers 402 and creates no subscription', async () => {
    const base = await monthlyPrice(h, { unitAmount: 1500 });
    const customer = await h.stripe.customers.create({
      invoice_settings: { default_payment_method: 'pm_card_chargeCustomerFail' },
    });
    const error = await h.stripe.subscriptions
      .create({
        customer: customer.id,
        items: [{ price: base.price.id }],
        payment_behavior: 'error_if_incomplete',
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((await h.stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(
      0,
    );
    expect((await h.stripe.invoices.list({ customer: customer.id })).data).toHaveLength(0);
  });
});

describe('subscription updates, cancellation and bad input', () => {
  it('cancel_at_period_end ends it at the period end; DELETE with invoice_now bills usage so far', async () => {
    const base = await monthlyPrice(h, { unitAmount: 300 });
    const { clock, customer } = await clockedCustomer('pm_card_visa');
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: base.price.id }],
    });
    const updated = await h.stripe.subscriptions.update(subscription.id, {
      cancel_at_period_end: true,
      metadata: { a: 'b' },
    });
    expect(updated).toMatchObject({ cancel_at_period_end: true, cancel_at: feb1, metadata: { a: 'b' } });
    await advanceClock(h, clock.id, feb1 + 60);
    expect(await h.stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'canceled',
      ended_at: feb1,
    });
    expect((await h.stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);

    const usage = await monthlyPrice(h, { unitAmount: 2, meterEvent: 'rows' });
    const other = await h.stripe.customers.create({
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const metered = await h.stripe.subscriptions.create({
      customer: other.id,
      items: [{ price: usage.price.id }],
    });
    h.sim.clock.advanceBy(3_600_000);
    await h.stripe.billing.meterEvents.create({
      event_name: 'rows',
      payload: { stripe_customer_id: other.id, value: '50' },
    });
    h.sim.clock.advanceBy(3_600_000);
    const canceled = await h.stripe.subscriptions.cancel(metered.id, { invoice_now: true });
    expect(canceled.status).toBe('canceled');
    const final = await h.stripe.invoices.retrieve(canceled.latest_invoice as string);
    expect(final).toMatchObject({ status: 'draft', billing_reason: 'subscription_cycle', total: 100 });
    const again = await h.stripe.subscriptions.cancel(metered.id).catch((caught: unknown) => caught);
    expect(again).toMatchObject({ statusCode: 400 });
  });

  it('answers bad input with a 400 naming the param and changes nothing', async () => {
    const usage = await monthlyPrice(h, { unitAmount: 2, meterEvent: 'bad_input' });
    const customer = await h.stripe.customers.create({});
    const before = (await h.stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data.length;
    const quantity = await h.stripe.subscriptions
      .create({ customer: customer.id, items: [{ price: usage.price.id, quantity: 3 }] })
      .catch((caught: unknown) => caught);
    expect(quantity).toMatchObject({ statusCode: 400, param: 'items[0][quantity]' });
    const noPrice = await h.stripe.subscriptions
      .create({ customer: customer.id, items: [{ price: 'price_missing' }] })
      .catch((caught: unknown) => caught);
    expect(noPrice).toMatchObject({ param: 'items[0][price]', code: 'resource_missing' });
    const noItems = await h.stripe.subscriptions
      .create({ customer: customer.id } as Stripe.SubscriptionCreateParams)
      .catch((caught: unknown) => caught);
    expect(noItems).toMatchObject({ statusCode: 400, param: 'items' });
    const sendInvoice = await h.stripe.subscriptions
      .create({
        customer: customer.id,
        items: [{ price: usage.price.id }],
        collection_method: 'send_invoice',
      })
      .catch((caught: unknown) => caught);
    expect(sendInvoice).toMatchObject({ statusCode: 400, param: 'days_until_due' });
    expect((await h.stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data.length).toBe(
      before,
    );
  });
});
