import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const lifecycle = defineScenario({
  name: 'byo-stripe: usage billed at period end and paid',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(customer.customerId, 30);
      await ctx.usage(customer.customerId, 12);
    });
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});

export const threePeriods = defineScenario({
  name: 'byo-stripe: two customers billed for three periods, one charge each per period',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['lifecycle'],
  async run(ctx) {
    const alice = await ctx.step('alice signs up', () => ctx.customer());
    const bob = await ctx.step('bob signs up on a weekly plan', () =>
      ctx.customer({
        plan: { baseFeeMinor: 300, unitPricesMinor: { tokens: 1, images: 25 }, interval: 'week' },
      }),
    );
    for (const [month, days] of [
      [1, '31d'],
      [2, '28d'],
      [3, '31d'],
    ] as const) {
      await ctx.step(`month ${month}: usage`, async () => {
        await ctx.usage(alice.customerId, 100 * month);
        await ctx.usage(bob.customerId, 10 * month);
        await ctx.usage(bob.customerId, month, { meter: 'images' });
      });
      await ctx.step(`month ${month} passes`, () => ctx.advance(days));
    }
    expectPaid(ctx, alice.customerId, [1200, 1400, 1600]);
  },
});
