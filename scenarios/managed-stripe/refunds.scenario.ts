import { defineScenario } from 'fakepsp';

export const serviceAndDashboardRefunds = defineScenario({
  name: 'managed-stripe: refunds of invoice payments by the service and in the dashboard each leave cash once',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['refunds', 'dashboard'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 250));
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    const [first, renewal] = ctx.stripe.paidCharges(customer.customerId);
    await ctx.step('the service refunds 3.00 of the renewal', () =>
      ctx.refund(customer.customerId, renewal!.id, 300),
    );
    await ctx.step('support refunds the first payment in full in the dashboard', async () => {
      ctx.actors.dashboardRefund(first!.id);
    });
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    await ctx.step('the service refunds the rest of the renewal', () =>
      ctx.refund(customer.customerId, renewal!.id, 1200),
    );
    await ctx.step('the next renewal', () => ctx.advance('28d'));
  },
});

export const refundThatBounces = defineScenario({
  name: 'managed-stripe: a refund to a card that refuses it fails later and comes back into cash',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['refunds', 'refund-failure'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes with a card whose refunds bounce', () =>
      ctx.customer({ paymentMethod: 'pm_card_refundFail' }),
    );
    await ctx.step('webhooks land', () => ctx.advance('1m'));
    await ctx.step('the service refunds 4.00 of the first payment', () =>
      ctx.refund(customer.customerId, ctx.stripe.paidCharges(customer.customerId)[0]!.id, 400),
    );
    await ctx.step('the refund fails at the bank', () => ctx.advance('1h'));
  },
});
