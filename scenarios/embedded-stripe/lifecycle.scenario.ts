import { defineScenario } from 'fakepsp';

export const lifecycle = defineScenario({
  name: 'embedded-stripe: tenants top up, usage debits the wallet, a month passes',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['lifecycle'],
  async run(ctx) {
    const first = await ctx.step('first tenant signs up', () => ctx.customer());
    const second = await ctx.step('second tenant signs up', () => ctx.customer());
    await ctx.step('both top up', async () => {
      await ctx.topUp(first.customerId, 5000);
      await ctx.topUp(second.customerId, 2000);
    });
    await ctx.step('usage is debited event by event', async () => {
      await ctx.usage(first.customerId, 300);
      await ctx.usage(second.customerId, 120);
      await ctx.usage(first.customerId, 45);
    });
    await ctx.step('a month passes', () => ctx.advance('31d'));
    await ctx.step('usage in the second period', () => ctx.usage(second.customerId, 80));
    await ctx.step('the first tenant tops up again', () => ctx.topUp(first.customerId, 1000));
    await ctx.step('another month', () => ctx.advance('31d'));
  },
});
