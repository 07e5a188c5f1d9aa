import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { advanceClock, daySeconds, startSeconds } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe(21)));
afterAll(() => h.close());

const feb1 = Math.floor(Date.UTC(2026, 1, 1) / 1000);
const january = feb1 - startSeconds;

async function plan(name: string, unitAmount: number): Promise<Stripe.Price> {
  return h.stripe.prices.create({
    currency: 'usd',
    unit_amount: unitAmount,
    product_data: { name },
    recurring: { interval: 'month' },
  });
}

/** A customer on a test clock, subscribed on 1 January to `price`, ten days in. */
async function tenDaysIn(price: Stripe.Price, quantity = 1) {
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: startSeconds });
  const customer = await h.stripe.customers.create({
    test_clock: clock.id,
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: price.id, quantity }],
  });
  expect(subscription.status).toBe('active');
  await advanceClock(h, clock.id, startSeconds + 10 * daySeconds);
  return { clock, customer, subscription, item: subscription.items.data[0]! };
}

const rest = (amount: number) => Math.round((amount * (feb1 - startSeconds - 10 * daySeconds)) / january);
const pending = async (customer: string) =>
  (await h.stripe.invoiceItems.list({ customer, pending: true })).data.map((item) => ({
    amount: item.amount,
    description: item.description,
    proration: item.proration,
    period: item.period,
  }));

