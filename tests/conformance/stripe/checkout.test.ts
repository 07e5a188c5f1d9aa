import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeCheckoutSession,
  expireCheckoutSession,
  failCheckoutSession,
} from '../../../src/fakes/stripe/checkout/actions.ts';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

const topUp = (amount: number): Stripe.Checkout.SessionCreateParams => ({
  mode: 'payment',
  line_items: [
    {
      price_data: { currency: 'usd', unit_amount: amount, product_data: { name: 'Wallet top-up' } },
      quantity: 1,
    },
  ],
  success_url: 'https://billing.example/ok',
  customer_email: 'buyer@example.com',
  metadata: { wallet: 'w_1' },
});

const eventTypes = async () => (await h.stripe.events.list({ limit: 100 })).data.map((event) => event.type);

describe('Checkout Sessions', () => {
  it("creates an open session in Stripe's shape, with its line items", async () => {
    const session = await h.stripe.checkout.sessions.create(topUp(2500));
    // The SDK's types already carry allowed_payment_method_types; the fixture predates it.
    expectStripeShape('checkout.session', session, ['allowed_payment_method_types']);
    expect(session).toMatchObject({
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 2500,
      currency: 'usd',
      mode: 'payment',
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toContain(session.id);
    expect(session.expires_at - session.created).toBe(24 * 3600);
    const items = await h.stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toHaveLength(1);
    expectStripeShape('item', items.data[0]);
    expect(items.data[0]).toMatchObject({ amount_total: 2500, quantity: 1 });
  });

  it('completes a payment session as a customer would: a paid PaymentIntent and checkout.session.completed', async () => {
    const session = await h.stripe.checkout.sessions.create(topUp(4200));
    const outcome = completeCheckoutSession(h.fake.runtime, { sessionId: session.id });
    expect(outcome.ok).toBe(true);
    const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const intent = done.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({
      status: 'succeeded',
      amount: 4200,
      currency: 'usd',
      customer: done.customer,
    });
    expect(await eventTypes()).toContain('checkout.session.completed');
  });

  it('makes the payment, subscription or setup with what *_data asked for, and nothing of its own', async () => {
    const plain = await h.stripe.checkout.sessions.create(topUp(1500));
    completeCheckoutSession(h.fake.runtime, { sessionId: plain.id });
    const plainIntent = (await h.stripe.checkout.sessions.retrieve(plain.id, { expand: ['payment_intent'] }))
      .payment_intent as Stripe.PaymentIntent;
    expect(plainIntent).toMatchObject({ metadata: {}, description: null });
    const paid = await h.stripe.checkout.sessions.create({
      ...topUp(1500),
      payment_intent_data: {
        metadata: { order_id: 'o-1' },
        description: 'Order o-1',
        setup_future_usage: 'off_session',
      },
    });
    completeCheckoutSession(h.fake.runtime, { sessionId: paid.id });
    const intent = (await h.stripe.checkout.sessions.retrieve(paid.id, { expand: ['payment_intent'] }))
      .payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({
      status: 'succeeded',
      metadata: { order_id: 'o-1' },
      description: 'Order o-1',
    });
    const product = await h.stripe.products.create({ name: 'Trial plan' });
    const price = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 900,
      recurring: { interval: 'month' },
    });
    const trial = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://billing.example/ok',
      subscription_data: { metadata: { tenant: 't-9' }, trial_period_days: 14 },
    });
    completeCheckoutSession(h.fake.runtime, { sessionId: trial.id });
    const trialing = await h.stripe.checkout.sessions.retrieve(trial.id, { expand: ['subscription'] });
    expect(trialing.payment_status).toBe('no_payment_required');
    expect(trialing.subscription).toMatchObject({ status: 'trialing', metadata: { tenant: 't-9' } });
    const subscription = trialing.subscription as Stripe.Subscription;
    expect((subscription.trial_end ?? 0) - (subscription.trial_start ?? 0)).toBe(14 * 86_400);
    const setup = await h.stripe.checkout.sessions.create({
      mode: 'setup',
      currency: 'usd',
      success_url: 'https://x.example/ok',
      setup_intent_data: { metadata: { purpose: 'autopay' } },
    });
    completeCheckoutSession(h.fake.runtime, { sessionId: setup.id });
    const saved = await h.stripe.checkout.sessions.retrieve(setup.id, { expand: ['setup_intent'] });
    expect(saved.setup_intent).toMatchObject({ status: 'succeeded', metadata: { purpose: 'autopay' } });
    const refusal = await h.stripe.checkout.sessions
      .create({ ...topUp(100), subscription_data: { trial_period_days: 0 } })
      .catch((caught: unknown) => caught);
    expect(refusal).toMatchObject({ statusCode: 400, param: 'subscription_data[trial_period_days]' });
  });

  it('leaves the session open when the card is declined', async () => {
    const session = await h.stripe.checkout.sessions.create(topUp(1000));
    const outcome = failCheckoutSession(h.fake.runtime, { sessionId: session.id });
    expect(outcome).toMatchObject({ ok: false, code: 'card_declined', declineCode: 'generic_decline' });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('completes a subscription session: an active subscription with a paid first invoice', async () => {
    const product = await h.stripe.products.create({ name: 'Pro plan' });
    const price = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2000,
      recurring: { interval: 'month' },
    });
    const customer = await h.stripe.customers.create({ email: 'sub@example.com' });
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://billing.example/ok',
    });
    expect(completeCheckoutSession(h.fake.runtime, { sessionId: session.id }).ok).toBe(true);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done.subscription).toMatch(/^sub_/);
    const subscription = await h.stripe.subscriptions.retrieve(done.subscription as string);
    expect(subscription.status).toBe('active');
    const invoice = await h.stripe.invoices.retrieve(done.invoice as string);
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 2000 });
  });

  it('completes a setup session by saving the card to the customer', async () => {
    const customer = await h.stripe.customers.create({});
    const session = await h.stripe.checkout.sessions.create({
      mode: 'setup',
      currency: 'usd',
      customer: customer.id,
      success_url: 'https://x.example/ok',
    });
    expect(session.payment_status).toBe('no_payment_required');
    expect(completeCheckoutSession(h.fake.runtime, { sessionId: session.id }).ok).toBe(true);
    const methods = await h.stripe.customers.listPaymentMethods(customer.id);
    expect(methods.data).toHaveLength(1);
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).setup_intent).toMatch(/^seti_/);
  });

  it('expires through the API, through the harness, and by itself after 24 hours', async () => {
    const byApi = await h.stripe.checkout.sessions.create(topUp(500));
    expect((await h.stripe.checkout.sessions.expire(byApi.id)).status).toBe('expired');
    const again = await h.stripe.checkout.sessions.expire(byApi.id).catch((error: unknown) => error);
    expect(again).toMatchObject({ statusCode: 400, code: 'checkout_session_unexpected_state' });
    const byHarness = await h.stripe.checkout.sessions.create(topUp(500));
    expect(expireCheckoutSession(h.fake.runtime, { sessionId: byHarness.id })?.status).toBe('expired');
    const byTime = await h.stripe.checkout.sessions.create(topUp(500));
    h.sim.clock.advanceBy(24 * 3_600_000);
    expect((await h.stripe.checkout.sessions.retrieve(byTime.id)).status).toBe('expired');
    expect(await eventTypes()).toContain('checkout.session.expired');
  });

  it("refuses bad input with Stripe's errors and creates nothing", async () => {
    const before = (await h.stripe.checkout.sessions.list({ limit: 100 })).data.length;
    const noLines = await h.stripe.checkout.sessions
      .create({ mode: 'payment', success_url: 'https://x.example' })
      .catch((e: unknown) => e);
    expect(noLines).toMatchObject({ statusCode: 400, param: 'line_items' });
    const badPrice = await h.stripe.checkout.sessions
      .create({ mode: 'payment', line_items: [{ price: 'price_missing', quantity: 1 }] })
      .catch((e: unknown) => e);
    expect(badPrice).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'line_items[0][price]',
    });
    expect((await h.stripe.checkout.sessions.list({ limit: 100 })).data.length).toBe(before);
  });
});
