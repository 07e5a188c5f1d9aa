import { defineScenario } from 'fakepsp';
import { expectUsageDebits } from '../shared/wallet-expectations.ts';

export const usageDuplicates = defineScenario({
  name: 'embedded-stripe: repeated, late and backfilled usage events debit the wallet once each',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['usage'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    await ctx.step('top-up', () => ctx.topUp(tenant.customerId, 6000));
    await ctx.step('usage, one event sent three times', async () => {
      await ctx.usage(tenant.customerId, 200, { eventId: 'evt-a' });
      await ctx.usage(tenant.customerId, 200, { eventId: 'evt-a' });
      await ctx.usage(tenant.customerId, 50, { eventId: 'evt-b' });
      await ctx.usage(tenant.customerId, 200, { eventId: 'evt-a' });
    });
    const periodStart = ctx.now();
    await ctx.step('the period rolls over', () => ctx.advance('31d'));
    await ctx.step('a late event stamped in the last period, and its retry', async () => {
      await ctx.usage(tenant.customerId, 120, {
        eventId: 'evt-late',
        at: new Date(periodStart.getTime() + 86_400_000),
      });
      await ctx.usage(tenant.customerId, 120, {
        eventId: 'evt-late',
        at: new Date(periodStart.getTime() + 86_400_000),
      });
    });
    await ctx.step('a backfill replays the first period’s events', async () => {
      await ctx.usage(tenant.customerId, 200, { eventId: 'evt-a' });
      await ctx.usage(tenant.customerId, 50, { eventId: 'evt-b' });
    });
    await ctx.step('the same event twice at once', () =>
      Promise.all([
        ctx.usage(tenant.customerId, 75, { eventId: 'evt-c' }),
        ctx.usage(tenant.customerId, 75, { eventId: 'evt-c' }),
      ]),
    );
    await ctx.step('another month', () => ctx.advance('31d'));
    // evt-a 200, evt-b 50, evt-late 120, evt-c 75 tokens, once each, at 2 a token.
    await expectUsageDebits(ctx, tenant.customerId, 2 * (200 + 50 + 120 + 75));
  },
});
