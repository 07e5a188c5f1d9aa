import { defineScenario } from 'fakepsp';
import { allPsps, chargeCall, expectPaid, onlyPayment, refundCall } from './support.ts';

export const lostChargeResponse = defineScenario({
  name: 'multi-psp: the charge answer is lost after the PSP acted; the retry uses the same key and charges once',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['lost-response', 'idempotency'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 40));
    ctx.faults.load({
      api: [
        {
          name: 'the first charge answer is lost after the PSP charged',
          psp: ctx.psp,
          phase: 'after',
          match: { ...chargeCall[ctx.psp], nth: 1 },
          effect: { kind: 'reset' },
        },
      ],
    });
    await ctx.step('the period ends and is charged', () => ctx.advance('31d'));
    ctx.faults.clear();
    await ctx.step('the next tick polls', () => ctx.advance('1h'));
    expectPaid(ctx, customer.customerId, [1080]);
  },
});

export const lostRefundResponse = defineScenario({
  name: 'multi-psp: a refund whose answer was lost is retried with the same key and refunded once',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['lost-response', 'refunds', 'idempotency'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 100));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    const payment = onlyPayment(ctx, customer.customerId);
    ctx.faults.load({
      api: [
        {
          name: 'the refund answer is lost after the PSP refunded',
          psp: ctx.psp,
          phase: 'after',
          match: { ...refundCall[ctx.psp], nth: 1 },
          effect: { kind: 'timeout' },
        },
      ],
    });
    await ctx.step('the service refunds part of it', () => ctx.refund(customer.customerId, payment.ref, 450));
    ctx.faults.clear();
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    const refunds = ctx.payments.records().movements.filter((movement) => movement.kind === 'refund');
    if (refunds.length !== 1) throw new Error(`${refunds.length} refunds at ${ctx.psp}, expected 1`);
  },
});
