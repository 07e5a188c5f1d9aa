import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const declinedCardDunning = defineScenario({
  name: 'byo-stripe: a declined card is retried by dunning and never booked as paid',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['declines', 'dunning'],
  async run(ctx) {
    const declined = await ctx.step('a customer whose card is declined', () =>
      ctx.customer({ paymentMethod: 'pm_card_chargeCustomerFail' }),
    );
    const paying = await ctx.step('a customer whose card works', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(declined.customerId, 10);
      await ctx.usage(paying.customerId, 10);
    });
    await ctx.step('the period ends', () => ctx.advance('31d'));
    for (let attempt = 2; attempt <= 5; attempt++) {
      await ctx.step(`dunning, day ${3 * (attempt - 1)}`, () => ctx.advance('3d'));
    }
    expectPaid(ctx, declined.customerId, []);
    expectPaid(ctx, paying.customerId, [1020]);
  },
});
