import { defineScenario } from 'fakepsp';
import { allPsps, onlyPayment } from './support.ts';

export const serviceAndDashboardRefunds = defineScenario({
  name: 'multi-psp: partial refunds by the service and in the dashboard each leave cash once',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['refunds', 'dashboard'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 250));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    const payment = onlyPayment(ctx, customer.customerId);
    await ctx.step('the service refunds 3.00', () => ctx.refund(customer.customerId, payment.ref, 300));
    await ctx.step('support refunds 2.50 in the dashboard', async () => {
      ctx.payments.dashboardRefund(payment.ref, 250);
    });
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    await ctx.step('the service refunds the rest', () => ctx.refund(customer.customerId, payment.ref, 950));
    await ctx.step('the next period', () => ctx.advance('28d'));
  },
});

export const disputes = defineScenario({
  name: 'multi-psp: one dispute lost and one won; the ledger follows the money both ways',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['disputes'],
  async run(ctx) {
    const alice = await ctx.step('alice signs up', () => ctx.customer());
    const bob = await ctx.step('bob signs up', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(alice.customerId, 45);
      await ctx.usage(bob.customerId, 90);
    });
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    await ctx.step('alice disputes and wins nothing back for the merchant', async () => {
      ctx.payments.dispute(onlyPayment(ctx, alice.customerId).ref, 'lost');
    });
    await ctx.step('bob disputes and the merchant wins', async () => {
      ctx.payments.dispute(onlyPayment(ctx, bob.customerId).ref, 'won');
    });
    await ctx.step('webhooks land', () => ctx.advance('1d'));
  },
});
