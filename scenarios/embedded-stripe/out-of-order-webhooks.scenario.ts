import { defineScenario } from 'fakepsp';

export const reorderedWebhooks = defineScenario({
  name: 'embedded-stripe: webhooks reordered within a minute give the same wallet and cash',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  seed: 7,
  tags: ['out-of-order-webhooks'],
  faults: {
    webhooks: [{ name: 'shuffle', match: { eventType: '*' }, effect: { kind: 'reorder', windowMs: 60_000 } }],
  },
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    await ctx.step('two top-ups', async () => {
      await ctx.topUp(tenant.customerId, 2000);
      await ctx.topUp(tenant.customerId, 3000);
    });
    await ctx.step('usage', () => ctx.usage(tenant.customerId, 700));
    const [first] = ctx.stripe.paidCharges(tenant.customerId);
    await ctx.step('a dashboard refund of the unspent first top-up', async () => {
      ctx.actors.dashboardRefund(first!.id, 2000, first!.scope);
    });
    await ctx.step('the shuffled webhooks land', () => ctx.advance('5m'));
    await ctx.step('usage after the refund', () => ctx.usage(tenant.customerId, 200));
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});

export const refundBeforeTopUp = defineScenario({
  name: 'embedded-stripe: a dashboard refund of a top-up arrives before the top-up itself',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['out-of-order-webhooks', 'refunds'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    ctx.faults.load({
      api: [1, 2, 3].map((nth) => ({
        phase: 'after' as const,
        match: { method: 'POST', path: '/v1/payment_intents', nth },
        effect: { kind: 'reset' as const },
      })),
      webhooks: [
        {
          name: 'payment late',
          match: { eventType: 'payment_intent.*' },
          effect: { kind: 'delay', delayMs: 600_000 },
        },
        {
          name: 'charge late',
          match: { eventType: 'charge.succeeded' },
          effect: { kind: 'delay', delayMs: 600_000 },
        },
      ],
    });
    await ctx.step('top-up with its answer lost', () => ctx.topUp(tenant.customerId, 2000));
    const [charge] = ctx.stripe.paidCharges(tenant.customerId);
    await ctx.step('support refunds part of it in the dashboard at once', async () => {
      ctx.actors.dashboardRefund(charge!.id, 500, charge!.scope);
    });
    await ctx.step('the refund’s webhooks land first', () => ctx.advance('1m'));
    ctx.faults.clear();
    await ctx.step('the late payment webhooks land', () => ctx.advance('15m'));
    await ctx.step('usage from what is left', () => ctx.usage(tenant.customerId, 500));
    await ctx.step('a day passes', () => ctx.advance('1d'));
  },
});
