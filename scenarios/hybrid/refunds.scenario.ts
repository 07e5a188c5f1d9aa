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
