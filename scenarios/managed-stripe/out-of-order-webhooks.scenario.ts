import { defineScenario } from 'fakepsp';

export const paidBeforeFinalized = defineScenario({
  name: 'managed-stripe: invoice.paid arrives before invoice.created and invoice.finalized',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['out-of-order-webhooks'],
  faults: {
    webhooks: [
      {
        name: 'created late',
        match: { eventType: 'invoice.created', retries: true },
        effect: { kind: 'delay', delayMs: 7_200_000 },
      },
      {
        name: 'finalized late',
        match: { eventType: 'invoice.finalized', retries: true },
        effect: { kind: 'delay', delayMs: 3_600_000 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 200));
    await ctx.step('the period ends', () => ctx.advance('31d'));
    await ctx.step('the renewal is paid before it is announced', () => ctx.advance('1h'));
    await ctx.step('the late events land', () => ctx.advance('3h'));
  },
});

export const reorderedWebhooks = defineScenario({
  name: 'managed-stripe: webhooks shuffled within ten minutes over two renewals with refunds give the same ledger',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  seed: 11,
  tags: ['out-of-order-webhooks'],
  faults: {
    webhooks: [{ name: 'shuffle', match: { retries: true }, effect: { kind: 'reorder', windowMs: 600_000 } }],
  },
  async run(ctx) {
    const alice = await ctx.step('alice subscribes', () => ctx.customer());
    const bob = await ctx.step('bob subscribes', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(alice.customerId, 90);
      await ctx.usage(bob.customerId, 30);
    });
    await ctx.step('first renewal', () => ctx.advance('32d'));
    await ctx.step('a service refund and a dashboard refund before any webhook lands', async () => {
      await ctx.refund(alice.customerId, ctx.stripe.paidCharges(alice.customerId).at(-1)!.id, 180);
      ctx.actors.dashboardRefund(ctx.stripe.paidCharges(bob.customerId).at(-1)!.id);
    });
    await ctx.step('second renewal', () => ctx.advance('28d'));
  },
});

export const refundBeforeInvoicePaid = defineScenario({
  name: 'managed-stripe: a dashboard refund arrives before the invoice payment it refunds',
  description:
    'invoice.paid is ten minutes late and the poll job is rate-limited meanwhile, so the refund ' +
    'events are the first the service hears of the renewal payment: the refund must still be booked.',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['out-of-order-webhooks', 'refunds', 'dashboard'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 40));
    await ctx.step('to the period end', () => ctx.advance('31d'));
    ctx.faults.load({
      api: [
        {
          name: 'the poll job is rate-limited',
          phase: 'before',
          match: { method: 'GET', path: '/v1/events' },
          effect: { kind: 'rate_limit' },
        },
      ],
      webhooks: [
        {
          name: 'invoice.paid ten minutes late',
          match: { eventType: 'invoice.paid' },
          effect: { kind: 'delay', delayMs: 600_000 },
        },
      ],
    });
    await ctx.step('the renewal is collected', () => ctx.advance('2h'));
    await ctx.step('support refunds part of it in the dashboard', async () => {
      ctx.actors.dashboardRefund(ctx.stripe.paidCharges(customer.customerId).at(-1)!.id, 250);
    });
    await ctx.step('the refund webhooks land first', () => ctx.settle());
    ctx.faults.clear();
    await ctx.step('invoice.paid lands and the poll job runs again', () => ctx.advance('10m'));
  },
});
