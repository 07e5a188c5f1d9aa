import { defineScenario } from 'fakepsp';

const createIntent = { method: 'POST', path: '/v1/payment_intents' } as const;

export const lostTopUpResponseRetried = defineScenario({
  name: 'hybrid: a top-up whose response is lost is retried under the same key, charged once',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['lost-response'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    ctx.faults.load({
      api: [
        {
          name: 'answer lost',
          phase: 'after',
          match: { ...createIntent, nth: 1 },
          effect: { kind: 'timeout' },
        },
      ],
    });
    await ctx.step('top-up: charged, the first answer lost', () => ctx.topUp(customer.customerId, 2000));
    ctx.faults.clear();
    await ctx.step('usage', () => ctx.usage(customer.customerId, 500));
    await ctx.step('the subscription renews', () => ctx.advance('32d'));
  },
});

export const lostTopUpResponseReconciled = defineScenario({
  name: 'hybrid: every attempt of a top-up loses its answer and its webhooks; the poll job books it',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['lost-response', 'poll', 'missed-webhooks'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('the first invoice is paid', () => ctx.settle());
    ctx.faults.load({
      api: [1, 2, 3].map((nth) => ({
        phase: 'after' as const,
        match: { ...createIntent, nth },
        effect:
          nth === 3 ? { kind: 'timeout' as const } : { kind: 'server_error' as const, status: 500 as const },
      })),
      webhooks: [{ name: 'lost', match: { eventType: '*', retries: true }, effect: { kind: 'drop' } }],
    });
    await ctx.step('top-up: the SDK gives up', () => ctx.topUp(customer.customerId, 1800));
    await ctx.step('the poll job re-drives it on the next tick', () => ctx.advance('5m'));
    ctx.faults.clear();
    await ctx.step('usage from the wallet', () => ctx.usage(customer.customerId, 900));
    await ctx.step('the subscription renews', () => ctx.advance('32d'));
  },
});
