import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const lostAddonResponses = defineScenario({
  name: 'managed-razorpay: add-ons whose answer was lost are found, not made twice; each event is billed once',
  pattern: 'managed-razorpay',
  psps: ['razorpay'],
  tags: ['lost-response', 'usage', 'razorpay'],
  faults: {
    api: [
      {
        name: 'the first add-on is made and its answer lost',
        phase: 'after',
        match: { method: 'POST', path: '/v1/subscriptions/*/addons', nth: 1 },
        effect: { kind: 'reset' },
      },
      {
        name: 'the third add-on fails before Razorpay acts',
        phase: 'before',
        match: { method: 'POST', path: '/v1/subscriptions/*/addons', nth: 3 },
        effect: { kind: 'server_error', status: 503 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage, the first add-on answer lost', async () => {
      await ctx.usage(customer.customerId, 25);
      await ctx.usage(customer.customerId, 15);
    });
    await ctx.step('the cycle ends', () => ctx.advance('31d'));
    const addons = ctx.env.razorpay!.dump().addons;
    if (addons.length !== 2) throw new Error(`${addons.length} add-ons at Razorpay for two usage events`);
    expectPaid(ctx, customer.customerId, [1_000, 1_080]);
  },
});

export const lostRefundResponse = defineScenario({
  name: 'managed-razorpay: a refund of a subscription payment whose answer was lost is asked again under the same key, booked once',
  pattern: 'managed-razorpay',
  psps: ['razorpay'],
  tags: ['lost-response', 'refunds', 'idempotency', 'razorpay'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 100));
    await ctx.step('the renewal is charged', () => ctx.advance('31d'));
    const renewal = ctx.payments.paid(customer.customerId).at(-1)!;
    ctx.faults.load({
      api: [
        {
          name: 'the refund answer is lost after Razorpay refunded',
          phase: 'after',
          match: { method: 'POST', path: '/v1/payments/*/refund', nth: 1 },
          effect: { kind: 'reset' },
        },
      ],
    });
    await ctx.step('the service refunds part of it', () => ctx.refund(customer.customerId, renewal.ref, 450));
    ctx.faults.clear();
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    const refunds = ctx.payments.refunds(customer.customerId);
    if (refunds.length !== 1) throw new Error(`${refunds.length} refunds of ${renewal.ref}, expected 1`);
  },
});
