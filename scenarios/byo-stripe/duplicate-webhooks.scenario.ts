import { defineScenario } from 'fakepsp';
import { onlyCharge } from './support.ts';

export const everyWebhookThrice = defineScenario({
  name: 'byo-stripe: every webhook delivered three times books each payment, refund and dispute once',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['duplicate-webhooks'],
  faults: {
    webhooks: [{ name: 'thrice', match: { retries: true }, effect: { kind: 'duplicate', copies: 2 } }],
  },
  async run(ctx) {
    const alice = await ctx.step('alice signs up', () => ctx.customer());
    const bob = await ctx.step('bob signs up', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(alice.customerId, 60);
      await ctx.usage(bob.customerId, 15);
    });
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    await ctx.step('alice gets a refund from the service and one from the dashboard', async () => {
      const charge = onlyCharge(ctx, alice.customerId);
      await ctx.refund(alice.customerId, charge.id, 300);
      ctx.actors.dashboardRefund(charge.id, 120);
    });
    await ctx.step('bob disputes his charge', async () => {
      ctx.actors.openDispute(onlyCharge(ctx, bob.customerId).id);
    });
    await ctx.step('webhooks land, three copies each', () => ctx.advance('1h'));
  },
});

export const duplicatesAcrossPeriods = defineScenario({
  name: 'byo-stripe: a copy of each webhook an hour later, over two periods, changes nothing',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['duplicate-webhooks', 'replay'],
  faults: {
    webhooks: [{ name: 'replayed an hour later', match: {}, effect: { kind: 'replay', afterMs: 3_600_000 } }],
  },
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 70));
    await ctx.step('first period', () => ctx.advance('31d'));
    await ctx.step('a dashboard refund', async () => {
      ctx.actors.dashboardRefund(onlyCharge(ctx, customer.customerId).id, 500);
    });
    await ctx.step('more usage', () => ctx.usage(customer.customerId, 5));
    await ctx.step('second period', () => ctx.advance('28d'));
    await ctx.step('the replays land', () => ctx.advance('2h'));
  },
});
