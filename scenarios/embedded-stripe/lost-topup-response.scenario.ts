import { defineScenario } from 'fakepsp';

const createIntent = { method: 'POST', path: '/v1/payment_intents' } as const;

export const lostTopUpResponseRetried = defineScenario({
  name: 'embedded-stripe: a top-up whose response is lost is retried under the same key, charged once',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['lost-response'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    ctx.faults.load({
      api: [
        {
          name: 'top-up answer lost',
          phase: 'after',
          match: { ...createIntent, nth: 1 },
          effect: { kind: 'timeout' },
        },
      ],
    });
    await ctx.step('top-up: Stripe charges, the answer never arrives', () =>
      ctx.topUp(tenant.customerId, 3000),
    );
    ctx.faults.clear();
    await ctx.step('usage spends the credited wallet', async () => {
      await ctx.usage(tenant.customerId, 400);
      await ctx.usage(tenant.customerId, 250);
    });
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});

export const lostTopUpResponseReconciled = defineScenario({
  name: 'embedded-stripe: every attempt of a top-up loses its answer; the poll job books the one charge',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['lost-response', 'poll'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    const other = await ctx.step('another tenant signs up', () => ctx.customer());
    ctx.faults.load({
      api: [1, 2, 3].map((nth) => ({
        name: `top-up answer lost (attempt ${nth})`,
        phase: 'after' as const,
        match: { ...createIntent, nth },
        effect:
          nth === 2 ? { kind: 'server_error' as const, status: 502 as const } : { kind: 'reset' as const },
      })),
      webhooks: [
        { name: 'intent events dropped', match: { eventType: 'payment_intent.*' }, effect: { kind: 'drop' } },
      ],
    });
    await ctx.step('top-up: charged at Stripe, the SDK gives up', () => ctx.topUp(tenant.customerId, 2500));
    await ctx.step('the other tenant tops up', () => ctx.topUp(other.customerId, 1200));
    ctx.faults.clear();
    await ctx.step('the poll job re-drives the unknown payment', () => ctx.advance('10m'));
    await ctx.step('usage spends the wallet', async () => {
      await ctx.usage(tenant.customerId, 1000);
      await ctx.usage(other.customerId, 300);
    });
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});
