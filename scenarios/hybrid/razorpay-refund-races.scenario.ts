import { defineScenario } from 'fakepsp';
import { expectUsageDebits } from '../shared/wallet-expectations.ts';

// Refunds of Razorpay top-ups that race the webhooks telling the service what the money did.
// Found by `fakepsp explore` (hybrid · razorpay): a service that books the refund on what it
// has heard so far debits a wallet it has not credited yet, and the wallet goes below zero.

export const razorpayTopUpRefundedBeforeCapture = defineScenario({
  name: 'hybrid: a Razorpay top-up refunded before its payment.captured lands is credited before the refund debits it',
  pattern: 'hybrid',
  psps: ['razorpay'],
  tags: ['refunds', 'razorpay', 'out-of-order-webhooks'],
  faults: {
    webhooks: [
      {
        name: 'payment.captured 30 min late',
        psp: 'razorpay',
        match: { eventType: 'payment.captured' },
        effect: { kind: 'delay', delayMs: 1_800_000 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('tops up ₹20', () => ctx.topUp(customer.customerId, 2000));
    const [topUp] = ctx.payments.paid(customer.customerId);
    if (topUp === undefined) throw new Error('the top-up was not captured at Razorpay');
    await ctx.step('the service refunds ₹5 before payment.captured reaches it', () =>
      ctx.refund(customer.customerId, topUp.ref, 500),
    );
    await ctx.step('the late webhooks land', () => ctx.advance('1h'));
    await ctx.step('usage spends what is left', () => ctx.usage(customer.customerId, 750));
    await expectUsageDebits(ctx, customer.customerId, 1500);
  },
});

export const razorpayTopUpRefundedAgainAfterBounce = defineScenario({
  name: 'hybrid: a Razorpay top-up refunded again before the first refund’s refund.failed lands stays at or above zero',
  pattern: 'hybrid',
  psps: ['razorpay'],
  tags: ['refunds', 'refund-failure', 'razorpay', 'out-of-order-webhooks'],
  faults: {
    webhooks: [
      {
        name: 'refund.failed 30 min late',
        psp: 'razorpay',
        match: { eventType: 'refund.failed' },
        effect: { kind: 'delay', delayMs: 1_800_000 },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('tops up ₹10', () => ctx.topUp(customer.customerId, 1000));
    await ctx.step('payment.captured lands', () => ctx.advance('10m'));
    const [topUp] = ctx.payments.paid(customer.customerId);
    if (topUp === undefined) throw new Error('the top-up was not captured at Razorpay');
    await ctx.step('the service refunds all ₹10', () => ctx.refund(customer.customerId, topUp.ref, 1000));
    const [refund] = ctx.payments.refunds(customer.customerId);
    if (refund === undefined) throw new Error('the refund moved no money at Razorpay');
    await ctx.step('the bank bounces it: the ₹10 comes back', async () => {
      const bounced = ctx.env.razorpay!.actions.fail_refund!({ refund_id: refund.ref });
      if (bounced.status !== 200) throw new Error(`fail_refund: ${JSON.stringify(bounced.body)}`);
    });
    await ctx.step('the service refunds all ₹10 again before refund.failed reaches it', () =>
      ctx.refund(customer.customerId, topUp.ref, 1000),
    );
    await ctx.step('the late webhooks land', () => ctx.advance('1h'));
  },
});
