import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import {
  advanceClock,
  customerOnClock,
  daySeconds,
  monthlyPrice,
  startSeconds,
  storedEvents,
} from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe(23)));
afterAll(() => h.close());

const feb1 = Math.floor(Date.UTC(2026, 1, 1) / 1000);
const mar1 = Math.floor(Date.UTC(2026, 2, 1) / 1000);
const january = feb1 - startSeconds;
const tenDaysIn = startSeconds + 10 * daySeconds;
const rest = (amount: number) => Math.round((amount * (feb1 - tenDaysIn)) / january);

/** A 30.00 base fee and 0.02 an API call, subscribed on 1 January, 1,500 calls by day ten. */
async function usageSubscription() {
  const { clock, customer } = await customerOnClock(h);
  const base = await monthlyPrice(h, { unitAmount: 3_000 });
  const event = `calls_${customer.id}`;
  const calls = await monthlyPrice(h, { unitAmount: 2, meterEvent: event });
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: base.price.id }, { price: calls.price.id }],
  });
  await advanceClock(h, clock.id, tenDaysIn);
  await h.stripe.billing.meterEvents.create({
    event_name: event,
    payload: { stripe_customer_id: customer.id, value: '1500' },
    timestamp: tenDaysIn - 60,
  });
  return { clock, customer, subscription, base: base.price, calls: calls.price };
}

const amounts = (invoice: Stripe.Invoice) =>
  invoice.lines.data.map((line) => [line.amount, line.period.start, line.period.end]);

async function refusal(params: Stripe.InvoiceCreatePreviewParams) {
  const error = await h.stripe.invoices.createPreview(params).catch((thrown: unknown) => thrown);
  return error as { statusCode: number; code?: string; param?: string; message: string };
}

