import type { ScenarioContext } from 'fakepsp';

const hour = 3_600_000;

/**
 * The usage story the arrears patterns share: an event sent twice, a backfilled one, one an hour
 * before the period ends, a late one dated the day before, a third copy of the first, new usage;
 * then the second period ends. Counting each event once at 2 minor units a token, January comes to
 * 10 + 5 + 7 + 4 tokens and February to the late 3 + 20: the caller checks [1052, 1046] was paid.
 */
export async function usageAcrossPeriodEnd(ctx: ScenarioContext, customerId: string): Promise<void> {
  await ctx.step('Jan 5: an event, sent twice, and another', async () => {
    await ctx.advance('4d');
    await ctx.usage(customerId, 10, { eventId: 'evt-a' });
    await ctx.usage(customerId, 10, { eventId: 'evt-a' });
    await ctx.usage(customerId, 5, { eventId: 'evt-b' });
  });
  await ctx.step('Jan 15: a backfilled event dated Jan 3', async () => {
    await ctx.advance('10d');
    await ctx.usage(customerId, 7, { eventId: 'evt-c', at: new Date(ctx.now().getTime() - 12 * 24 * hour) });
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
}