describe('prorations of a subscription change', () => {
  it('credits the unused rest of the period and charges the rest at the new price, on the next invoice', async () => {
    const basic = await plan('Basic', 3_000);
    const pro = await plan('Pro', 6_000);
    const { clock, customer, subscription, item } = await tenDaysIn(basic);
    await h.stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, price: pro.id }] });
    const period = { start: startSeconds + 10 * daySeconds, end: feb1 };
    expect(await pending(customer.id)).toEqual([
      {
        amount: rest(6_000),
        description: 'Remaining time on Pro after 11 Jan 2026',
        proration: true,
        period,
      },
      {
        amount: -rest(3_000),
        description: 'Unused time on Basic after 11 Jan 2026',
        proration: true,
        period,
      },
    ]);
    await advanceClock(h, clock.id, feb1 + 2 * 3_600);
    const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid' });
    expect(renewal.total).toBe(6_000 + rest(6_000) - rest(3_000));
    expect(
      renewal.lines.data
        .filter((line) => line.amount !== 6_000)
        .map((line) => line.amount)
        .sort(),
    ).toEqual([-rest(3_000), rest(6_000)].sort());
    expect(await pending(customer.id)).toEqual([]);
  });

  it('charges an added item its rest of the period and credits a removed one', async () => {
    const basic = await plan('Basic', 3_000);
    const addOn = await plan('Support', 1_200);
    const { customer, subscription, item } = await tenDaysIn(basic);
    await h.stripe.subscriptions.update(subscription.id, { items: [{ price: addOn.id }] });
    await h.stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, deleted: true }] });
    expect((await pending(customer.id)).map((each) => [each.amount, each.description])).toEqual([
      [-rest(3_000), 'Unused time on Basic after 11 Jan 2026'],
      [rest(1_200), 'Remaining time on Support after 11 Jan 2026'],
    ]);
  });

  it('prorates as of proration_date, within the current period', async () => {
    const seat = await plan('Seat', 1_000);
    const { customer, subscription, item } = await tenDaysIn(seat);
    const fiveDaysIn = startSeconds + 5 * daySeconds;
    const outside = await h.stripe.subscriptions
      .update(subscription.id, { items: [{ id: item.id, quantity: 2 }], proration_date: feb1 + 1 })
      .catch((error: unknown) => error);
    expect(outside).toMatchObject({ statusCode: 400, param: 'proration_date' });
    await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, quantity: 2 }],
      proration_date: fiveDaysIn,
    });
    const share = (amount: number) => Math.round((amount * (feb1 - fiveDaysIn)) / january);
    expect((await pending(customer.id)).map((each) => [each.amount, each.period.start])).toEqual([
      [share(2_000), fiveDaysIn],
      [-share(1_000), fiveDaysIn],
    ]);
  });

  it('prorates the same through the subscription items API: add, change, remove', async () => {
    const seat = await plan('Seat', 1_000);
    const support = await plan('Support', 1_200);
    const { customer, subscription, item } = await tenDaysIn(seat);
    const changed = await h.stripe.subscriptionItems.update(item.id, { quantity: 3 });
    expect(changed).toMatchObject({ id: item.id, quantity: 3, subscription: subscription.id });
    const added = await h.stripe.subscriptionItems.create({
      subscription: subscription.id,
      price: support.id,
    });
    expect(added).toMatchObject({ object: 'subscription_item', quantity: 1, price: { id: support.id } });
    expect(await h.stripe.subscriptionItems.del(added.id)).toEqual({
      id: added.id,
      object: 'subscription_item',
      deleted: true,
    });
    const quiet = await h.stripe.subscriptionItems.update(item.id, {
      quantity: 4,
      proration_behavior: 'none',
    });
    expect(quiet.quantity).toBe(4);
    expect((await pending(customer.id)).map((each) => each.amount)).toEqual([
      -rest(1_200),
      rest(1_200),
      rest(3_000),
      -rest(1_000),
    ]);
    const items = await h.stripe.subscriptionItems.list({ subscription: subscription.id });
    expect(items.data.map((each) => [each.id, each.quantity])).toEqual([[item.id, 4]]);
    const missing = await h.stripe.subscriptionItems
      .update('si_missing', { quantity: 2 })
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('makes none with proration_behavior none, or while the quantity and price stay', async () => {
    const basic = await plan('Basic', 3_000);
    const { customer, subscription, item } = await tenDaysIn(basic, 2);
    await h.stripe.subscriptions.update(subscription.id, {
      metadata: { tier: 'same' },
      items: [{ id: item.id, quantity: 2 }],
    });
    await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, quantity: 5 }],
      proration_behavior: 'none',
    });
    expect(await pending(customer.id)).toEqual([]);
  });

  it('invoices the prorations at once with always_invoice, and charges them', async () => {
    const seat = await plan('Seat', 1_000);
    const { customer, subscription, item } = await tenDaysIn(seat, 2);
    const updated = await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, quantity: 3 }],
      proration_behavior: 'always_invoice',
    });
    const invoice = await h.stripe.invoices.retrieve(updated.latest_invoice as string);
    expect(invoice).toMatchObject({ billing_reason: 'subscription_update', status: 'paid' });
    expect(invoice.total).toBe(rest(3_000) - rest(2_000));
    expect(invoice.lines.data.map((line) => line.parent?.invoice_item_details?.proration)).toEqual([
      true,
      true,
    ]);
    expect(invoice.lines.data.map((line) => line.description)).toEqual([
      'Unused time on 2 × Seat after 11 Jan 2026',
      'Remaining time on 3 × Seat after 11 Jan 2026',
    ]);
    expect(await pending(customer.id)).toEqual([]);
  });

  it('credits a downgrade invoiced at once to the customer balance, which the renewal then uses', async () => {
    const pro = await plan('Pro', 6_000);
    const basic = await plan('Basic', 3_000);
    const { clock, customer, subscription, item } = await tenDaysIn(pro);
    const updated = await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: basic.id }],
      proration_behavior: 'always_invoice',
    });
    const credit = rest(3_000) - rest(6_000);
    const invoice = await h.stripe.invoices.retrieve(updated.latest_invoice as string);
    expect(invoice).toMatchObject({
      status: 'paid',
      total: credit,
      amount_due: 0,
      amount_paid: 0,
      starting_balance: 0,
      ending_balance: credit,
    });
    const balance = await h.stripe.customers.listBalanceTransactions(customer.id);
    expect(balance.data.map((each) => [each.type, each.amount, each.invoice])).toEqual([
      ['applied_to_invoice', credit, invoice.id],
    ]);
    await advanceClock(h, clock.id, feb1 + 2 * 3_600);
    const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
    expect(renewal).toMatchObject({ total: 3_000, amount_due: 3_000 + credit, ending_balance: 0 });
  });
});

