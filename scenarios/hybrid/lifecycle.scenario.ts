import { defineScenario } from 'fakepsp';
import { invoiceCharges, topUpCharges } from './support.ts';

export const lifecycle = defineScenario({
  name: 'hybrid: base fee billed by the subscription, usage paid from the wallet, one month',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['lifecycle'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('tops up the wallet', () => ctx.topUp(customer.customerId, 3000));
    await ctx.step('usage is debited event by event', async () => {
      await ctx.usage(customer.customerId, 250);
      await ctx.usage(customer.customerId, 125);
    });
    await ctx.step('the subscription renews', () => ctx.advance('31d'));
    // Stripe finalizes and charges a renewal invoice about an hour after the period ends.
    await ctx.step('the renewal invoice is charged', () => ctx.advance('2h'));
    if (
      topUpCharges(ctx, customer.customerId).length !== 1 ||
      invoiceCharges(ctx, customer.customerId).length !== 2
    ) {
      throw new Error(
        `expected one top-up and two base-fee charges: ${topUpCharges(ctx, customer.customerId).length} ${invoiceCharges(ctx, customer.customerId).length}`,
      );
    }
  },
});

export const renewalsAcrossPeriods = defineScenario({
  name: 'hybrid: three renewals, with usage from the wallet and top-ups in every period',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['lifecycle', 'renewals'],
  async run(ctx) {
    const monthly = await ctx.step('a monthly customer', () => ctx.customer());
    const pricey = await ctx.step('a customer with a larger base fee', () =>
      ctx.customer({ plan: { baseFeeMinor: 4900, unitPricesMinor: { tokens: 1 }, interval: 'month' } }),
    );
    for (let period = 1; period <= 3; period++) {
      await ctx.step(`period ${period}: top-ups`, async () => {
        await ctx.topUp(monthly.customerId, 1000 * period);
        await ctx.topUp(pricey.customerId, 500);
      });
      await ctx.step(`period ${period}: usage`, async () => {
        await ctx.usage(monthly.customerId, 300 * period);
        await ctx.usage(pricey.customerId, 400);
      });
      await ctx.step(`period ${period}: renewal`, () => ctx.advance('31d'));
    }
    await ctx.step('usage after the last renewal', () => ctx.usage(monthly.customerId, 10));
  },
});
