import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const everyWebhookThrice = defineScenario({
  name: 'managed-razorpay: every webhook three times over two renewals books each invoice, add-on, payment and refund once',
  pattern: 'managed-razorpay',
  psps: ['razorpay'],
  tags: ['duplicate-webhooks', 'razorpay'],
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
    await ctx.step('the renewals are charged', () => ctx.advance('32d'));
    await ctx.step('more usage', () => ctx.usage(alice.customerId, 40));
    await ctx.step('the next renewals', () => ctx.advance('28d'));
    await ctx.step('alice gets a refund from the service and one from the dashboard', async () => {
      const renewal = ctx.payments.paid(alice.customerId).at(-1)!;
      await ctx.refund(alice.customerId, renewal.ref, 300);
      ctx.payments.dashboardRefund(renewal.ref, 120);
    });
    await ctx.step('webhooks land, three copies each', () => ctx.advance('1h'));
    expectPaid(ctx, alice.customerId, [1_000, 1_120, 1_080]);
    expectPaid(ctx, bob.customerId, [1_000, 1_030, 1_000]);
  },
});

export const replayedInvoiceWebhooks = defineScenario({
  name: 'managed-razorpay: a copy of each invoice.paid a day later, over two renewals, changes nothing',
  pattern: 'managed-razorpay',
  psps: ['razorpay'],
  tags: ['duplicate-webhooks', 'replay', 'razorpay'],
  faults: {
    webhooks: [
      {
        name: 'replayed a day later',
        match: { eventType: 'invoice.paid' },
        effect: { kind: 'replay', afterMs: 86_400_000 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 70));
    await ctx.step('first renewal', () => ctx.advance('32d'));
    await ctx.step('more usage', () => ctx.usage(customer.customerId, 5));
    await ctx.step('second renewal', () => ctx.advance('28d'));
    await ctx.step('the replays land', () => ctx.advance('2d'));
    expectPaid(ctx, customer.customerId, [1_000, 1_140, 1_010]);
  },
});
