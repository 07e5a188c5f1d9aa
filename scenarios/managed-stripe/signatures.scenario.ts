import { defineScenario } from 'fakepsp';

export const forgedAndStaleWebhooks = defineScenario({
  name: 'managed-stripe: invoice and dispute webhooks with a bad or stale signature are rejected; retries book once',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['signatures'],
  faults: {
    webhooks: [
      { name: 'forged', match: { eventType: 'invoice.paid' }, effect: { kind: 'bad_signature' } },
      { name: 'forged dispute', match: { eventType: 'charge.dispute.*' }, effect: { kind: 'bad_signature' } },
      {
        name: 'stale',
        match: { eventType: 'invoice.finalized' },
        effect: { kind: 'stale_timestamp', ageSeconds: 900 },
      },
      {
        name: 'stale refund',
        match: { eventType: 'charge.refunded' },
        effect: { kind: 'stale_timestamp', ageSeconds: 600 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 75));
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    await ctx.step('a dashboard refund and a dispute', async () => {
      const [first, renewal] = ctx.stripe.paidCharges(customer.customerId);
      ctx.actors.dashboardRefund(renewal!.id, 150);
      ctx.actors.openDispute(first!.id);
    });
    await ctx.step('Stripe retries the rejected deliveries', () => ctx.advance('2h'));
  },
});

export const unsignedWebhooks = defineScenario({
  name: 'managed-stripe: invoice and refund webhooks with no signature at all are rejected; the signed retries book once',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['signatures', 'unsigned'],
  faults: {
    webhooks: [
      { name: 'unsigned invoice', match: { eventType: 'invoice.paid' }, effect: { kind: 'unsigned' } },
      { name: 'unsigned refund', match: { eventType: 'charge.refunded' }, effect: { kind: 'unsigned' } },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 75));
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    await ctx.step('a dashboard refund', async () => {
      const [, renewal] = ctx.stripe.paidCharges(customer.customerId);
      ctx.actors.dashboardRefund(renewal!.id, 150);
    });
    await ctx.step('Stripe retries the rejected deliveries, signed', () => ctx.advance('2h'));
  },
});
