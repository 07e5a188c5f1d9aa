import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { advanceClock, daySeconds, monthlyPrice, startSeconds, storedEvents } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe(37)));
afterAll(() => h.close());

const trialEnd = startSeconds + 7 * daySeconds;
const feb8 = Math.floor(Date.UTC(2026, 1, 8) / 1000);

/** A seven-day trial without a payment method, set to pause at its end, now paused. */
async function pausedAfterTrial(card: string) {
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: startSeconds });
  const customer = await h.stripe.customers.create({ test_clock: clock.id });
  const { price } = await monthlyPrice(h, { unitAmount: 1_000 });
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: price.id }],
    trial_period_days: 7,
    trial_settings: { end_behavior: { missing_payment_method: 'pause' } },
  });
  await advanceClock(h, clock.id, trialEnd + 3_600);
  expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('paused');
  await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card } });
  return { clock, customer, subscription };
}

const eventsOf = (subscription: string, type: string) =>
  storedEvents(h).filter(
    (event) => event.type === type && (event.data.object as { id?: string }).id === subscription,
  );

describe('subscriptions.resume', () => {
  it('with resume_on_payment_success: charges the new period in the request and is active again', async () => {
    const { subscription } = await pausedAfterTrial('pm_card_visa');
    const now = trialEnd + 3_600;
    const resumed = await h.stripe.subscriptions.resume(subscription.id, {
      payment_behavior: 'resume_on_payment_success',
    });
    expect(resumed).toMatchObject({ status: 'active', billing_cycle_anchor: now });
    expect(resumed.items.data[0]).toMatchObject({ current_period_start: now });
    const invoice = await h.stripe.invoices.retrieve(resumed.latest_invoice as string);
    expect(invoice).toMatchObject({ status: 'paid', total: 1_000, amount_paid: 1_000 });
    expect(eventsOf(subscription.id, 'customer.subscription.resumed')).toHaveLength(1);
  });

  it('by default waits for the invoice to be paid; a decline when paying makes it past_due', async () => {
    const { subscription } = await pausedAfterTrial('pm_card_chargeDeclined');
    const resumed = await h.stripe.subscriptions.resume(subscription.id);
    expect(resumed.status).toBe('paused');
    const invoice = await h.stripe.invoices.retrieve(resumed.latest_invoice as string);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 0, total: 1_000 });
    const declined = await h.stripe.invoices.pay(invoice.id).catch((error: unknown) => error);
    expect(declined).toMatchObject({ statusCode: 402 });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
  });

  it('with resume_on_payment_success and a decline: stays paused; unpaid for 23 hours, the invoice is voided', async () => {
    const { clock, subscription } = await pausedAfterTrial('pm_card_chargeDeclined');
    const resumed = await h.stripe.subscriptions.resume(subscription.id, {
      payment_behavior: 'resume_on_payment_success',
    });
    expect(resumed.status).toBe('paused');
    await advanceClock(h, clock.id, trialEnd + 3_600 + 24 * 3_600);
    expect(await h.stripe.invoices.retrieve(resumed.latest_invoice as string)).toMatchObject({
      status: 'void',
    });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('paused');
  });

  it('billing_cycle_anchor unchanged: bills the rest of the period the old anchor gives, prorated', async () => {
    const { subscription } = await pausedAfterTrial('pm_card_visa');
    const now = trialEnd + 3_600;
    const resumed = await h.stripe.subscriptions.resume(subscription.id, {
      billing_cycle_anchor: { type: 'unchanged' },
      payment_behavior: 'resume_on_payment_success',
    });
    expect(resumed.items.data[0]).toMatchObject({ current_period_start: trialEnd, current_period_end: feb8 });
    const invoice = await h.stripe.invoices.retrieve(resumed.latest_invoice as string);
    expect(invoice.total).toBe(Math.round((1_000 * (feb8 - now)) / (feb8 - trialEnd)));
  });

  it('refuses a subscription that is not paused', async () => {
    const customer = await h.stripe.customers.create({
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const { price } = await monthlyPrice(h, { unitAmount: 1_000 });
    const active = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    const refused = await h.stripe.subscriptions.resume(active.id).catch((error: unknown) => error);
    expect(refused).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
    const missing = await h.stripe.subscriptions.resume('sub_missing').catch((error: unknown) => error);
    expect(missing as Stripe.errors.StripeError).toMatchObject({ statusCode: 404 });
  });
});