describe('invoices.createPreview of a subscription', () => {
  it('shows the renewal: the next period in advance, the usage so far in arrears, pending items; stores nothing', async () => {
    const { clock, customer, subscription } = await usageSubscription();
    await h.stripe.invoiceItems.create({
      customer: customer.id,
      amount: 500,
      currency: 'usd',
      description: 'Setup',
    });
    const invoicesBefore = (await h.stripe.invoices.list({ customer: customer.id })).data.length;
    const eventsBefore = storedEvents(h).length;
    const preview = await h.stripe.invoices.createPreview({ subscription: subscription.id });
    expect(preview.id).toMatch(/^upcoming_in_/);
    expect(preview).toMatchObject({
      object: 'invoice',
      billing_reason: 'upcoming',
      status: 'draft',
      number: null,
      customer: customer.id,
      amount_paid: 0,
      ending_balance: null,
      period_start: startSeconds,
      period_end: feb1,
      subtotal: 3_000 + 3_000 + 500,
      total: 6_500,
      amount_due: 6_500,
    });
    expect(amounts(preview)).toEqual([
      [3_000, feb1, mar1],
      [3_000, startSeconds, feb1],
      [500, expect.any(Number), expect.any(Number)],
    ]);
    expect(
      preview.lines.data.every((line) => line.id.startsWith('il_tmp_') && line.invoice === preview.id),
    ).toBe(true);
    expect((await h.stripe.invoices.list({ customer: customer.id })).data).toHaveLength(invoicesBefore);
    expect(storedEvents(h)).toHaveLength(eventsBefore);
    const pending = await h.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data.map((item) => item.amount)).toEqual([500]);

    // The invoice Stripe Billing then makes at the period's end is the one previewed.
    await advanceClock(h, clock.id, feb1 + 2 * 3_600);
    const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', total: preview.total });
    expect(amounts(renewal)).toEqual(amounts(preview));
  });

  it('applies the customer balance as the invoice will, and leaves it as it is', async () => {
    const { customer, subscription } = await usageSubscription();
    await h.stripe.customers.createBalanceTransaction(customer.id, { amount: -1_000, currency: 'usd' });
    const preview = await h.stripe.invoices.createPreview({ subscription: subscription.id });
    expect(preview).toMatchObject({ total: 6_000, starting_balance: -1_000, amount_due: 5_000 });
    expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      balance: -1_000,
    });
  });

  it('applies billing credits to the metered usage, without spending them', async () => {
    const { customer, subscription } = await usageSubscription();
    await h.stripe.billing.creditGrants.create({
      customer: customer.id,
      amount: { type: 'monetary', monetary: { currency: 'usd', value: 1_000 } },
      applicability_config: { scope: { price_type: 'metered' } },
      category: 'promotional',
    });
    const balance = () =>
      h.stripe.billing.creditBalanceSummaries.retrieve({
        customer: customer.id,
        filter: { type: 'applicability_scope', applicability_scope: { price_type: 'metered' } },
      });
    const before = await balance();
    const preview = await h.stripe.invoices.createPreview({ subscription: subscription.id });
    expect(preview.total_pretax_credit_amounts?.map((credit) => credit.amount)).toEqual([1_000]);
    expect(preview).toMatchObject({ subtotal: 6_000, total: 5_000, amount_due: 5_000 });
    expect((await balance()).balances).toEqual(before.balances);
  });

  it('previews an update: its prorations on the next invoice, without changing the subscription', async () => {
    const { clock, customer, subscription, base } = await usageSubscription();
    const pro = await monthlyPrice(h, { unitAmount: 6_000 });
    const item = subscription.items.data.find((each) => each.price.id === base.id)!;
    const change = { items: [{ id: item.id, price: pro.price.id }], proration_date: tenDaysIn };
    const preview = await h.stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: change,
    });
    const prorations = preview.lines.data.filter(
      (line) => line.parent?.invoice_item_details?.proration === true,
    );
    expect(prorations.map((line) => line.amount).sort((a, b) => a - b)).toEqual([-rest(3_000), rest(6_000)]);
    expect(preview.total).toBe(6_000 + 3_000 + rest(6_000) - rest(3_000));
    const unchanged = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(unchanged.items.data.map((each) => each.price.id)).toContain(base.id);
    expect((await h.stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).toEqual([]);

    await h.stripe.subscriptions.update(subscription.id, change);
    await advanceClock(h, clock.id, feb1 + 2 * 3_600);
    const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
    expect(renewal.total).toBe(preview.total);
  });

  it('with always_invoice, previews the proration invoice that would be charged at once', async () => {
    const { subscription, base } = await usageSubscription();
    const pro = await monthlyPrice(h, { unitAmount: 6_000 });
    const item = subscription.items.data.find((each) => each.price.id === base.id)!;
    const preview = await h.stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: {
        items: [{ id: item.id, price: pro.price.id }],
        proration_behavior: 'always_invoice',
        proration_date: tenDaysIn,
      },
    });
    expect(preview).toMatchObject({ status: 'draft', amount_paid: 0, total: rest(6_000) - rest(3_000) });
    expect((await h.stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
  });

  it('with cancel_now, previews the last invoice: usage so far and the unused rest credited', async () => {
    const { subscription } = await usageSubscription();
    const preview = await h.stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: { cancel_now: true },
    });
    expect(preview.total).toBe(3_000 - rest(3_000));
    const unprorated = await h.stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: { cancel_now: true, proration_behavior: 'none' },
    });
    expect(unprorated.total).toBe(3_000);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('previews a new billing cycle (billing_cycle_anchor=now): the invoice it bills at once', async () => {
    const { clock, customer } = await customerOnClock(h);
    const seat = await monthlyPrice(h, { unitAmount: 1_000 });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: seat.price.id }],
    });
    await advanceClock(h, clock.id, tenDaysIn);
    const preview = await h.stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: { billing_cycle_anchor: { type: 'now' } },
    });
    expect(preview.total).toBe(1_000 - rest(1_000));
    const unchanged = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(unchanged.billing_cycle_anchor).toBe(subscription.billing_cycle_anchor);
  });

  it('previews a renewal while collection is paused as the draft it would be', async () => {
    const { subscription } = await usageSubscription();
    await h.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'void' } });
    const preview = await h.stripe.invoices.createPreview({ subscription: subscription.id });
    expect(preview).toMatchObject({ status: 'draft', total: 6_000, amount_due: 6_000 });
  });

  it('preview_mode=recurring leaves out one-off invoice items; invoice_items adds some for the preview only', async () => {
    const { customer, subscription } = await usageSubscription();
    await h.stripe.invoiceItems.create({ customer: customer.id, amount: 500, currency: 'usd' });
    const recurring = await h.stripe.invoices.createPreview({
      subscription: subscription.id,
      preview_mode: 'recurring',
    });
    expect(recurring.total).toBe(6_000);
    const withExtra = await h.stripe.invoices.createPreview({
      subscription: subscription.id,
      invoice_items: [{ amount: 250, currency: 'usd', description: 'Extra seat' }],
    });
    expect(withExtra.total).toBe(6_750);
    const pending = await h.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data.map((item) => item.amount)).toEqual([500]);
  });
});

