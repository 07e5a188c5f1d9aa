import { defineScenario } from 'fakepsp';

export const everyWebhookThrice = defineScenario({
  name: 'managed-stripe: every webhook three times over a renewal books each invoice, payment, refund and dispute once',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['duplicate-webhooks'],
  faults: {
    webhooks: [{ name: 'thrice', match: { retries: true }, effect: { kind: 'duplicate', copies: 2 } }],
  },
  async run(ctx) {
    const alice = await ctx.step('alice subscribes', () => ctx.customer());
    const bob = await ctx.step('bob subscribes', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(alice.customerId, 60);
      await ctx.usage(bob.customerId, 15);
    });
    await ctx.step('the renewals are collected', () => ctx.advance('32d'));
    await ctx.step('alice gets a refund from the service and one from the dashboard', async () => {
      const renewal = ctx.stripe.paidCharges(alice.customerId).at(-1)!;
      await ctx.refund(alice.customerId, renewal.id, 300);
      ctx.actors.dashboardRefund(renewal.id, 120);
    });
    await ctx.step('bob disputes his first payment', async () => {
      ctx.actors.openDispute(ctx.stripe.paidCharges(bob.customerId)[0]!.id);
    });
    await ctx.step('webhooks land, three copies each', () => ctx.advance('1h'));
  },
});

export const replayedWebhooks = defineScenario({
  name: 'managed-stripe: a copy of each webhook a day later, over two renewals, changes nothing',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['duplicate-webhooks', 'replay'],
  faults: {
    webhooks: [{ name: 'replayed a day later', match: {}, effect: { kind: 'replay', afterMs: 86_400_000 } }],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 70));
    await ctx.step('first renewal', () => ctx.advance('32d'));
    await ctx.step('more usage', () => ctx.usage(customer.customerId, 5));
    await ctx.step('second renewal', () => ctx.advance('28d'));
    await ctx.step('the replays land', () => ctx.advance('2d'));
  },
});
