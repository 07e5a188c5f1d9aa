import { defineScenario } from 'fakepsp';

export const forgedAndStaleWebhooks = defineScenario({
  name: 'embedded-stripe: deliveries with a bad or stale signature are rejected; retries book once',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['signatures', 'duplicate-webhooks'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    await ctx.step('top-up', () => ctx.topUp(tenant.customerId, 3000));
    ctx.faults.load({
      webhooks: [
        { name: 'forged', match: { eventType: 'charge.refunded' }, effect: { kind: 'bad_signature' } },
        {
          name: 'stale',
          match: { eventType: 'refund.*' },
          effect: { kind: 'stale_timestamp', ageSeconds: 900 },
        },
        {
          name: 'replayed',
          match: { eventType: 'charge.dispute.*' },
          effect: { kind: 'replay', afterMs: 3_600_000 },
        },
      ],
    });
    const [charge] = ctx.stripe.paidCharges(tenant.customerId);
    await ctx.step('a dashboard refund and a dispute', async () => {
      ctx.actors.dashboardRefund(charge!.id, 800, charge!.scope);
      ctx.actors.openDispute(charge!.id, charge!.scope);
    });
    await ctx.step('deliveries, retries and replays', () => ctx.advance('2h'));
    ctx.faults.clear();
    await ctx.step('a day passes', () => ctx.advance('1d'));
  },
});

export const unsignedWebhooks = defineScenario({
  name: 'embedded-stripe: deliveries with no signature at all are rejected; the signed retries book once',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['signatures', 'unsigned'],
  faults: {
    webhooks: [
      {
        name: 'unsigned top-up',
        match: { eventType: 'payment_intent.succeeded' },
        effect: { kind: 'unsigned' },
      },
      { name: 'unsigned refund', match: { eventType: 'charge.refunded' }, effect: { kind: 'unsigned' } },
    ],
  },
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    await ctx.step('top-up', () => ctx.topUp(tenant.customerId, 3000));
    await ctx.step('usage', () => ctx.usage(tenant.customerId, 200));
    const [charge] = ctx.stripe.paidCharges(tenant.customerId);
    await ctx.step('a dashboard refund', async () => {
      ctx.actors.dashboardRefund(charge!.id, 800, charge!.scope);
    });
    await ctx.step('Stripe retries the rejected deliveries, signed', () => ctx.advance('2h'));
  },
});
