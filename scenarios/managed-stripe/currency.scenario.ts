import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const yenCustomer = defineScenario({
  name: 'managed-stripe: a yen subscription (zero-decimal) is priced and invoiced in yen, never ×100',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['currency', 'zero-decimal'],
  async run(ctx) {
    const customer = await ctx.step('a customer billed in yen', () =>
      ctx.customer({
        currency: 'jpy',
        plan: { baseFeeMinor: 500, unitPricesMinor: { tokens: 3 }, interval: 'month' },
      }),
    );
    await ctx.step('42 tokens', () => ctx.usage(customer.customerId, 42));
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    await ctx.step('the service refunds ¥126 of the renewal', () =>
      ctx.refund(customer.customerId, ctx.stripe.paidCharges(customer.customerId).at(-1)!.id, 126),
    );
    await ctx.step('webhooks land', () => ctx.advance('1h'));
    expectPaid(ctx, customer.customerId, [500, 626]);
  },
});

export const dinarAndEuroCustomers = defineScenario({
  name: 'managed-stripe: dinar (three-decimal) and euro subscriptions are invoiced in their own minor units',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['currency', 'three-decimal'],
  async run(ctx) {
    const dinar = await ctx.step('a customer billed in Kuwaiti dinar', () =>
      ctx.customer({
        currency: 'kwd',
        plan: { baseFeeMinor: 3_000, unitPricesMinor: { tokens: 10 }, interval: 'month' },
      }),
    );
    const euro = await ctx.step('a customer billed in euro', () =>
      ctx.customer({
        currency: 'eur',
        plan: { baseFeeMinor: 900, unitPricesMinor: { tokens: 3 }, interval: 'month' },
      }),
    );
    await ctx.step('usage', async () => {
      await ctx.usage(dinar.customerId, 25);
      await ctx.usage(euro.customerId, 17);
    });
    await ctx.step('the renewals are collected', () => ctx.advance('32d'));
    await ctx.step('a dashboard refund of 0.250 KWD', async () => {
      ctx.actors.dashboardRefund(ctx.stripe.paidCharges(dinar.customerId).at(-1)!.id, 250);
    });
    await ctx.step('webhooks land', () => ctx.advance('1h'));
    expectPaid(ctx, dinar.customerId, [3_000, 3_250]);
    expectPaid(ctx, euro.customerId, [900, 951]);
  },
});
