import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const invoiceWebhooksLostForGood = defineScenario({
  name: 'managed-razorpay: every webhook lost for good; the poll job books the paid invoices, a dashboard refund and a lost dispute',
  pattern: 'managed-razorpay',
  psps: ['razorpay'],
  tags: ['missed-webhooks', 'poll', 'disputes', 'razorpay'],
  faults: { webhooks: [{ name: 'all lost', match: { retries: true }, effect: { kind: 'drop' } }] },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 80));
    await ctx.step('two renewals', async () => {
      await ctx.advance('32d');
      await ctx.advance('28d');
    });
    expectPaid(ctx, customer.customerId, [1_000, 1_160, 1_000]);
  },
});

export const outageOverRenewal = defineScenario({
  name: 'managed-razorpay: the endpoint is down for six hours over a renewal; Razorpay’s retries (within its 24 hours) close the gap',
  pattern: 'managed-razorpay',
  psps: ['razorpay'],
  tags: ['missed-webhooks', 'outage', 'refunds', 'disputes', 'razorpay'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 33));
    await ctx.step('four weeks pass', () => ctx.advance('30d'));
    await ctx.step('to an hour before the renewal', () => ctx.advance('23h'));
    const from = ctx.now().getTime();
    ctx.faults.load({ outages: [{ fromMs: from, toMs: from + 6 * 3_600_000 }] });
    await ctx.step('the renewal falls inside the outage', () => ctx.advance('2h'));
    await ctx.step('a dashboard refund and a lost dispute inside the outage', async () => {
      const [first, renewal] = ctx.payments.paid(customer.customerId);
      ctx.payments.dashboardRefund(renewal!.ref, 66);
      ctx.payments.dispute(first!.ref, 'lost');
    });
    await ctx.step('the endpoint comes back', () => ctx.advance('5h'));
    ctx.faults.clear();
    await ctx.step('Razorpay’s retries finish', () => ctx.advance('1d'));
    expectPaid(ctx, customer.customerId, [1_000, 1_066]);
  },
});
