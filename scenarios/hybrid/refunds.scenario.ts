import { defineScenario } from 'fakepsp';
import { invoiceCharges, topUpCharges } from './support.ts';

export const refunds = defineScenario({
  name: 'hybrid: refunds of a top-up (service and dashboard) and a dashboard refund of a base fee',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['refunds', 'dashboard'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('two top-ups', async () => {
      await ctx.topUp(customer.customerId, 2000);
      await ctx.topUp(customer.customerId, 1000);
    });
    await ctx.step('usage', () => ctx.usage(customer.customerId, 500));
    const [first, second] = topUpCharges(ctx, customer.customerId);
    const [baseFee] = invoiceCharges(ctx, customer.customerId);
    await ctx.step('the service refunds part of the first top-up', () =>
      ctx.refund(customer.customerId, first!.id, 600),
    );
    await ctx.step('support refunds the second top-up and half the base fee in the dashboard', async () => {
      ctx.actors.dashboardRefund(second!.id);
      ctx.actors.dashboardRefund(baseFee!.id, 500);
    });
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    await ctx.step('usage from what is left', () => ctx.usage(customer.customerId, 100));
    await ctx.step('the subscription renews', () => ctx.advance('32d'));
  },
});

export const failingTopUpRefund = defineScenario({
  name: 'hybrid: a top-up refund that the PSP fails puts the money back in the wallet (Stripe later, Razorpay at once)',
  pattern: 'hybrid',
  psps: ['stripe', 'razorpay'],
  tags: ['refunds', 'refund-failure'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('a top-up', () => ctx.topUp(customer.customerId, 2000));
    await ctx.step('the top-up lands', () => ctx.advance('10m'));
    const topUp =
      ctx.psp === 'razorpay'
        ? ctx.payments.paid(customer.customerId)[0]?.ref
        : topUpCharges(ctx, customer.customerId)[0]?.id;
    if (topUp === undefined) throw new Error(`no top-up of ${customer.customerId} was paid at ${ctx.psp}`);
    await ctx.step('the PSP will fail the next refund', async () => ctx.payments.failNextRefund());
    await ctx.step('the service refunds 6.00 of the top-up', () =>
      ctx.refund(customer.customerId, topUp, 600),
    );
    await ctx.step('the refund fails', () => ctx.advance('2d'));
    await ctx.step('usage from the whole top-up', () => ctx.usage(customer.customerId, 900));
    await ctx.step('the subscription renews', () => ctx.advance('32d'));
  },
});
