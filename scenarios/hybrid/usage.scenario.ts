import { defineScenario } from 'fakepsp';
import { expectUsageDebits } from '../shared/wallet-expectations.ts';

export const usageAcrossPeriods = defineScenario({
  name: 'hybrid: repeated, late and backfilled usage across a renewal debits the wallet once each',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['usage', 'renewals'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('top-up', () => ctx.topUp(customer.customerId, 5000));
    const start = ctx.now().getTime();
    await ctx.step('an event and its two retries', async () => {
      for (let copy = 0; copy < 3; copy++) await ctx.usage(customer.customerId, 333, { eventId: 'evt-1' });
    });
    await ctx.step('the period renews', () => ctx.advance('32d'));
    await ctx.step('a late event stamped in the last period, and a backfill of the first', async () => {
      await ctx.usage(customer.customerId, 40, {
        eventId: 'evt-late',
        at: new Date(start + 20 * 86_400_000),
      });
      await ctx.usage(customer.customerId, 333, { eventId: 'evt-1', at: new Date(start) });
    });
    await ctx.step('the same new event three times at once', () =>
      Promise.all([0, 1, 2].map(() => ctx.usage(customer.customerId, 70, { eventId: 'evt-2' }))),
    );
    await ctx.step('another renewal', () => ctx.advance('31d'));
    // evt-1 333, evt-late 40, evt-2 70 tokens, once each, at 2 a token.
    await expectUsageDebits(ctx, customer.customerId, 2 * (333 + 40 + 70));
  },
});

export const concurrentUsageBurst = defineScenario({
  name: 'hybrid: a burst of concurrent usage never spends one balance twice',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['usage', 'concurrency', 'wallet'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('a 6.00 top-up', () => ctx.topUp(customer.customerId, 600));
    // Ten events of 2.00 at once: three fit. Each names its eventId, as concurrent callers must.
    await ctx.step('ten events arrive at once', () =>
      Promise.allSettled(
        Array.from({ length: 10 }, (_, index) =>
          ctx.usage(customer.customerId, 100, { eventId: `burst-${index}` }),
        ),
      ),
    );
    await ctx.step('the subscription renews', () => ctx.advance('32d'));
  },
});

export const walletRunsLow = defineScenario({
  name: 'hybrid: the wallet runs low and refuses usage while the base fee is still billed',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['wallet', 'renewals'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('a 3.00 top-up', () => ctx.topUp(customer.customerId, 300));
    let refused = 0;
    const spend = (quantity: number) => ctx.usage(customer.customerId, quantity).catch(() => void refused++);
    await ctx.step('usage to the last cent, then beyond', async () => {
      for (const quantity of [100, 49, 1, 1]) await spend(quantity);
    });
    await ctx.step('the base fee renews with an empty wallet', () => ctx.advance('32d'));
    await ctx.step('a top-up reopens the wallet', async () => {
      await ctx.topUp(customer.customerId, 200);
      await spend(100);
      await spend(1);
    });
    if (refused !== 2) throw new Error(`expected two refused events, got ${refused}`);
  },
});

export const declinedCard = defineScenario({
  name: 'hybrid: a card that fails: the top-up credits nothing and the base-fee invoice stays open',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['wallet', 'declines'],
  async run(ctx) {
    const customer = await ctx.step('customer with a card that fails charges', () =>
      ctx.customer({ paymentMethod: 'pm_card_chargeCustomerFail' }),
    );
    await ctx.step('the top-up is declined', () => ctx.topUp(customer.customerId, 1500));
    await ctx.step('usage is refused', () => ctx.usage(customer.customerId, 5).catch(() => undefined));
    await ctx.step('the renewal is attempted and fails', () => ctx.advance('32d'));
  },
});
