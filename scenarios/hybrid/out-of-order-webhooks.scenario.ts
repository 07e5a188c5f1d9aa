import { defineScenario } from 'fakepsp';

export const reorderedWebhooks = defineScenario({
  name: 'hybrid: webhooks reordered within five minutes across two renewals give the same ledger',
  pattern: 'hybrid',
  psps: ['stripe'],
  seed: 11,
  tags: ['out-of-order-webhooks', 'renewals'],
  faults: {
    webhooks: [
      { name: 'shuffle', match: { eventType: '*' }, effect: { kind: 'reorder', windowMs: 300_000 } },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('top-ups', async () => {
      await ctx.topUp(customer.customerId, 1500);
      await ctx.topUp(customer.customerId, 500);
    });
    await ctx.step('usage', () => ctx.usage(customer.customerId, 600));
    await ctx.step('first renewal', () => ctx.advance('32d'));
    await ctx.step('more usage', () => ctx.usage(customer.customerId, 300));
    await ctx.step('second renewal', () => ctx.advance('31d'));
  },
});

export const paidBeforeFinalized = defineScenario({
  name: 'hybrid: invoice.paid arrives before invoice.finalized and invoice.created',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['out-of-order-webhooks', 'renewals'],
  faults: {
    webhooks: [
      {
        name: 'created late',
        match: { eventType: 'invoice.created', retries: true },
        effect: { kind: 'delay', delayMs: 7_200_000 },
      },
      {
        name: 'finalized late',
        match: { eventType: 'invoice.finalized', retries: true },
        effect: { kind: 'delay', delayMs: 3_600_000 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('top-up and usage', async () => {
      await ctx.topUp(customer.customerId, 1000);
      await ctx.usage(customer.customerId, 200);
    });
    await ctx.step('renewal, its invoice paid before it is announced', () => ctx.advance('31d'));
    await ctx.step('an hour later', () => ctx.advance('1h'));
    await ctx.step('the late events land', () => ctx.advance('3h'));
  },
});
