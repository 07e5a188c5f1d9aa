import { defineScenario } from 'fakepsp';
import { allPsps, expectPaid } from './support.ts';

export const lifecycle = defineScenario({
  name: 'multi-psp: sign-up, usage and two periods billed and collected at the customer’s PSP',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['lifecycle'],
  async run(ctx) {
    const alice = await ctx.step('alice signs up', () => ctx.customer());
    const bob = await ctx.step('bob signs up on a bigger plan', () =>
      ctx.customer({
        plan: { baseFeeMinor: 5000, unitPricesMinor: { tokens: 3, images: 40 }, interval: 'month' },
      }),
    );
    await ctx.step('January usage', async () => {
      await ctx.usage(alice.customerId, 120);
      await ctx.usage(bob.customerId, 300);
      await ctx.usage(bob.customerId, 5, { meter: 'images' });
    });
    await ctx.step('the period ends and is collected', () => ctx.advance('31d'));
    await ctx.step('February usage', () => ctx.usage(alice.customerId, 40));
    await ctx.step('the second period ends', () => ctx.advance('28d'));
    expectPaid(ctx, alice.customerId, [1240, 1080]);
    expectPaid(ctx, bob.customerId, [6100, 5000]);
  },
});

export const idleCustomer = defineScenario({
  name: 'multi-psp: a customer with no usage pays the base fee only, once per period',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['lifecycle'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('three periods pass', async () => {
      await ctx.advance('31d');
      await ctx.advance('28d');
      await ctx.advance('31d');
    });
    expectPaid(ctx, customer.customerId, [1000, 1000, 1000]);
  },
});
