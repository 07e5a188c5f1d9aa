import { defineScenario } from 'fakepsp';
import { topUpCharges } from './support.ts';

export const outageOverRenewal = defineScenario({
  name: 'hybrid: the endpoint is down over a renewal; Stripe’s retries and the poll job close the gap',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['missed-webhooks', 'outage', 'renewals', 'poll'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('top-up and usage', async () => {
      await ctx.topUp(customer.customerId, 2000);
      await ctx.usage(customer.customerId, 250);
    });
    await ctx.step('four weeks pass', () => ctx.advance('28d'));
    const from = ctx.now().getTime();
    ctx.faults.load({ outages: [{ fromMs: from, toMs: from + 5 * 86_400_000 }] });
    const [charge] = topUpCharges(ctx, customer.customerId);
    await ctx.step('during the outage: a dashboard refund', async () => {
      ctx.actors.dashboardRefund(charge!.id, 1000);
    });
    await ctx.step('the renewal falls inside the outage', () => ctx.advance('4d'));
    await ctx.step('usage within what is left', () => ctx.usage(customer.customerId, 100));
    await ctx.step('the endpoint comes back', () => ctx.advance('2d'));
    ctx.faults.clear();
    await ctx.step('retries finish', () => ctx.advance('3d'));
  },
});

export const droppedInvoiceWebhooks = defineScenario({
  name: 'hybrid: every invoice webhook dropped for good; the poll job books the base fees',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['missed-webhooks', 'poll', 'renewals'],
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
    await ctx.step('top-up and usage', async () => {
      await ctx.topUp(customer.customerId, 1200);
      await ctx.usage(customer.customerId, 100);
    });
    await ctx.step('two renewals', async () => {
      await ctx.advance('32d');
      await ctx.advance('31d');
    });
  },
});
