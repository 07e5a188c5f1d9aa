import { defineScenario } from 'fakepsp';

export const walletRunsLow = defineScenario({
  name: 'embedded-stripe: a wallet running low refuses usage and never goes negative',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['wallet'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    await ctx.step('a 5.00 top-up', () => ctx.topUp(tenant.customerId, 500));
    const refused: string[] = [];
    const spend = async (quantity: number) => {
      try {
        await ctx.usage(tenant.customerId, quantity);
      } catch {
        refused.push(`${quantity}`);
      }
    };
    await ctx.step('usage until the wallet is nearly empty', async () => {
      for (const quantity of [100, 80, 60, 9]) await spend(quantity);
    });
    await ctx.step('an event costing more than is left is refused', () => spend(2));
    await ctx.step('an event costing exactly what is left is served', () => spend(1));
    await ctx.step('an empty wallet refuses even one unit', () => spend(1));
    await ctx.step('zero-quantity usage costs nothing', () => spend(0));
    await ctx.step('a top-up reopens the wallet', async () => {
      await ctx.topUp(tenant.customerId, 300);
      await spend(150);
      await spend(1);
    });
    if (refused.length < 3) throw new Error(`expected refusals, got ${refused.join(', ')}`);
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});

export const declinedTopUp = defineScenario({
  name: 'embedded-stripe: a declined top-up credits nothing and usage on it is refused',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['wallet', 'declines'],
  async run(ctx) {
    const tenant = await ctx.step('tenant with a card that declines', () =>
      ctx.customer({ paymentMethod: 'pm_card_chargeCustomerFail' }),
    );
    await ctx.step('the top-up is declined', () => ctx.topUp(tenant.customerId, 2000));
    await ctx.step('usage is refused', async () => {
      await ctx.usage(tenant.customerId, 10).then(
        () => {
          throw new Error('usage on an empty wallet was served');
        },
        () => undefined,
      );
    });
    const good = await ctx.step('a tenant with a good card', () => ctx.customer());
    await ctx.step('tops up and spends', async () => {
      await ctx.topUp(good.customerId, 2000);
      await ctx.usage(good.customerId, 10);
    });
    await ctx.step('the poll job runs over the failed payment', () => ctx.advance('1d'));
  },
});
