import { defineScenario } from 'fakepsp';
import { expectPaid, onlyCharge } from './support.ts';

export const yenCustomer = defineScenario({
  name: 'byo-stripe: a yen customer (zero-decimal) is charged ¥626, never ¥62,600, and refunded in yen',
  pattern: 'byo-stripe',
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
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    expectPaid(ctx, customer.customerId, [626]);
    await ctx.step('the service refunds ¥126', () =>
      ctx.refund(customer.customerId, onlyCharge(ctx, customer.customerId).id, 126),
    );
    await ctx.step('webhooks land', () => ctx.advance('1h'));
  },
});

export const dinarAndEuroCustomers = defineScenario({
  name: 'byo-stripe: dinar (three-decimal) and euro customers are billed in their own minor units',
  pattern: 'byo-stripe',
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
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    await ctx.step('a dashboard refund of 0.250 KWD', async () => {
      ctx.actors.dashboardRefund(onlyCharge(ctx, dinar.customerId).id, 250);
    });
    await ctx.step('webhooks land', () => ctx.advance('1h'));
    expectPaid(ctx, dinar.customerId, [3_250]);
    expectPaid(ctx, euro.customerId, [951]);
  },
});
