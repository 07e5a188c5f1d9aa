import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { advanceClock, customerOnClock, daySeconds, startSeconds } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe(29)));
afterAll(() => h.close());

// stripe-node types decimals as its own Decimal; the wire carries the string.
const dec = (text: string) => text as unknown as Stripe.Decimal;
const feb1 = Math.floor(Date.UTC(2026, 1, 1) / 1000);
const tenDaysIn = startSeconds + 10 * daySeconds;

/** A monthly metered price on a new meter, priced by `pricing`. */
async function meteredPrice(event: string, pricing: Partial<Stripe.PriceCreateParams>) {
  const meter = await h.stripe.billing.meters.create({
    display_name: event,
    event_name: event,
    default_aggregation: { formula: 'sum' },
  });
  const price = await h.stripe.prices.create({
    currency: 'usd',
    product_data: { name: event },
    recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
    ...pricing,
  } as Stripe.PriceCreateParams);
  return price;
}

/** Subscribes a new customer to `price`, reports `usage`, and returns the usage line of the invoice at 1 February. */
async function usageLine(event: string, price: Stripe.Price, usage: number) {
  const { clock, customer } = await customerOnClock(h);
  await h.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
  await advanceClock(h, clock.id, tenDaysIn);
  await h.stripe.billing.meterEvents.create({
    event_name: event,
    payload: { stripe_customer_id: customer.id, value: String(usage) },
    timestamp: tenDaysIn - 60,
  });
  await advanceClock(h, clock.id, feb1 + 2 * 3_600);
  const invoice = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
  expect(invoice.billing_reason).toBe('subscription_cycle');
  return invoice.lines.data.find((line) => line.pricing?.price_details?.price === price.id)!;
}

describe('what a price bills for a quantity', () => {
  it('graduated tiers: each tier its units, a flat fee for the first, fractions of a cent rounded once', async () => {
    const price = await meteredPrice('tokens_graduated', {
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 1_000, unit_amount: 0, flat_amount: 500 },
        { up_to: 10_000, unit_amount_decimal: dec('0.5') },
        { up_to: 'inf', unit_amount_decimal: dec('0.25') },
      ],
    });
    const line = await usageLine('tokens_graduated', price, 12_345);
    // 5.00 + 9,000 × 0.5¢ + 2,345 × 0.25¢ = 5,586.25¢
    expect(line).toMatchObject({ amount: 5_586, quantity: 12_345 });
    expect(line.pricing?.unit_amount_decimal).toBeNull();
  });

  it('a decimal unit amount: a fraction of a cent a token, exactly', async () => {
    const price = await meteredPrice('tokens_decimal', { unit_amount_decimal: dec('0.0035') });
    const line = await usageLine('tokens_decimal', price, 1_234_567);
    expect(line).toMatchObject({
      amount: 4_321,
      description: 'tokens_decimal (usage at 0.000035 USD / unit)',
    });
    expect(String(line.pricing?.unit_amount_decimal)).toBe('0.0035');
  });

  it('transform_quantity: per thousand, rounded up', async () => {
    const price = await meteredPrice('calls_per_thousand', {
      unit_amount: 25,
      transform_quantity: { divide_by: 1_000, round: 'up' },
    });
    const line = await usageLine('calls_per_thousand', price, 12_345);
    expect(line.amount).toBe(13 * 25);
  });

  it('volume tiers: the whole quantity at the tier it reaches, and prorated as a whole when it changes', async () => {
    const { clock, customer } = await customerOnClock(h);
    const seats = await h.stripe.prices.create({
      currency: 'usd',
      product_data: { name: 'Seats' },
      recurring: { interval: 'month' },
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      tiers: [
        { up_to: 5, unit_amount: 1_000 },
        { up_to: 'inf', unit_amount: 800, flat_amount: 200 },
      ],
    });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: seats.id, quantity: 3 }],
    });
    const first = await h.stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(first).toMatchObject({ total: 3_000, status: 'paid' });
    await advanceClock(h, clock.id, tenDaysIn);
    await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, quantity: 7 }],
    });
    const january = feb1 - startSeconds;
    const rest = (amount: number) => Math.round((amount * (feb1 - tenDaysIn)) / january);
    const pending = await h.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data.map((item) => item.amount).sort((a, b) => a - b)).toEqual([
      -rest(3_000),
      rest(7 * 800 + 200),
    ]);
  });

  it('a one-off invoice item on a decimal price rounds its amount once', async () => {
    const { customer } = await customerOnClock(h);
    const price = await h.stripe.prices.create({
      currency: 'usd',
      product_data: { name: 'Report' },
      unit_amount_decimal: dec('12.5'),
    });
    const item = await h.stripe.invoiceItems.create({
      customer: customer.id,
      pricing: { price: price.id },
      quantity: 3,
    });
    expect(item.amount).toBe(38);
    // 0.145 × 100 is 14.499999999999998 in floating point; exactly, 14.5 rounds to 15.
    const exact = await h.stripe.invoiceItems.create({
      customer: customer.id,
      currency: 'usd',
      unit_amount_decimal: dec('0.145'),
      quantity: 100,
    });
    expect(exact.amount).toBe(15);
  });
});
