import { defineScenario } from 'fakepsp';
import { onlyCharge } from './support.ts';

export const serviceAndDashboardRefunds = defineScenario({
  name: 'byo-stripe: partial refunds by the service and in the dashboard each leave cash once',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['refunds', 'dashboard'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 250));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    const charge = onlyCharge(ctx, customer.customerId);
    await ctx.step('the service refunds 3.00', () => ctx.refund(customer.customerId, charge.id, 300));
    await ctx.step('support refunds 2.50 in the dashboard', async () => {
      ctx.actors.dashboardRefund(charge.id, 250);
    });
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    await ctx.step('the service refunds the rest', () => ctx.refund(customer.customerId, charge.id, 950));
    await ctx.step('the next period', () => ctx.advance('28d'));
  },
});

export const refundThatBounces = defineScenario({
  name: 'byo-stripe: a refund to a card that refuses it fails later and comes back into cash',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['refunds', 'refund-failure'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up with a card whose refunds bounce', () =>
      ctx.customer({ paymentMethod: 'pm_card_refundFail' }),
    );
    await ctx.step('usage', () => ctx.usage(customer.customerId, 60));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    await ctx.step('the service refunds 5.00', () =>
      ctx.refund(customer.customerId, onlyCharge(ctx, customer.customerId).id, 500),
    );
    await ctx.step('the refund fails at the bank', () => ctx.advance('1h'));
  },
});
