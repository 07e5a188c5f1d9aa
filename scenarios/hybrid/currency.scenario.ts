import { defineScenario } from 'fakepsp';
import { topUpCharges } from './support.ts';
import { expectChargedAmounts } from '../shared/wallet-expectations.ts';

export const yenCustomer = defineScenario({
  name: 'hybrid: a yen customer (zero-decimal): ¥500 base fee and ¥1,000 top-up, never ×100',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['currency', 'renewals'],
  async run(ctx) {
    const yen = await ctx.step('a yen customer subscribes', () =>
      ctx.customer({
        currency: 'jpy',
        plan: { baseFeeMinor: 500, unitPricesMinor: { tokens: 3 }, interval: 'month' },
      }),
    );
    const dollar = await ctx.step('a dollar customer subscribes', () => ctx.customer());
    await ctx.step('both top up 1000 minor units', async () => {
      await ctx.topUp(yen.customerId, 1000);
      await ctx.topUp(dollar.customerId, 1000);
    });
    await ctx.step('usage, to the last yen', async () => {
      await ctx.usage(yen.customerId, 333);
      await ctx.usage(yen.customerId, 1).catch(() => undefined);
      await ctx.usage(dollar.customerId, 333);
    });
    const [charge] = topUpCharges(ctx, yen.customerId);
    await ctx.step('the last yen refunded in the dashboard', async () => {
      ctx.actors.dashboardRefund(charge!.id, 1);
    });
    await ctx.step('both renew', () => ctx.advance('32d'));
    expectChargedAmounts(ctx, yen.customerId, [500, 1000]);
  },
});
