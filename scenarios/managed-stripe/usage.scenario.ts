import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

const hour = 3_600_000;

export const usageDuplicatesLateAndBackfill = defineScenario({
  name: 'managed-stripe: repeated, backfilled and late usage around a period end reaches the meter once each',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['usage', 'duplicates', 'backfill', 'late-usage'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    const { customerId } = customer;
    await ctx.step('Jan 5: an event, sent twice, and another', async () => {
      await ctx.advance('4d');
      await ctx.usage(customerId, 10, { eventId: 'evt-a' });
      await ctx.usage(customerId, 10, { eventId: 'evt-a' });
      await ctx.usage(customerId, 5, { eventId: 'evt-b' });
    });
    await ctx.step('Jan 15: a backfilled event dated Jan 3', async () => {
      await ctx.advance('10d');
      await ctx.usage(customerId, 7, {
        eventId: 'evt-c',
        at: new Date(ctx.now().getTime() - 12 * 24 * hour),
      });
    });
    await ctx.step('Jan 31, 23:00: an event an hour before the period ends', async () => {
      await ctx.advance('16d');
      await ctx.advance('23h');
      await ctx.usage(customerId, 4, { eventId: 'evt-d' });
    });
    await ctx.step('the period ends; the invoice is still a draft', () => ctx.advance('1h'));
    await ctx.step('Feb 1: a late event dated Jan 31, a third copy of evt-a, and new usage', async () => {
      await ctx.usage(customerId, 3, { eventId: 'evt-e', at: new Date(ctx.now().getTime() - hour / 2) });
      await ctx.usage(customerId, 10, { eventId: 'evt-a' });
      await ctx.usage(customerId, 20, { eventId: 'evt-f' });
    });
    await ctx.step('the invoice is finalized and paid; the next period ends', () => ctx.advance('29d'));
    // January: 10 + 5 + 7 + 4 + the late 3 (before finalization); February: 20.
    expectPaid(ctx, customerId, [1000, 1058, 1040]);
  },
});

export const concurrentDuplicateUsage = defineScenario({
  name: 'managed-stripe: the same usage event sent five times at once reaches the meter once',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['usage', 'duplicates', 'concurrency'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('five concurrent copies of two events', () =>
      Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          ctx.usage(customer.customerId, index % 2 === 0 ? 100 : 1, { eventId: `burst-${index % 2}` }),
        ),
      ),
    );
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    expectPaid(ctx, customer.customerId, [1000, 1202]);
  },
});