describe('prorations of a cancellation (prorate)', () => {
  it('credits the unused rest of each licensed item, pending for the next invoice', async () => {
    const seat = await plan('Seat', 1_000);
    const { customer, subscription } = await tenDaysIn(seat, 3);
    const canceled = await h.stripe.subscriptions.cancel(subscription.id, { prorate: true });
    expect(canceled.status).toBe('canceled');
    expect(await pending(customer.id)).toEqual([
      {
        amount: -rest(3_000),
        description: 'Unused time on 3 × Seat after 11 Jan 2026',
        proration: true,
        period: { start: startSeconds + 10 * daySeconds, end: feb1 },
      },
    ]);
  });

  it('with invoice_now, puts the credit on a last invoice and in the customer balance', async () => {
    const seat = await plan('Seat', 1_000);
    const { clock, customer, subscription } = await tenDaysIn(seat);
    const canceled = await h.stripe.subscriptions.cancel(subscription.id, {
      prorate: true,
      invoice_now: true,
    });
    const draft = await h.stripe.invoices.retrieve(canceled.latest_invoice as string);
    expect(draft).toMatchObject({ status: 'draft', total: -rest(1_000) });
    await advanceClock(h, clock.id, startSeconds + 10 * daySeconds + 2 * 3_600);
    const last = await h.stripe.invoices.retrieve(draft.id);
    expect(last).toMatchObject({ status: 'paid', amount_due: 0, ending_balance: -rest(1_000) });
    expect(await pending(customer.id)).toEqual([]);
    expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      balance: -rest(1_000),
    });
    const plain = await tenDaysIn(seat);
    const kept = await h.stripe.subscriptions.cancel(plain.subscription.id, { invoice_now: true });
    expect(kept.latest_invoice).toBe(plain.subscription.latest_invoice);
  });
});

describe('a new billing cycle from now', () => {
  const year = (from: number) =>
    Math.floor(Date.UTC(new Date(from * 1000).getUTCFullYear() + 1, 0, 11) / 1000);

  it('starts when the billing interval changes: the year billed at once, the unused month credited', async () => {
    const product = await h.stripe.products.create({ name: 'Pro' });
    const monthly = await h.stripe.prices.create({
      currency: 'usd',
      unit_amount: 1_000,
      product: product.id,
      recurring: { interval: 'month' },
    });
    const yearly = await h.stripe.prices.create({
      currency: 'usd',
      unit_amount: 10_000,
      product: product.id,
      recurring: { interval: 'year' },
    });
    const { customer, subscription, item } = await tenDaysIn(monthly);
    const now = startSeconds + 10 * daySeconds;
    const updated = await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: yearly.id }],
    });
    expect(updated.billing_cycle_anchor).toBe(now);
    expect(updated.items.data[0]).toMatchObject({ current_period_start: now, current_period_end: year(now) });
    const invoice = await h.stripe.invoices.retrieve(updated.latest_invoice as string);
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_update',
      status: 'paid',
      total: 10_000 - rest(1_000),
    });
    expect(await pending(customer.id)).toEqual([]);
    const kept = await h.stripe.subscriptions
      .update(subscription.id, {
        items: [{ id: item.id, price: monthly.id }],
        billing_cycle_anchor: { type: 'unchanged' },
      })
      .catch((error: unknown) => error);
    expect(kept).toMatchObject({ statusCode: 400, param: 'billing_cycle_anchor' });
  });

  it('starts when asked with billing_cycle_anchor=now, and bills the new month in full with none', async () => {
    const seat = await plan('Seat', 1_000);
    const { clock, customer, subscription } = await tenDaysIn(seat);
    const now = startSeconds + 10 * daySeconds;
    const reset = await h.stripe.subscriptions.update(subscription.id, {
      // The bare word, as API versions before endive send it.
      billing_cycle_anchor: 'now' as unknown as Stripe.SubscriptionUpdateParams.BillingCycleAnchor,
      proration_behavior: 'none',
    });
    const invoice = await h.stripe.invoices.retrieve(reset.latest_invoice as string);
    expect(invoice.total).toBe(1_000);
    expect(reset.items.data[0]!.current_period_end).toBe(Math.floor(Date.UTC(2026, 1, 11) / 1000));
    // The old renewal on 1 February no longer bills; the next one is a month after the reset.
    await advanceClock(h, clock.id, feb1 + 2 * 3_600);
    expect((await h.stripe.invoices.list({ customer: customer.id })).data).toHaveLength(2);
    await advanceClock(h, clock.id, Math.floor(Date.UTC(2026, 1, 11) / 1000) + 2 * 3_600);
    const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', total: 1_000 });
    expect(now).toBe(invoice.created);
  });
});

