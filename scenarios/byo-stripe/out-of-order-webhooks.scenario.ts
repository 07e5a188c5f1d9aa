import { defineScenario } from 'fakepsp';
import { expectPaid, onlyCharge } from './support.ts';

export const reorderedWebhooks = defineScenario({
  name: 'byo-stripe: webhooks shuffled within ten minutes over two periods with refunds give the same ledger',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  seed: 7,
  tags: ['out-of-order-webhooks'],
  faults: {
    webhooks: [{ name: 'shuffle', match: { retries: true }, effect: { kind: 'reorder', windowMs: 600_000 } }],
  },
  async run(ctx) {
    const alice = await ctx.step('alice signs up', () => ctx.customer());
    const bob = await ctx.step('bob signs up', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(alice.customerId, 90);
      await ctx.usage(bob.customerId, 30);
    });
    await ctx.step('first period', () => ctx.advance('31d'));
    await ctx.step('a service refund and a dashboard refund before any webhook lands', async () => {
      await ctx.refund(alice.customerId, onlyCharge(ctx, alice.customerId).id, 180);
      ctx.actors.dashboardRefund(onlyCharge(ctx, bob.customerId).id, 1060);
    });
    await ctx.step('second period', () => ctx.advance('28d'));
    expectPaid(ctx, bob.customerId, [1060, 1000]);
  },
});

export const refundBeforePayment = defineScenario({
  name: 'byo-stripe: a dashboard refund arrives before the payment it refunds is booked',
  description:
    'The charge answer is lost, its webhook is late and the poll job is rate-limited, so the ' +
    'refund events are the first the service hears of the payment: it must book both.',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['out-of-order-webhooks', 'refunds', 'dashboard'],
  faults: {
    api: [
      {
        name: 'the charge answer is lost',
        phase: 'after',
        match: { method: 'POST', path: '/v1/payment_intents' },
        effect: { kind: 'server_error', status: 500 },
      },
      {
        name: 'the poll job is rate-limited',
        phase: 'before',
        match: { method: 'GET', path: '/v1/events' },
        effect: { kind: 'rate_limit' },
      },
    ],
    webhooks: [
      {
        name: 'the payment webhook is two hours late',
        match: { eventType: 'payment_intent.*' },
        effect: { kind: 'delay', delayMs: 7_200_000 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 50));
    await ctx.step('the period ends; the charge answer is lost', () => ctx.advance('31d'));
    await ctx.step('support refunds part of the charge in the dashboard', async () => {
      ctx.actors.dashboardRefund(onlyCharge(ctx, customer.customerId).id, 400);
    });
    await ctx.step('the refund webhooks land first', () => ctx.settle());
    ctx.faults.clear();
    await ctx.step('the payment webhook lands and the poll job runs again', () => ctx.advance('3h'));
  },
});
