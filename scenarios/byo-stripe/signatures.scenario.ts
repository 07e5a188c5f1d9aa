import { defineScenario } from 'fakepsp';
import { onlyCharge } from './support.ts';

export const forgedAndStaleWebhooks = defineScenario({
  name: 'byo-stripe: deliveries with a bad or stale signature are rejected; the retries book once',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['signatures'],
  faults: {
    webhooks: [
      { name: 'forged', match: { eventType: 'charge.refunded' }, effect: { kind: 'bad_signature' } },
      { name: 'forged dispute', match: { eventType: 'charge.dispute.*' }, effect: { kind: 'bad_signature' } },
      {
        name: 'stale',
        match: { eventType: 'payment_intent.succeeded' },
        effect: { kind: 'stale_timestamp', ageSeconds: 900 },
      },
      {
        name: 'stale refund',
        match: { eventType: 'refund.*' },
        effect: { kind: 'stale_timestamp', ageSeconds: 600 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 75));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    const charge = onlyCharge(ctx, customer.customerId);
    await ctx.step('a dashboard refund and a dispute', async () => {
      ctx.actors.dashboardRefund(charge.id, 150);
      ctx.actors.openDispute(charge.id);
    });
    await ctx.step('Stripe retries the rejected deliveries', () => ctx.advance('2h'));
  },
});

export const unsignedWebhooks = defineScenario({
  name: 'byo-stripe: deliveries with no signature at all are rejected; the signed retries book once',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['signatures', 'unsigned'],
  faults: {
    webhooks: [
      {
        name: 'unsigned payment',
        match: { eventType: 'payment_intent.succeeded' },
        effect: { kind: 'unsigned' },
      },
      { name: 'unsigned refund', match: { eventType: 'charge.refunded' }, effect: { kind: 'unsigned' } },
      { name: 'unsigned dispute', match: { eventType: 'charge.dispute.*' }, effect: { kind: 'unsigned' } },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 75));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    const charge = onlyCharge(ctx, customer.customerId);
    await ctx.step('a dashboard refund and a dispute', async () => {
      ctx.actors.dashboardRefund(charge.id, 150);
      ctx.actors.openDispute(charge.id);
    });
    await ctx.step('Stripe retries the rejected deliveries, signed', () => ctx.advance('2h'));
  },
});
