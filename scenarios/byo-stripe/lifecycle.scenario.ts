import { defineScenario } from '../../src/scenarios/define.ts';

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
