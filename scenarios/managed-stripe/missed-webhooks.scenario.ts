import { defineScenario } from 'fakepsp';

export const invoiceWebhooksLostForGood = defineScenario({
  name: 'managed-stripe: every invoice webhook lost for good; the poll job mirrors the invoices and payments',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['missed-webhooks', 'poll'],
  faults: {
    webhooks: [
      {
        name: 'invoice events lost',
        match: { eventType: 'invoice.*', retries: true },
        effect: { kind: 'drop' },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 80));
    await ctx.step('two renewals', async () => {
      await ctx.advance('32d');
      await ctx.advance('28d');
    });
  },
});

export const webhooksLostDisputeAndRefund = defineScenario({
  name: 'managed-stripe: every webhook lost for good; the poll job books a dashboard refund and a lost dispute',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['missed-webhooks', 'poll', 'disputes'],
  faults: { webhooks: [{ name: 'all lost', match: { retries: true }, effect: { kind: 'drop' } }] },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 20));
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    await ctx.step('a dashboard refund of the renewal, a lost dispute on the first payment', async () => {
      const [first, renewal] = ctx.stripe.paidCharges(customer.customerId);
      ctx.actors.dashboardRefund(renewal!.id, 250);
      ctx.actors.loseDispute(ctx.actors.openDispute(first!.id).id);
    });
    await ctx.step('the next tick polls', () => ctx.advance('1h'));
  },
});

export const outageOverRenewal = defineScenario({
  name: 'managed-stripe: the endpoint is down for two days over a renewal; retries and the poll job close the gap',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['missed-webhooks', 'outage'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 33));
    await ctx.step('four weeks pass', () => ctx.advance('30d'));
    const from = ctx.now().getTime();
    ctx.faults.load({ outages: [{ fromMs: from, toMs: from + 2 * 86_400_000 }] });
    await ctx.step('the renewal falls inside the outage', () => ctx.advance('1d'));
    await ctx.step('a dashboard refund inside the outage', async () => {
      ctx.actors.dashboardRefund(ctx.stripe.paidCharges(customer.customerId).at(-1)!.id, 66);
    });
    await ctx.step('the endpoint comes back', () => ctx.advance('2d'));
    ctx.faults.clear();
    await ctx.step('Stripe’s retries finish', () => ctx.advance('3d'));
  },
});
