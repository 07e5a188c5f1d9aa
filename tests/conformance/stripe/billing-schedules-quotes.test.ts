import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeAdminActions } from '../../../src/fakes/stripe/admin-actions.ts';
import { completeCheckoutSession } from '../../../src/fakes/stripe/checkout/actions.ts';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { advanceClock, daySeconds, monthlyPrice, startSeconds, storedEvents } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

const typesFor = (id: string) =>
  storedEvents(h)
    .filter((event) => (event.data.object as { id?: string }).id === id)
    .map((event) => event.type);

async function clockCustomer() {
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: startSeconds });
  const customer = await h.stripe.customers.create({ test_clock: clock.id, payment_method: 'pm_card_visa' });
  const method = (await h.stripe.paymentMethods.list({ customer: customer.id })).data[0]!.id;
  await h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: method } });
  return { clock, customer };
}

describe('subscription schedules and quotes through the official SDK', () => {
  it('a schedule changes the price at its phase boundary on the test clock, then completes', async () => {
    const { clock, customer } = await clockCustomer();
    const { price: basic } = await monthlyPrice(h, { unitAmount: 1000 });
    const { price: pro } = await monthlyPrice(h, { unitAmount: 3000 });
    const schedule = await h.stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: 'now',
      end_behavior: 'release',
      phases: [
        { items: [{ price: basic.id }], duration: { interval: 'month' } },
        { items: [{ price: pro.id }], duration: { interval: 'month' } },
      ],
    });
    // The SDK's type has `pause_schedules`, newer than the published fixture.
    expectStripeShape('subscription_schedule', schedule, ['pause_schedules']);
    expect(schedule.status).toBe('active');
    const subscription = await h.stripe.subscriptions.retrieve(schedule.subscription as string);
    expect(subscription.schedule).toBe(schedule.id);
    const firstPhaseEnd = schedule.phases[0]!.end_date;
    await advanceClock(h, clock.id, firstPhaseEnd + 3600 * 2);
    const invoices = await h.stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data.map((invoice) => invoice.total)).toEqual([3000, 1000]);
    const moved = await h.stripe.subscriptionSchedules.retrieve(schedule.id);
    expect(moved.current_phase).toEqual({
      start_date: firstPhaseEnd,
      end_date: schedule.phases[1]!.end_date,
    });
    await advanceClock(h, clock.id, schedule.phases[1]!.end_date + 60);
    const done = await h.stripe.subscriptionSchedules.retrieve(schedule.id);
    expect(done.status).toBe('completed');
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    expect(typesFor(schedule.id)).toEqual([
      'subscription_schedule.created',
      'subscription_schedule.updated',
      'subscription_schedule.expiring',
      'subscription_schedule.completed',
    ]);
  });

  it('a schedule that has not started is aborted by cancel; a running one released keeps its subscription', async () => {
    const { customer } = await clockCustomer();
    const { price } = await monthlyPrice(h, { unitAmount: 500 });
    const later = await h.stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: startSeconds + 30 * daySeconds,
      phases: [{ items: [{ price: price.id }] }],
    });
    expect(later.status).toBe('not_started');
    expect((await h.stripe.subscriptionSchedules.cancel(later.id)).status).toBe('canceled');
    expect(typesFor(later.id)).toContain('subscription_schedule.aborted');
    const now = await h.stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: 'now',
      phases: [{ items: [{ price: price.id }], duration: { interval: 'month', interval_count: 2 } }],
    });
    const released = await h.stripe.subscriptionSchedules.release(now.id);
    expect(released).toMatchObject({
      status: 'released',
      released_subscription: now.subscription,
      subscription: null,
    });
    expect((await h.stripe.subscriptions.retrieve(now.subscription as string)).schedule).toBeNull();
  });

  it('a quote is finalized, then accepted into a subscription billed at the quoted price', async () => {
    const customer = await h.stripe.customers.create({ payment_method: 'pm_card_visa' });
    await h.stripe.customers.update(customer.id, {
      invoice_settings: {
        default_payment_method: (await h.stripe.paymentMethods.list({ customer: customer.id })).data[0]!.id,
      },
    });
    const { price } = await monthlyPrice(h, { unitAmount: 1500 });
    const quote = await h.stripe.quotes.create({
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 10 }],
    });
    expectStripeShape('quote', quote);
    expect(quote).toMatchObject({ status: 'draft', amount_total: 15000 });
    const open = await h.stripe.quotes.finalizeQuote(quote.id);
    expect(open.number).toMatch(/^QT-\d{4}$/);
    const accepted = await h.stripe.quotes.accept(quote.id);
    expect(accepted.status).toBe('accepted');
    const subscription = await h.stripe.subscriptions.retrieve(accepted.subscription as string);
    expect(subscription.items.data[0]).toMatchObject({ quantity: 10, price: { id: price.id } });
    expect((await h.stripe.invoices.retrieve(subscription.latest_invoice as string)).amount_paid).toBe(15000);
    expect(typesFor(quote.id)).toEqual(['quote.created', 'quote.finalized', 'quote.accepted']);
  });

  it('a billing portal session uses the default configuration; payment links and the hosted page complete a session', async () => {
    const customer = await h.stripe.customers.create({});
    const session = await h.stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: 'https://example.com',
    });
    expectStripeShape('billing_portal.session', session);
    const configuration = await h.stripe.billingPortal.configurations.retrieve(
      session.configuration as string,
    );
    expectStripeShape('billing_portal.configuration', configuration);
    expect(configuration.is_default).toBe(true);
    const { price } = await monthlyPrice(h, { unitAmount: 900 });
    const link = await h.stripe.paymentLinks.create({ line_items: [{ price: price.id, quantity: 1 }] });
    expectStripeShape('payment_link', link);
    const opened = stripeAdminActions(h.fake.runtime).open_payment_link!({ payment_link: link.id });
    const fromLink = opened.body as unknown as Stripe.Checkout.Session;
    expect(fromLink).toMatchObject({ mode: 'subscription', payment_link: link.id, amount_total: 900 });
    expect(completeCheckoutSession(h.fake.runtime, { sessionId: fromLink.id }).ok).toBe(true);
    const { price: oneTime } = {
      price: await h.stripe.prices.create({
        currency: 'usd',
        unit_amount: 700,
        product_data: { name: 'Pack' },
      }),
    };
    const checkout = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: oneTime.id, quantity: 2 }],
      success_url: 'https://example.com/ok',
    });
    const confirmed = await h.stripe.rawRequest('POST', `/v1/payment_pages/${checkout.id}/confirm`, {
      payment_method: 'pm_card_visa',
      expected_amount: 1400,
    });
    expect((confirmed as unknown as Stripe.Checkout.Session).status).toBe('complete');
    expect((await h.stripe.checkout.sessions.retrieve(checkout.id)).payment_status).toBe('paid');
  });
});
