import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { advanceClock, customerOnClock, monthlyPrice } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe(41)));
afterAll(() => h.close());

const feb1 = Math.floor(Date.UTC(2026, 1, 1) / 1000);

describe('add_invoice_items on a subscription', () => {
  it('puts a one-time setup fee on the first invoice (price_data)', async () => {
    const { customer } = await customerOnClock(h);
    const { price } = await monthlyPrice(h, { unitAmount: 1_000 });
    const setup = await h.stripe.products.create({ name: 'Setup' });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      add_invoice_items: [{ price_data: { currency: 'usd', product: setup.id, unit_amount: 2_500 } }],
    });
    const first = await h.stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(first).toMatchObject({ status: 'paid', total: 3_500 });
    expect(first.lines.data.map((line) => [line.amount, line.parent?.type])).toEqual([
      [1_000, 'subscription_item_details'],
      [2_500, 'invoice_item_details'],
    ]);
  });

  it('on an update, waits for the next invoice; a recurring price is refused', async () => {
    const { clock, customer } = await customerOnClock(h);
    const { price } = await monthlyPrice(h, { unitAmount: 1_000 });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    const extra = await h.stripe.prices.create({
      currency: 'usd',
      unit_amount: 500,
      product_data: { name: 'Extra' },
    });
    await h.stripe.subscriptions.update(subscription.id, {
      add_invoice_items: [{ price: extra.id, quantity: 2 }],
    });
    const pending = await h.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(pending.data.map((item) => [item.amount, item.quantity, item.proration])).toEqual([
      [1_000, 2, false],
    ]);
    await advanceClock(h, clock.id, feb1 + 2 * 3_600);
    const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', total: 2_000 });
    const refused = await h.stripe.subscriptions
      .update(subscription.id, { add_invoice_items: [{ price: price.id }] })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ statusCode: 400, param: 'add_invoice_items[0][price]' });
  });
});
