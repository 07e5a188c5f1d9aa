import { defineScenario } from 'fakepsp';
import { allPsps, onlyPayment } from './support.ts';

export const refundRefusedAtPsp = defineScenario({
  name: 'multi-psp: a refund the service asks for fails at the PSP; cash never left, so the ledger keeps it',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['refunds', 'refund-failure'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 250));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    const payment = onlyPayment(ctx, customer.customerId);
    await ctx.step('the PSP will fail the next refund', async () => ctx.payments.failNextRefund());
    await ctx.step('the service refunds 4.00', () => ctx.refund(customer.customerId, payment.ref, 400));
    await ctx.step('the outcome lands', () => ctx.advance('2d'));
  },
});

// Razorpay refunds fail only before they are processed (pending → failed): the scenario above.
export const refundFailsAfterwards = defineScenario({
  name: 'multi-psp: a refund that went out fails a day later and the money comes back into cash',
  pattern: 'multi-psp',
  psps: ['stripe', 'adyen'],
  tags: ['refunds', 'refund-failure'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 300));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    const payment = onlyPayment(ctx, customer.customerId);
    await ctx.step('the service refunds 5.00', () => ctx.refund(customer.customerId, payment.ref, 500));
    await ctx.step('the refund settles', () => ctx.advance('1h'));
    const [refund] = ctx.payments.refunds(customer.customerId);
    if (refund === undefined)
      throw new Error(`no refund of ${customer.customerId} moved money at ${ctx.psp}`);
    await ctx.step('the card refuses the refund; the money comes back', async () =>
      ctx.payments.failRefund(refund.ref),
    );
    await ctx.step('the outcome lands', () => ctx.advance('2d'));
  },
});
