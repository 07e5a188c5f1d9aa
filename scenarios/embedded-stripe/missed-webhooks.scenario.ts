import { defineScenario } from 'fakepsp';

export const endpointOutage = defineScenario({
  name: 'embedded-stripe: the webhook endpoint is down for six hours; retries and the poll job close the gap',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['missed-webhooks', 'outage', 'poll'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    await ctx.step('two top-ups', async () => {
      await ctx.topUp(tenant.customerId, 3000);
      await ctx.topUp(tenant.customerId, 2000);
    });
    const from = ctx.now().getTime();
    ctx.faults.load({ outages: [{ fromMs: from, toMs: from + 6 * 3_600_000 }] });
    const [first, second] = ctx.stripe.paidCharges(tenant.customerId);
    await ctx.step('during the outage: a dashboard refund and a dispute', async () => {
      ctx.actors.dashboardRefund(first!.id, 1200, first!.scope);
      ctx.actors.openDispute(second!.id, second!.scope);
    });
    await ctx.step('an hour into the outage', () => ctx.advance('1h'));
    await ctx.step('usage within what is left', () => ctx.usage(tenant.customerId, 300));
    await ctx.step('the endpoint comes back', () => ctx.advance('6h'));
    ctx.faults.clear();
    await ctx.step('Stripe’s retries finish', () => ctx.advance('3d'));
  },
});

export const droppedWebhooks = defineScenario({
  name: 'embedded-stripe: every first delivery dropped and the top-up answer lost; the poll job books it all',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['missed-webhooks', 'poll', 'lost-response'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    ctx.faults.load({
      api: [1, 2, 3].map((nth) => ({
        phase: 'after' as const,
        match: { method: 'POST', path: '/v1/payment_intents', nth },
        effect: { kind: 'timeout' as const },
      })),
      webhooks: [{ name: 'lost', match: { eventType: '*' }, effect: { kind: 'drop' } }],
    });
    await ctx.step('top-up, answer lost', () => ctx.topUp(tenant.customerId, 5000));
    await ctx.step('the poll job runs on the next tick', () => ctx.advance('5m'));
    await ctx.step('usage', () => ctx.usage(tenant.customerId, 1000));
    const [charge] = ctx.stripe.paidCharges(tenant.customerId);
    await ctx.step('a dashboard refund whose first webhook is dropped', async () => {
      ctx.actors.dashboardRefund(charge!.id, 2000, charge!.scope);
    });
    await ctx.step('the poll job finds it', () => ctx.advance('5m'));
    ctx.faults.clear();
    await ctx.step('a day passes', () => ctx.advance('1d'));
  },
});
