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

export const everyMinorUnitBilled = defineScenario({
  name: 'byo-stripe: usage in odd quantities is billed to the cent (29 tokens at 0.02 is 0.58, never 0.57)',
  description:
    'Money computed in floating-point major units loses a minor unit on some events (0.29 × 100 is ' +
    '28.999…): revenue leakage no customer reports. The checker proves each closed period exactly.',
  pattern: 'byo-stripe',
  psps: ['stripe'],
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
