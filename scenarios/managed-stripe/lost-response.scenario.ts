import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const lostRefundResponse = defineScenario({
  name: 'managed-stripe: a refund whose response was lost is retried with the same key and booked once',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['lost-response', 'refunds', 'idempotency'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 100));
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    const renewal = ctx.stripe.paidCharges(customer.customerId).at(-1)!;
    ctx.faults.load({
      api: [
        {
          name: 'the refund answer is lost after Stripe refunded',
          phase: 'after',
          match: { method: 'POST', path: '/v1/refunds', nth: 1 },
          effect: { kind: 'server_error', status: 502 },
        },
      ],
    });
    await ctx.step('the service refunds part of it', () => ctx.refund(customer.customerId, renewal.id, 450));
    ctx.faults.clear();
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    const refunds = ctx.stripe.objects<{ charge: string }>('refund').filter((r) => r.charge === renewal.id);
    if (refunds.length !== 1) throw new Error(`${refunds.length} refunds of ${renewal.id}, expected 1`);
  },
});

export const lostMeterEventResponse = defineScenario({
  name: 'managed-stripe: usage whose meter-event response was lost is retried with the same key and billed once',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['lost-response', 'usage', 'idempotency'],
  faults: {
    api: [
      {
        name: 'every other meter-event answer is lost',
        phase: 'after',
        match: { method: 'POST', path: '/v1/billing/meter_events', rate: 0.5 },
        effect: { kind: 'reset' },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('four usage events', async () => {
      for (const quantity of [10, 20, 30, 40]) await ctx.usage(customer.customerId, quantity);
    });
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    expectPaid(ctx, customer.customerId, [1000, 1200]);
  },
});

export const lostClockAdvanceResponse = defineScenario({
  name: 'managed-stripe: the test-clock advance that renews the subscription loses its answer; one invoice',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['lost-response', 'billing-cycle', 'idempotency'],
  faults: {
    api: [
      {
        name: 'the first clock advance answer is lost',
        phase: 'after',
        match: { method: 'POST', path: '/v1/test_helpers/test_clocks/*/advance', nth: 1 },
        effect: { kind: 'server_error', status: 500 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 15));
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    expectPaid(ctx, customer.customerId, [1000, 1030]);
  },
});
