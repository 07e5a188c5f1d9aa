import Razorpay from 'razorpay';
import { validatePaymentVerification } from 'razorpay/dist/utils/razorpay-utils.js';
import { describe, expect, it } from 'vitest';
import { razorpayTestCards } from '../../../src/fakes/razorpay/index.ts';
import {
  caught,
  razorpayAndReceiverEachTest,
  keySecret,
  startRazorpayWebhookReceiver,
  webhookSecret,
  type RazorpayHarness,
} from '../../support/razorpay-harness.ts';

let h: RazorpayHarness;
let receiver: Awaited<ReturnType<typeof startRazorpayWebhookReceiver>>;
razorpayAndReceiverEachTest((started) => ({ h, receiver } = started));

const dayMs = 86_400_000;

/** Moves virtual time on, firing Razorpay's cycle jobs, and delivers what they sent. */
async function advance(ms: number): Promise<void> {
  h.sim.clock.advanceBy(ms);
  await h.fake.flushWebhooks();
}

/** The customer's authentication transaction on Checkout (a browser step: a harness action). */
function authenticate(subscriptionId: string, body: Record<string, unknown> = {}) {
  return h.fake.actions.authenticate_subscription!({
    subscription_id: subscriptionId,
    email: 'asha@example.com',
    contact: '+919876543210',
    ...body,
  });
}

async function monthlyPlan(amount = 49_900) {
  return h.rzp.plans.create({
    period: 'monthly',
    interval: 1,
    item: { name: 'Pro monthly', amount, currency: 'INR', description: 'Base plan' },
  });
}

