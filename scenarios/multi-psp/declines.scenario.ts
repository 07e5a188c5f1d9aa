import { defineScenario } from 'fakepsp';
import { allPsps, expectPaid } from './support.ts';

export const renewalDeclined = defineScenario({
  name: 'multi-psp: a card that declines every renewal is dunned four times and never booked as paid',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['declines', 'dunning'],
  async run(ctx) {
    const good = await ctx.step('a customer whose card works', () => ctx.customer());
    const bad = await ctx.step('a customer whose card declines renewals', () =>
      ctx.customer({ paymentMethod: ctx.paymentMethods.declinesLater }),
    );
    await ctx.step('usage', async () => {
      await ctx.usage(good.customerId, 10);
      await ctx.usage(bad.customerId, 10);
    });
    await ctx.step('the period ends', () => ctx.advance('31d'));
    for (const day of [3, 6, 9, 12]) {
      await ctx.step(`dunning, day ${day}`, () => ctx.advance('3d'));
    }
    expectPaid(ctx, good.customerId, [1020]);
    expectPaid(ctx, bad.customerId, []);
  },
});
