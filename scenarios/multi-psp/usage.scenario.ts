import { defineScenario } from '../../src/scenarios/define.ts';
import { allPsps, expectPaid } from './support.ts';

const hour = 3_600_000;

export const usageDuplicatesLateAndBackfill = defineScenario({
  name: 'multi-psp: repeated, backfilled and late usage across a period end is billed once each',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['usage', 'duplicates', 'backfill', 'late-usage'],
  async run(ctx) {
    const { customerId } = await ctx.step('customer signs up', () => ctx.customer());
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
    // January: 10 + 5 + 7 + 4 tokens; February: the late 3 + 20, each at 2 minor units.
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
