import { defineScenario } from 'fakepsp';
import { usageAcrossPeriodEnd } from '../shared/usage-across-period-end.ts';
import { expectPaid } from './support.ts';

export const usageDuplicatesLateAndBackfill = defineScenario({
  name: 'byo-stripe: repeated, backfilled and late usage across a period end is billed once each',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['usage', 'duplicates', 'backfill', 'late-usage'],
  async run(ctx) {
    const { customerId } = await ctx.step('customer signs up', () => ctx.customer());
    await usageAcrossPeriodEnd(ctx, customerId);
    expectPaid(ctx, customerId, [1052, 1046]);
  },
});

export const concurrentDuplicateUsage = defineScenario({
  name: 'byo-stripe: the same usage event sent five times at once is billed once',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['usage', 'duplicates', 'concurrency'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('five concurrent copies of two events', () =>
      Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          ctx.usage(customer.customerId, index % 2 === 0 ? 100 : 1, { eventId: `burst-${index % 2}` }),
        ),
      ),
    );
    await ctx.step('the period ends', () => ctx.advance('31d'));
    expectPaid(ctx, customer.customerId, [1202]);
  },
});
