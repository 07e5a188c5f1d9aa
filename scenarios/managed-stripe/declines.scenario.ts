import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const declinedCard = defineScenario({
  name: 'managed-stripe: a card that declines leaves its invoices open and unpaid through Stripe’s retries',
  pattern: 'managed-stripe',
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
    await ctx.step('the period ends', () => ctx.advance('32d'));
    for (let day = 3; day <= 12; day += 3) await ctx.step(`day ${day} of dunning`, () => ctx.advance('3d'));
    expectPaid(ctx, declined.customerId, []);
    expectPaid(ctx, paying.customerId, [1000, 1020]);
  },
});
