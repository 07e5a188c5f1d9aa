import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const cardFailsThenHalted = defineScenario({
  name: 'managed-razorpay: a card that fails its auto-charge goes pending, is retried daily, then halted; nothing unpaid is booked',
  pattern: 'managed-razorpay',
  psps: ['razorpay'],
  tags: ['declines', 'dunning', 'razorpay'],
  async run(ctx) {
    const failing = await ctx.step('a customer whose card fails its auto-charges', () =>
      ctx.customer({ paymentMethod: ctx.paymentMethods.declinesLater }),
    );
    const paying = await ctx.step('a customer whose card works', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(failing.customerId, 10);
      await ctx.usage(paying.customerId, 10);
    });
    await ctx.step('the cycle ends: one charge fails, the subscription goes pending', () =>
      ctx.advance('31d'),
    );
    for (let day = 1; day <= 3; day++) await ctx.step(`retry day ${day}`, () => ctx.advance('1d'));
    await ctx.step('the next cycle is invoiced, not charged', () => ctx.advance('28d'));
    const statuses = ctx.env.razorpay!.dump().subscriptions.map((record) => record.subscription.status);
    if (statuses.join(',') !== 'halted,active') throw new Error(`subscriptions are ${statuses.join(', ')}`);
    expectPaid(ctx, failing.customerId, [1_000]);
    expectPaid(ctx, paying.customerId, [1_000, 1_020, 1_000]);
  },
});