describe('Razorpay Subscriptions through the official SDK', () => {
  it('₹499/month with a usage add-on: three cycles, three invoices, three captured payments, the add-on on the second only', async () => {
    const plan = await monthlyPlan();
    expect(plan).toMatchObject({
      entity: 'plan',
      period: 'monthly',
      interval: 1,
      item: { amount: 49_900, unit_amount: 49_900, currency: 'INR', type: 'plan', active: true },
      notes: [],
    });
    const created = await h.rzp.subscriptions.create({
      plan_id: plan.id,
      total_count: 12,
      customer_notify: 0,
      notes: { fakepsp_customer_id: 'c_1' },
    });
    expect(created).toMatchObject({
      status: 'created',
      paid_count: 0,
      remaining_count: 12,
      customer_id: null,
    });
    const paid = authenticate(created.id).body as Record<string, string>;
    const params = { subscription_id: created.id, payment_id: paid.razorpay_payment_id! };
    expect(paid.razorpay_subscription_id).toBe(created.id);
    expect(validatePaymentVerification(params, paid.razorpay_signature!, keySecret)).toBe(true);
    await h.fake.flushWebhooks();
    const active = await h.rzp.subscriptions.fetch(created.id);
    expect(active).toMatchObject({ status: 'active', paid_count: 1, remaining_count: 11, auth_attempts: 0 });
    expect(active.current_end! - active.current_start!).toBe(31 * 86_400);
    const addon = await h.rzp.subscriptions.createAddon(created.id, {
      item: { name: 'tokens', amount: 2, currency: 'INR', description: 'u_1' },
      quantity: 1_500,
    });
    expect(addon).toMatchObject({
      entity: 'addon',
      quantity: 1_500,
      invoice_id: null,
      item: { type: 'addon' },
    });
    await advance(31 * dayMs);
    await advance(28 * dayMs);
    const invoices = (await h.rzp.invoices.all({ subscription_id: created.id })).items.reverse();
    expect(invoices.map((invoice) => [invoice.amount, invoice.status])).toEqual([
      [49_900, 'paid'],
      [52_900, 'paid'],
      [49_900, 'paid'],
    ]);
    expect(invoices.map((invoice) => invoice.line_items.map((line) => line.type))).toEqual([
      ['plan'],
      ['plan', 'addon'],
      ['plan'],
    ]);
    expect((await h.rzp.addons.fetch(addon.id)).invoice_id).toBe(invoices[1]!.id);
    for (const invoice of invoices) {
      const payment = await h.rzp.payments.fetch(invoice.payment_id!);
      expect(payment).toMatchObject({
        status: 'captured',
        invoice_id: invoice.id,
        order_id: invoice.order_id,
      });
    }
    expect(await h.rzp.subscriptions.fetch(created.id)).toMatchObject({ paid_count: 3, remaining_count: 9 });
    expect(receiver.received.every((request) => request.verified)).toBe(true);
    const charged = receiver.received.filter((request) => request.event.event === 'subscription.charged');
    expect(charged.map((request) => request.event.payload.payment.entity.amount)).toEqual([
      49_900, 52_900, 49_900,
    ]);
    expect(receiver.events().filter((event) => event === 'invoice.paid')).toHaveLength(3);
    expect(receiver.events().slice(0, 9)).toEqual([
      'payment.authorized',
      'payment.captured',
      'order.paid',
      'invoice.paid',
      'token.confirmed',
      'subscription.authenticated',
      'subscription.activated',
      'subscription.charged',
      'payment.authorized',
    ]);
    const invoicePaid = receiver.received.find((request) => request.event.event === 'invoice.paid')!.event;
    expect(invoicePaid.contains).toEqual(['payment', 'order', 'invoice']);
    expect(charged[0]!.event.contains).toEqual(['subscription', 'payment']);
    expect(Razorpay.validateWebhookSignature(charged[0]!.body, 'f'.repeat(64), webhookSecret)).toBe(false);
  });

  it('a card that fails goes pending, is retried daily, and is halted after the fourth attempt', async () => {
    const plan = await monthlyPlan();
    const subscription = await h.rzp.subscriptions.create({ plan_id: plan.id, total_count: 6 });
    expect(authenticate(subscription.id, { card: razorpayTestCards.insufficientFunds }).status).toBe(200);
    await advance(31 * dayMs);
    expect(await h.rzp.subscriptions.fetch(subscription.id)).toMatchObject({
      status: 'pending',
      auth_attempts: 1,
    });
    for (let day = 1; day <= 3; day++) await advance(dayMs);
    const halted = await h.rzp.subscriptions.fetch(subscription.id);
    expect(halted).toMatchObject({ status: 'halted', auth_attempts: 4, paid_count: 1 });
    expect(halted.charge_at).toBe(halted.current_end);
    const events = receiver.events().filter((event) => event.startsWith('subscription.'));
    expect(events).toEqual([
      'subscription.authenticated',
      'subscription.activated',
      'subscription.charged',
      'subscription.pending',
      'subscription.pending',
      'subscription.pending',
      'subscription.halted',
    ]);
    const failed = receiver.received.filter((request) => request.event.event === 'payment.failed');
    expect(failed).toHaveLength(4);
    expect(failed[0]!.event.payload.payment.entity).toMatchObject({ error_reason: 'insufficient_funds' });
    // Halted: the next cycle's invoice is issued, and not charged.
    await advance(31 * dayMs);
    const invoices = (await h.rzp.invoices.all({ subscription_id: subscription.id })).items;
    expect(invoices.map((invoice) => invoice.status)).toEqual(['issued', 'issued', 'paid']);
    expect(failed).toHaveLength(4);
  });

  it('cancel at cycle end, pause and resume, each with its webhook; errors in Razorpay’s envelope', async () => {
    const plan = await monthlyPlan();
    const subscription = await h.rzp.subscriptions.create({ plan_id: plan.id, total_count: 6 });
    authenticate(subscription.id);
    expect(await h.rzp.subscriptions.pause(subscription.id, { pause_at: 'now' })).toMatchObject({
      status: 'paused',
      charge_at: null,
    });
    expect(await h.rzp.subscriptions.resume(subscription.id, { resume_at: 'now' })).toMatchObject({
      status: 'active',
    });
    expect(await h.rzp.subscriptions.cancel(subscription.id, true)).toMatchObject({ status: 'active' });
    await advance(31 * dayMs);
    expect(await h.rzp.subscriptions.fetch(subscription.id)).toMatchObject({
      status: 'cancelled',
      paid_count: 1,
    });
    expect(
      receiver
        .events()
        .filter((event) => event.startsWith('subscription.'))
        .slice(-3),
    ).toEqual(['subscription.paused', 'subscription.resumed', 'subscription.cancelled']);
    expect(await caught(h.rzp.subscriptions.cancel(subscription.id))).toEqual({
      statusCode: 400,
      error: {
        code: 'BAD_REQUEST_ERROR',
        description: 'Subscription is not cancellable in cancelled status.',
        field: 'status',
        source: 'NA',
        step: 'NA',
        reason: 'NA',
        metadata: {},
      },
    });
    expect(
      await caught(
        h.rzp.plans.create({
          period: 'daily',
          interval: 1,
          item: { name: 'd', amount: 100, currency: 'INR' },
        }),
      ),
    ).toMatchObject({ statusCode: 400, error: { field: 'interval' } });
    expect(await caught(h.rzp.subscriptions.fetch('sub_DoesNotExist00'))).toMatchObject({
      statusCode: 400,
      error: { description: 'The id provided does not exist' },
    });
  });

  it('a plan change at cycle end bills the new plan from the next cycle; one now charges the prorated difference', async () => {
    const basic = await monthlyPlan(49_900);
    const pro = await monthlyPlan(99_900);
    const subscription = await h.rzp.subscriptions.create({ plan_id: basic.id, total_count: 6 });
    authenticate(subscription.id);
    const scheduled = await h.rzp.subscriptions.update(subscription.id, {
      plan_id: pro.id,
      schedule_change_at: 'cycle_end',
    });
    expect(scheduled).toMatchObject({ plan_id: basic.id, has_scheduled_changes: true });
    expect(await h.rzp.subscriptions.pendingUpdate(subscription.id)).toMatchObject({ plan_id: pro.id });
    await advance(31 * dayMs);
    expect(await h.rzp.subscriptions.fetch(subscription.id)).toMatchObject({
      plan_id: pro.id,
      has_scheduled_changes: false,
    });
    let invoices = (await h.rzp.invoices.all({ subscription_id: subscription.id })).items;
    expect(invoices.map((invoice) => invoice.amount)).toEqual([99_900, 49_900]);
    // Half-way through February's 28 days, to basic with 3 seats: (3 × ₹499 − ₹999) × ½ is charged now.
    await advance(14 * dayMs);
    await h.rzp.subscriptions.update(subscription.id, {
      plan_id: basic.id,
      quantity: 3,
      schedule_change_at: 'now',
    });
    invoices = (await h.rzp.invoices.all({ subscription_id: subscription.id })).items;
    expect(invoices[0]).toMatchObject({ amount: Math.round((3 * 49_900 - 99_900) / 2), status: 'paid' });
    expect(receiver.events().filter((event) => event === 'subscription.updated')).toHaveLength(1);
    await h.fake.flushWebhooks();
    expect(receiver.events().filter((event) => event === 'subscription.updated')).toHaveLength(2);
  });
});

