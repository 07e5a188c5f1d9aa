import { defineScenario } from 'fakepsp';
import { onlyCharge } from './support.ts';

export const lostChargeResponse = defineScenario({
  name: 'byo-stripe: a charge whose response was lost is retried with the same key and charged once',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['lost-response', 'idempotency'],
  faults: {
    api: [
      {
        name: 'the first charge answer is lost after Stripe charged',
        phase: 'after',
        match: { method: 'POST', path: '/v1/payment_intents', nth: 1 },
        effect: { kind: 'server_error', status: 500 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 40));
    await ctx.step('the period ends and is charged', () => ctx.advance('31d'));
  },
});

export const everyChargeAttemptLost = defineScenario({
  name: 'byo-stripe: every attempt of a charge loses its answer and its webhook; the poll job books the one charge',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['lost-response', 'missed-webhooks', 'poll'],
  faults: {
    api: [
      {
        name: 'every charge answer lost',
        phase: 'after',
        match: { method: 'POST', path: '/v1/payment_intents' },
        effect: { kind: 'reset' },
      },
    ],
    webhooks: [
      {
        name: 'payment webhooks lost for good',
        match: { eventType: 'payment_intent.*', retries: true },
        effect: { kind: 'drop' },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 25));
    await ctx.step('the period ends; the charge answer never arrives', () => ctx.advance('31d'));
    await ctx.step('the next tick polls', () => ctx.advance('1h'));
  },
});

export const lostRefundResponse = defineScenario({
  name: 'byo-stripe: a refund whose response was lost is retried with the same key and booked once',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['lost-response', 'refunds', 'idempotency'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 100));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    const charge = onlyCharge(ctx, customer.customerId);
    ctx.faults.load({
      api: [
        {
          name: 'the refund answer is lost after Stripe refunded',
          phase: 'after',
          match: { method: 'POST', path: '/v1/refunds', nth: 1 },
          effect: { kind: 'timeout' },
        },
      ],
    });
    await ctx.step('the service refunds part of it', () => ctx.refund(customer.customerId, charge.id, 450));
    ctx.faults.clear();
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    const refunds = ctx.stripe.objects<{ charge: string }>('refund').filter((r) => r.charge === charge.id);
    if (refunds.length !== 1) throw new Error(`${refunds.length} refunds of ${charge.id}, expected 1`);
  },
});