describe('cancel_at', () => {
  const jan21 = startSeconds + 20 * daySeconds;
  const feb15 = Math.floor(Date.UTC(2026, 1, 15) / 1000);
  const mar1 = Math.floor(Date.UTC(2026, 2, 1) / 1000);
  const from = (at: number, amount: number) => Math.round((amount * (feb1 - at)) / january);

  it('inside the period: credits the rest from then, and ends the subscription at that date', async () => {
    const seat = await plan('Seat', 1_000);
    const { clock, customer, subscription } = await tenDaysIn(seat);
    const set = await h.stripe.subscriptions.update(subscription.id, { cancel_at: jan21 });
    expect(set).toMatchObject({ status: 'active', cancel_at: jan21 });
    expect(await pending(customer.id)).toEqual([
      {
        amount: -from(jan21, 1_000),
        description: 'Unused time on Seat after 21 Jan 2026',
        proration: true,
        period: { start: jan21, end: feb1 },
      },
    ]);
    await advanceClock(h, clock.id, jan21 + 2 * 3_600);
    const ended = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(ended).toMatchObject({ status: 'canceled', ended_at: jan21 });
    const last = await h.stripe.invoices.retrieve(ended.latest_invoice as string);
    expect(last).toMatchObject({ status: 'paid', total: -from(jan21, 1_000), amount_due: 0 });
    expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      balance: -from(jan21, 1_000),
    });
  });

  it('cleared again: the credit is taken back, and the subscription renews as before', async () => {
    const seat = await plan('Seat', 1_000);
    const { clock, customer, subscription } = await tenDaysIn(seat);
    await h.stripe.subscriptions.update(subscription.id, { cancel_at: jan21 });
    await h.stripe.subscriptions.update(subscription.id, { cancel_at: '' });
    const amounts = (await pending(customer.id)).map((each) => each.amount);
    expect(amounts.sort((a, b) => a - b)).toEqual([-from(jan21, 1_000), from(jan21, 1_000)]);
    await advanceClock(h, clock.id, feb1 + 2 * 3_600);
    const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', total: 1_000, status: 'paid' });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('in the next period: that period bills its share, and the subscription ends at the date', async () => {
    const seat = await plan('Seat', 1_000);
    const { clock, customer, subscription } = await tenDaysIn(seat);
    await h.stripe.subscriptions.update(subscription.id, { cancel_at: feb15, proration_behavior: 'none' });
    expect(await pending(customer.id)).toEqual([]);
    await advanceClock(h, clock.id, feb1 + 2 * 3_600);
    const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
    expect(renewal.total).toBe(Math.round((1_000 * (feb15 - feb1)) / (mar1 - feb1)));
    await advanceClock(h, clock.id, feb15 + 3_600);
    expect(await h.stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'canceled',
      ended_at: feb15,
    });
  });
});
