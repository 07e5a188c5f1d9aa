import { defineScenario } from 'fakepsp';
import { payoutRun } from '../shared/payout-run.ts';
import { onlyCharge } from './support.ts';

export const payoutAfterRefund = defineScenario({
  name: 'byo-stripe: a payout run after payments and a refund moves the balance, not the customers',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['payouts', 'dashboard'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 250));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    await ctx.step('the service refunds 2.00', () =>
      ctx.refund(customer.customerId, onlyCharge(ctx, customer.customerId).id, 200),
    );
    await ctx.step('the funds become available', () => ctx.advance('2d'));
    await payoutRun(ctx);
    await ctx.step('the next period is charged', () => ctx.advance('28d'));
  },
});
