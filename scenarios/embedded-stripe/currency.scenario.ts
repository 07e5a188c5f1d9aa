import { defineScenario } from 'fakepsp';
import { expectChargedAmounts } from '../shared/wallet-expectations.ts';

const yenPlan = { baseFeeMinor: 500, unitPricesMinor: { tokens: 3 }, interval: 'month' } as const;

export const yenWallet = defineScenario({
  name: 'embedded-stripe: a yen tenant (zero-decimal) tops up ¥1,000, never ¥100,000',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['currency'],
  async run(ctx) {
    const yen = await ctx.step('a yen tenant', () =>
      ctx.customer({
        currency: 'jpy',
        plan: { ...yenPlan, unitPricesMinor: { ...yenPlan.unitPricesMinor } },
      }),
    );
    const dollar = await ctx.step('a dollar tenant', () => ctx.customer());
    await ctx.step('both top up 1000 minor units', async () => {
      await ctx.topUp(yen.customerId, 1000);
      await ctx.topUp(dollar.customerId, 1000);
    });
    await ctx.step('usage in yen, to the last yen', async () => {
      await ctx.usage(yen.customerId, 111);
      await ctx.usage(yen.customerId, 222);
      await ctx.usage(yen.customerId, 1).catch(() => undefined);
      await ctx.usage(dollar.customerId, 111);
    });
    expectChargedAmounts(ctx, yen.customerId, [1000]);
    const [charge] = ctx.stripe.paidCharges(yen.customerId);
    await ctx.step('a partial yen refund, in the dashboard', async () => {
      ctx.actors.dashboardRefund(charge!.id, 1, charge!.scope);
    });
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});
