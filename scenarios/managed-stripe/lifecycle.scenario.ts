import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const lifecycle = defineScenario({
  name: 'managed-stripe: base fee in advance, usage in arrears, invoiced and paid by Stripe Billing',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['lifecycle'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(customer.customerId, 30);
      await ctx.usage(customer.customerId, 12);
    });
    await ctx.step('a month passes and the renewal is collected', () => ctx.advance('32d'));
    expectPaid(ctx, customer.customerId, [1000, 1084]);
  },
});

export const threeRenewals = defineScenario({
  name: 'managed-stripe: two customers through three renewals, each invoice mirrored and paid once',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['lifecycle', 'renewals'],
  async run(ctx) {
    const alice = await ctx.step('alice subscribes', () => ctx.customer());
    const bob = await ctx.step('bob subscribes to two meters', () =>
      ctx.customer({
        plan: { baseFeeMinor: 2500, unitPricesMinor: { tokens: 1, images: 40 }, interval: 'month' },
      }),
    );
    for (const [month, days] of [
      [1, '31d'],
      [2, '28d'],
      [3, '31d'],
    ] as const) {
      await ctx.step(`month ${month}: usage`, async () => {
        await ctx.advance('2d');
        await ctx.usage(alice.customerId, 100 * month);
        await ctx.usage(bob.customerId, 10 * month);
        await ctx.usage(bob.customerId, month, { meter: 'images' });
      });
      await ctx.step(`month ${month} ends`, () => ctx.advance(days === '28d' ? '26d' : '29d'));
    }
    await ctx.step('the last renewal is collected', () => ctx.advance('2h'));
    expectPaid(ctx, alice.customerId, [1000, 1200, 1400, 1600]);
    expectPaid(ctx, bob.customerId, [2500, 2550, 2600, 2650]);
  },
});
