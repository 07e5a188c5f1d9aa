import { defineScenario } from 'fakepsp';

export const duplicateWebhooks = defineScenario({
  name: 'embedded-stripe: every webhook delivered three times books each top-up and refund once',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['duplicate-webhooks'],
  faults: {
    webhooks: [{ name: 'triplicate', match: { eventType: '*' }, effect: { kind: 'duplicate', copies: 3 } }],
  },
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    // The answer is lost, so the (triplicated) webhooks are what book the top-up.
    ctx.faults.load({
      api: [1, 2, 3].map((nth) => ({
        phase: 'after' as const,
        match: { method: 'POST', path: '/v1/payment_intents', nth },
        effect: { kind: 'reset' as const },
      })),
      webhooks: [{ name: 'triplicate', match: { eventType: '*' }, effect: { kind: 'duplicate', copies: 3 } }],
    });
    await ctx.step('top-up with its answer lost', () => ctx.topUp(tenant.customerId, 4000));
    ctx.faults.load({
      webhooks: [{ name: 'triplicate', match: { eventType: '*' }, effect: { kind: 'duplicate', copies: 3 } }],
    });
    await ctx.step('webhooks arrive, three copies each', () => ctx.settle());
    await ctx.step('a second top-up, answered normally', () => ctx.topUp(tenant.customerId, 1500));
    await ctx.step('usage', () => ctx.usage(tenant.customerId, 900));
    const charge = ctx.stripe.paidCharges(tenant.customerId)[0]!;
    await ctx.step('a dashboard refund of part of the first top-up', async () => {
      ctx.actors.dashboardRefund(charge.id, 1000, charge.scope);
    });
    await ctx.step('an hour passes', () => ctx.advance('1h'));
  },
});

export const concurrentDuplicateWebhooks = defineScenario({
  name: 'embedded-stripe: duplicate webhooks handled concurrently book once',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['duplicate-webhooks', 'concurrency'],
  async run(ctx) {
    const tenants = await ctx.step('three tenants sign up', async () => [
      await ctx.customer(),
      await ctx.customer(),
      await ctx.customer(),
    ]);
    ctx.faults.load({
      api: [
        {
          phase: 'after',
          match: { method: 'POST', path: '/v1/payment_intents' },
          effect: { kind: 'timeout' },
        },
      ],
      webhooks: [
        { match: { eventType: 'payment_intent.succeeded' }, effect: { kind: 'duplicate', copies: 4 } },
      ],
    });
    await ctx.step('three top-ups at once, every answer lost', () =>
      Promise.all(tenants.map((tenant, index) => ctx.topUp(tenant.customerId, 1000 * (index + 1)))),
    );
    ctx.faults.load({
      webhooks: [
        { match: { eventType: 'payment_intent.succeeded' }, effect: { kind: 'duplicate', copies: 4 } },
      ],
    });
    await ctx.step('the copies arrive together', () => ctx.settle());
    await ctx.step('usage from each wallet', () =>
      Promise.all(tenants.map((tenant) => ctx.usage(tenant.customerId, 150))),
    );
    await ctx.step('a day passes', () => ctx.advance('1d'));
  },
});
