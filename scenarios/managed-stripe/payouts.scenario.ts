import { defineScenario } from 'fakepsp';
import { payoutRun } from '../shared/payout-run.ts';
import { expectPaid } from './support.ts';

export const payoutBetweenRenewals = defineScenario({
  name: 'managed-stripe: a payout run between renewals moves the balance, not the customers',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['payouts', 'dashboard'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 250));
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    await ctx.step('the funds become available', () => ctx.advance('2d'));
    await payoutRun(ctx);
    await ctx.step('the next renewal', () => ctx.advance('28d'));
    expectPaid(ctx, customer.customerId, [1000, 1500, 1000]);
  },
});
