import { defineScenario } from 'fakepsp';

export const clockTicksAcrossRenewal = defineScenario({
  name: 'hybrid: the clock job ticks again and again across a period end; one invoice per period',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['billing-cycle', 'renewals'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('top-up and usage', async () => {
      await ctx.topUp(customer.customerId, 800);
      await ctx.usage(customer.customerId, 100);
    });
    await ctx.step('to a minute before the period ends', () => ctx.advance(31 * 86_400_000 - 60_000));
    for (let tick = 1; tick <= 6; tick++) {
      await ctx.step(`tick ${tick}`, () => ctx.advance('30s'));
    }
    await ctx.step('the same instant again', () => ctx.advance(0));
    await ctx.step('usage between ticks', () => ctx.usage(customer.customerId, 50));
    for (let tick = 1; tick <= 3; tick++) {
      await ctx.step(`hourly tick ${tick}`, () => ctx.advance('1h'));
    }
    await ctx.step('a mid-period top-up', () => ctx.topUp(customer.customerId, 400));
    await ctx.step('the next renewal in one jump of two periods', () => ctx.advance('62d'));
  },
});
