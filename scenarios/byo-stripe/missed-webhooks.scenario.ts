import { defineScenario } from 'fakepsp';
import { onlyCharge } from './support.ts';

export const webhooksLostForGood = defineScenario({
  name: 'byo-stripe: every webhook lost for good; the poll job books a dashboard refund and a lost dispute',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['missed-webhooks', 'poll'],
  faults: { webhooks: [{ name: 'all lost', match: { retries: true }, effect: { kind: 'drop' } }] },
  async run(ctx) {
    const alice = await ctx.step('alice signs up', () => ctx.customer());
    const bob = await ctx.step('bob signs up', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(alice.customerId, 20);
      await ctx.usage(bob.customerId, 80);
    });
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    await ctx.step('a dashboard refund for alice, a dispute from bob', async () => {
      ctx.actors.dashboardRefund(onlyCharge(ctx, alice.customerId).id, 250);
      const dispute = ctx.actors.openDispute(onlyCharge(ctx, bob.customerId).id);
      ctx.actors.loseDispute(dispute.id);
    });
    await ctx.step('the next tick polls', () => ctx.advance('1h'));
  },
});

export const outageOverPeriodEnd = defineScenario({
  name: 'byo-stripe: the endpoint is down for two days over a period end; retries and the poll job close the gap',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['missed-webhooks', 'outage'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 33));
    await ctx.step('four weeks pass', () => ctx.advance('30d'));
    const from = ctx.now().getTime();
    ctx.faults.load({ outages: [{ fromMs: from, toMs: from + 2 * 86_400_000 }] });
    await ctx.step('the period ends inside the outage', () => ctx.advance('1d'));
    await ctx.step('a dashboard refund inside the outage', async () => {
      ctx.actors.dashboardRefund(onlyCharge(ctx, customer.customerId).id, 66);
    });
    await ctx.step('the endpoint comes back', () => ctx.advance('2d'));
    ctx.faults.clear();
    await ctx.step('Stripe’s retries finish', () => ctx.advance('3d'));
  },
});
