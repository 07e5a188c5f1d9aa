import { defineScenario } from 'fakepsp';
import { expectPaid, onlyPayment } from './support.ts';

export const zeroDecimalCurrency = defineScenario({
  name: 'multi-psp: a yen customer is billed in whole yen, refunded in whole yen',
  pattern: 'multi-psp',
  psps: ['stripe', 'adyen'],
  tags: ['currency', 'zero-decimal'],
  async run(ctx) {
    const customer = await ctx.step('a customer billed in JPY', () =>
      ctx.customer({
        currency: 'jpy',
        plan: { baseFeeMinor: 1500, unitPricesMinor: { tokens: 3 }, interval: 'month' },
      }),
    );
    await ctx.step('usage', () => ctx.usage(customer.customerId, 7));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    expectPaid(ctx, customer.customerId, [1521]);
    await ctx.step('a refund of ¥500', () =>
      ctx.refund(customer.customerId, onlyPayment(ctx, customer.customerId).ref, 500),
    );
    await ctx.step('webhooks land', () => ctx.advance('1h'));
  },
});

export const threeDecimalCurrency = defineScenario({
  name: 'multi-psp: a Kuwaiti dinar customer is billed in fils (three decimals, whole tens as card networks need)',
  pattern: 'multi-psp',
  psps: ['stripe', 'adyen'],
  tags: ['currency', 'three-decimal'],
  async run(ctx) {
    const customer = await ctx.step('a customer billed in KWD', () =>
      ctx.customer({
        currency: 'kwd',
        plan: { baseFeeMinor: 3250, unitPricesMinor: { tokens: 10 }, interval: 'month' },
      }),
    );
    await ctx.step('usage', () => ctx.usage(customer.customerId, 11));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    expectPaid(ctx, customer.customerId, [3360]);
  },
});
