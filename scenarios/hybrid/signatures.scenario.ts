import { defineScenario } from 'fakepsp';

export const forgedAndStaleWebhooks = defineScenario({
  name: 'hybrid: invoice and top-up webhooks with bad or stale signatures are rejected; retries book once',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['signatures', 'renewals'],
  faults: {
    webhooks: [
      { name: 'forged', match: { eventType: 'invoice.paid' }, effect: { kind: 'bad_signature' } },
      {
        name: 'stale',
        match: { eventType: 'payment_intent.succeeded' },
        effect: { kind: 'stale_timestamp', ageSeconds: 900 },
      },
      {
        name: 'replayed',
        match: { eventType: 'invoice.finalized' },
        effect: { kind: 'replay', afterMs: 3_600_000 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('top-up and usage', async () => {
      await ctx.topUp(customer.customerId, 1000);
      await ctx.usage(customer.customerId, 50);
    });
    await ctx.step('the subscription renews', () => ctx.advance('32d'));
  },
});

export const unsignedWebhooks = defineScenario({
  name: 'hybrid: invoice and top-up webhooks with no signature at all are rejected; the signed retries book once',
  pattern: 'hybrid',
  psps: ['stripe', 'razorpay'],
  tags: ['signatures', 'unsigned', 'renewals'],
  faults: {
    webhooks: [
      { name: 'unsigned invoice', match: { eventType: 'invoice.paid' }, effect: { kind: 'unsigned' } },
      {
        name: 'unsigned Stripe top-up',
        match: { eventType: 'payment_intent.succeeded' },
        effect: { kind: 'unsigned' },
      },
      {
        name: 'unsigned Razorpay top-up',
        match: { eventType: 'payment.captured' },
        effect: { kind: 'unsigned' },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('top-up', () => ctx.topUp(customer.customerId, 1000));
    await ctx.step('the rejected top-up webhook is retried, signed', () => ctx.advance('2h'));
    await ctx.step('usage', () => ctx.usage(customer.customerId, 50));
    await ctx.step('the subscription renews', () => ctx.advance('32d'));
  },
});
