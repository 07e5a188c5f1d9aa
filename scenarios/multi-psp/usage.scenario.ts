import { defineScenario } from 'fakepsp';
import { usageAcrossPeriodEnd } from '../shared/usage-across-period-end.ts';
import { allPsps, expectPaid } from './support.ts';

const hour = 3_600_000;

export const usageDuplicatesLateAndBackfill = defineScenario({
  name: 'multi-psp: repeated, backfilled and late usage across a period end is billed once each',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['usage', 'duplicates', 'backfill', 'late-usage'],
  async run(ctx) {
    const { customerId } = await ctx.step('customer signs up', () => ctx.customer());
    await usageAcrossPeriodEnd(ctx, customerId);
    expectPaid(ctx, customerId, [1052, 1046]);
  },
});

export const billingCycleRace = defineScenario({
  name: 'multi-psp: usage racing the billing run at the period end is billed in exactly one period',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['billing-cycle', 'concurrency'],
  async run(ctx) {
    const { customerId } = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('the last minute of January', () => ctx.advance(31 * 24 * hour - 60_000));
    await ctx.step('usage and the period end at once', () =>
      Promise.all([
        ctx.usage(customerId, 50, { eventId: 'edge-1' }),
        ctx.usage(customerId, 50, { eventId: 'edge-1' }),
        ctx.advance('1m'),
        ctx.usage(customerId, 25, { eventId: 'edge-2', at: new Date(ctx.now().getTime() + 60_000) }),
      ]),
    );
    await ctx.step('the next period ends', () => ctx.advance('28d'));
    const total = ctx.payments.paid(customerId).reduce((sum, payment) => sum + payment.amount, 0);
    // Two base fees and 75 tokens, whichever period each event landed in.
    if (total !== 2150) throw new Error(`${customerId} paid ${total} in all at ${ctx.psp}, expected 2150`);
  },
});

export const everyMinorUnitBilled = defineScenario({
  name: 'multi-psp: usage in odd quantities is billed to the minor unit at every PSP (29 × 0.02 is 0.58, never 0.57)',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['usage', 'pricing'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage in odd quantities', async () => {
      for (const quantity of [29, 57, 113, 7, 291]) await ctx.usage(customer.customerId, quantity);
    });
    await ctx.step('the period ends and is charged', () => ctx.advance('31d'));
    await ctx.step('the charge settles', () => ctx.advance('3h'));
  },
});
