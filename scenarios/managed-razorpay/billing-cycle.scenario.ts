import { defineScenario } from 'fakepsp';
import { usageAcrossPeriodEnd } from '../shared/usage-across-period-end.ts';
import { expectPaid, proPlan } from './support.ts';

export const threeCyclesWithAddons = defineScenario({
  name: 'managed-razorpay: Razorpay bills ₹499 a cycle in advance and each cycle’s usage add-ons on the next invoice',
  pattern: 'managed-razorpay',
  psps: ['razorpay'],
  tags: ['billing-cycle', 'razorpay'],
  async run(ctx) {
    const customer = await ctx.step('subscribes and authenticates on Checkout', () =>
      ctx.customer({ plan: proPlan }),
    );
    await ctx.step('usage in the first cycle', async () => {
      await ctx.advance('3d');
      await ctx.usage(customer.customerId, 1_200);
      await ctx.usage(customer.customerId, 300);
    });
    await ctx.step('the first cycle ends: the second is charged with the add-ons', () => ctx.advance('28d'));
    await ctx.step('usage in the second cycle', () => ctx.usage(customer.customerId, 200));
    await ctx.step('the second cycle ends', () => ctx.advance('28d'));
    await ctx.step('a quiet third cycle ends', () => ctx.advance('31d'));
    expectPaid(ctx, customer.customerId, [49_900, 52_900, 50_300, 49_900]);
  },
});

export const usageAroundCycleEnd = defineScenario({
  name: 'managed-razorpay: repeated, backfilled and late usage around a cycle end is billed once, on the invoice after it was recorded',
  pattern: 'managed-razorpay',
  psps: ['razorpay'],
  tags: ['billing-cycle', 'duplicates', 'razorpay'],
  async run(ctx) {
    const customer = await ctx.step('subscribes and authenticates on Checkout', () => ctx.customer());
    await usageAcrossPeriodEnd(ctx, customer.customerId);
    expectPaid(ctx, customer.customerId, [1_000, 1_052, 1_046]);
  },
});