describe('Razorpay Subscriptions: start dates, upfront add-ons, offers, the last cycle, a new card', () => {
  it('a future start_at: the upfront add-on is charged at authentication, the plan from start_at', async () => {
    const plan = await monthlyPlan();
    const startAt = Date.UTC(2026, 0, 11) / 1000;
    const subscription = await h.rzp.subscriptions.create({
      plan_id: plan.id,
      total_count: 3,
      start_at: startAt,
      addons: [{ item: { name: 'Setup fee', amount: 10_000, currency: 'INR' } }],
    });
    authenticate(subscription.id);
    expect(await h.rzp.subscriptions.fetch(subscription.id)).toMatchObject({
      status: 'authenticated',
      paid_count: 0,
    });
    await advance(10 * dayMs);
    const active = await h.rzp.subscriptions.fetch(subscription.id);
    expect(active).toMatchObject({ status: 'active', paid_count: 1, current_start: startAt });
    const invoices = (await h.rzp.invoices.all({ subscription_id: subscription.id })).items.reverse();
    expect(invoices.map((invoice) => [invoice.amount, invoice.line_items[0]!.type])).toEqual([
      [10_000, 'addon'],
      [49_900, 'plan'],
    ]);
  });

  it('a future start_at without add-ons authorises the card and gives it back: no money moves', async () => {
    const plan = await monthlyPlan();
    const subscription = await h.rzp.subscriptions.create({
      plan_id: plan.id,
      total_count: 3,
      start_at: Date.UTC(2026, 0, 5) / 1000,
    });
    const paid = authenticate(subscription.id).body as Record<string, string>;
    const payment = await h.rzp.payments.fetch(paid.razorpay_payment_id!);
    expect(payment).toMatchObject({ amount: 100, captured: false, status: 'refunded' });
    expect(h.dump().invoices).toEqual([]);
  });

  it('completes once every cycle is billed; an offer takes its discount off the first payments', async () => {
    const offer = h.fake.actions.create_offer!({ discount_type: 'flat', discount: 9_900, payments: 1 })
      .body as { id: string };
    const plan = await monthlyPlan();
    const subscription = await h.rzp.subscriptions.create({
      plan_id: plan.id,
      total_count: 2,
      offer_id: offer.id,
    });
    authenticate(subscription.id);
    await advance(31 * dayMs);
    await advance(28 * dayMs);
    expect(await h.rzp.subscriptions.fetch(subscription.id)).toMatchObject({
      status: 'completed',
      paid_count: 2,
      remaining_count: 0,
      ended_at: Date.UTC(2026, 2, 1) / 1000,
    });
    const invoices = (await h.rzp.invoices.all({ subscription_id: subscription.id })).items.reverse();
    expect(invoices.map((invoice) => [invoice.gross_amount, invoice.amount])).toEqual([
      [49_900, 40_000],
      [49_900, 49_900],
    ]);
    expect(receiver.events().at(-1)).toBe('subscription.completed');
    expect(
      await caught(h.rzp.subscriptions.create({ plan_id: plan.id, total_count: 2, offer_id: 'offer_Nope' })),
    ).toMatchObject({ statusCode: 400, error: { description: 'Offer Not Found' } });
  });

  it('a pending subscription charged on a new card becomes active; add-ons of a cancelled one are refused', async () => {
    const plan = await monthlyPlan();
    const subscription = await h.rzp.subscriptions.create({ plan_id: plan.id, total_count: 6 });
    authenticate(subscription.id, { card: razorpayTestCards.cardDeclined });
    await advance(31 * dayMs);
    expect((await h.rzp.subscriptions.fetch(subscription.id)).status).toBe('pending');
    const changed = h.fake.actions.change_card!({
      subscription_id: subscription.id,
      card: razorpayTestCards.mastercardSubscription,
    });
    expect(changed).toMatchObject({ status: 200, body: { status: 'active', paid_count: 2 } });
    await h.rzp.subscriptions.cancel(subscription.id);
    const refused = await caught(
      h.rzp.subscriptions.createAddon(subscription.id, { item: { name: 'x', amount: 100, currency: 'INR' } }),
    );
    expect(refused).toMatchObject({ statusCode: 400, error: { code: 'BAD_REQUEST_ERROR' } });
  });
});