describe('invoices.createPreview of what does not exist yet', () => {
  it('previews a new subscription’s first invoice without creating it', async () => {
    const { customer } = await customerOnClock(h);
    const seat = await monthlyPrice(h, { unitAmount: 1_200 });
    const preview = await h.stripe.invoices.createPreview({
      customer: customer.id,
      subscription_details: { items: [{ price: seat.price.id, quantity: 3 }] },
    });
    expect(preview).toMatchObject({ billing_reason: 'upcoming', total: 3_600, amount_due: 3_600 });
    expect(amounts(preview)).toEqual([[3_600, startSeconds, feb1]]);
    expect((await h.stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);
  });

  it('previews a one-off invoice of the customer’s pending items with invoice_items', async () => {
    const { customer } = await customerOnClock(h);
    await h.stripe.invoiceItems.create({ customer: customer.id, amount: 900, currency: 'usd' });
    const preview = await h.stripe.invoices.createPreview({
      customer: customer.id,
      invoice_items: [{ amount: 100, currency: 'usd' }],
    });
    expect(preview).toMatchObject({ total: 1_000, billing_reason: 'upcoming' });
    expect(preview.lines.data.map((line) => line.amount)).toEqual([900, 100]);
  });

  it('a customer alone: refused since basil; before it, the soonest of their renewals', async () => {
    const { customer, subscription } = await usageSubscription();
    expect(await refusal({ customer: customer.id })).toMatchObject({ statusCode: 400 });
    const acacia = h.client({ apiVersion: '2024-09-30.acacia' as Stripe.LatestApiVersion });
    const preview = await acacia.invoices.createPreview({ customer: customer.id });
    expect(preview).toMatchObject({ total: 6_000, subscription: subscription.id });
  });
});

describe('invoices.createPreview refusals', () => {
  it('answers 404 invoice_upcoming_none when nothing would be invoiced', async () => {
    const { customer } = await customerOnClock(h);
    const seat = await monthlyPrice(h, { unitAmount: 1_200 });
    const ending = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: seat.price.id }],
      cancel_at_period_end: true,
    });
    expect(await refusal({ subscription: ending.id })).toMatchObject({
      statusCode: 404,
      code: 'invoice_upcoming_none',
      message: `No upcoming invoices for customer: ${customer.id}`,
    });
  });

  it('names the parameter at fault, inside subscription_details and invoice_items', async () => {
    const { customer, subscription } = await usageSubscription();
    expect(await refusal({})).toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'customer',
    });
    expect(await refusal({ subscription: 'sub_missing' })).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'subscription',
    });
    expect(
      await refusal({
        subscription: subscription.id,
        subscription_details: { items: [{ price: 'price_missing' }] },
      }),
    ).toMatchObject({ statusCode: 400, param: 'subscription_details[items][0][price]' });
    expect(
      await refusal({ customer: customer.id, invoice_items: [{ invoiceitem: 'ii_missing', amount: 1 }] }),
    ).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'invoice_items[0][invoiceitem]' });
    const other = await h.stripe.customers.create();
    expect(await refusal({ customer: other.id, subscription: subscription.id })).toMatchObject({
      statusCode: 400,
      param: 'subscription',
    });
  });
});

describe('GET /v1/invoices/upcoming, as API versions before basil had it', () => {
  const upcoming = async (query: string, version = '2024-06-20') => {
    const response = await h.fetch(`/v1/invoices/upcoming${query}`, {
      headers: { authorization: 'Bearer sk_test_fakepsp', 'stripe-version': version },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers the same preview without an id, in that version’s shape, its change as subscription_* params', async () => {
    const { customer, subscription, base } = await usageSubscription();
    const plain = await upcoming(`?customer=${customer.id}`);
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({
      object: 'invoice',
      total: 6_000,
      subscription: subscription.id,
      paid: false,
    });
    expect(plain.body).not.toHaveProperty('id');
    const pro = await monthlyPrice(h, { unitAmount: 6_000 });
    const item = subscription.items.data.find((each) => each.price.id === base.id)!;
    const changed = await upcoming(
      `?subscription=${subscription.id}&subscription_items[0][id]=${item.id}` +
        `&subscription_items[0][price]=${pro.price.id}&subscription_proration_date=${tenDaysIn}`,
    );
    expect(changed.body).toMatchObject({ total: 6_000 + 3_000 + rest(6_000) - rest(3_000) });
    const refused = await upcoming(
      `?subscription=${subscription.id}&subscription_items[0][price]=price_missing`,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ param: 'subscription_items[0][price]' });
  });

  it('pages the upcoming lines, and is an unknown invoice from basil on', async () => {
    const { customer } = await usageSubscription();
    const response = await h.fetch(`/v1/invoices/upcoming/lines?customer=${customer.id}&limit=1`, {
      headers: { authorization: 'Bearer sk_test_fakepsp', 'stripe-version': '2024-06-20' },
    });
    const page = (await response.json()) as Stripe.ApiList<Stripe.InvoiceLineItem>;
    expect(page).toMatchObject({ object: 'list', has_more: true, url: '/v1/invoices/upcoming/lines' });
    expect(page.data.map((line) => line.amount)).toEqual([3_000]);
    const removed = await upcoming(`?customer=${customer.id}`, '2025-03-31.basil');
    expect(removed).toMatchObject({ status: 404, body: { error: { code: 'resource_missing' } } });
  });
});
