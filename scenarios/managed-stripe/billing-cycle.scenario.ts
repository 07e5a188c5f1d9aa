import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const smallStepsOverPeriodEnd = defineScenario({
  name: 'managed-stripe: the clock ticks again and again around a period end; one invoice per period',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['billing-cycle', 'races'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 45));
    await ctx.step('to one minute before the period ends', async () => {
      await ctx.advance('30d');
      await ctx.advance('23h');
      await ctx.advance('59m');
    });
    await ctx.step('usage in the last minute', () => ctx.usage(customer.customerId, 5));
    for (const step of ['59s', '1s', '0ms', '0ms', '1s', '1m', '59m', '1h']) {
      await ctx.step(`tick ${step}`, () => ctx.advance(step));
    }
    await ctx.step('usage in the new period', () => ctx.usage(customer.customerId, 9));
    await ctx.step('the next period ends and is collected', () => ctx.advance('29d'));
    await ctx.step('the clock is advanced again at the same instant', () => ctx.advance(0));
    expectPaid(ctx, customer.customerId, [1000, 1100, 1018]);
  },
});

export const twoPeriodsInOneAdvance = defineScenario({
  name: 'managed-stripe: one advance across two period ends, then more ticks; each period invoiced once',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['billing-cycle', 'races'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 150));
    await ctx.step('two months pass at once', () => ctx.advance('62d'));
    await ctx.step('the clock advances again', () => ctx.advance('1m'));
    await ctx.step('and again a day later', () => ctx.advance('1d'));
    expectPaid(ctx, customer.customerId, [1000, 1300, 1000]);
  },
});
