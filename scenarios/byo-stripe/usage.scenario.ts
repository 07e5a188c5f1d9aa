import { defineScenario } from '../../src/scenarios/define.ts';
import { expectPaid } from './support.ts';

const hour = 3_600_000;

export const usageDuplicatesLateAndBackfill = defineScenario({
  name: 'byo-stripe: repeated, backfilled and late usage across a period end is billed once each',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['usage', 'duplicates', 'backfill', 'late-usage'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
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
    await ctx.step('the period ends', () => ctx.advance('1h'));
    await ctx.step('Feb 1: a late event dated Jan 31, a third copy of evt-a, and new usage', async () => {
      await ctx.usage(customerId, 3, { eventId: 'evt-e', at: new Date(ctx.now().getTime() - 12 * hour) });
      await ctx.usage(customerId, 10, { eventId: 'evt-a' });
      await ctx.usage(customerId, 20, { eventId: 'evt-f' });
    });
    await ctx.step('the second period ends', () => ctx.advance('28d'));
    // January: 10 + 5 + 7 + 4 tokens; February: the late 3 + 20, each at 0.02.
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
