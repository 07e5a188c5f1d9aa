import { defineScenario } from 'fakepsp';
import { expectUsageDebits } from '../shared/wallet-expectations.ts';

// Modular hybrid with the wallet topped up through Razorpay: the base fee stays a Stripe
// subscription, each top-up is a Razorpay order the customer pays on the hosted Checkout.

export const razorpayTopUpLifecycle = defineScenario({
  name: 'hybrid: Stripe bills the base fee, Razorpay takes the wallet top-ups, usage is debited per event',
  pattern: 'hybrid',
  psps: ['razorpay'],
  tags: ['lifecycle', 'razorpay'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes (Stripe) and is known to Razorpay', () =>
      ctx.customer(),
    );
    await ctx.step('tops up ₹30 on Razorpay Checkout', () => ctx.topUp(customer.customerId, 3000));
    await ctx.step('payment.captured lands', () => ctx.settle());
    await ctx.step('usage is debited event by event', async () => {
      await ctx.usage(customer.customerId, 250);
      await ctx.usage(customer.customerId, 125);
    });
    await ctx.step('tops up ₹10 more', () => ctx.topUp(customer.customerId, 1000));
    await ctx.step('the subscription renews', () => ctx.advance('31d'));
    await ctx.step('the renewal invoice is charged', () => ctx.advance('2h'));
    const topUps = ctx.payments.paid(customer.customerId).map((payment) => payment.amount);
    if (topUps.join(',') !== '3000,1000') throw new Error(`Razorpay top-ups were [${topUps.join(', ')}]`);
    await expectUsageDebits(ctx, customer.customerId, 750);
  },
});

export const razorpayTopUpWebhooksTwice = defineScenario({
  name: 'hybrid: every Razorpay webhook delivered three times credits each top-up once',
  pattern: 'hybrid',
  psps: ['razorpay'],
  tags: ['duplicate-webhooks', 'razorpay'],
  faults: {
    webhooks: [
      { name: 'tripled', psp: 'razorpay', match: { rate: 1 }, effect: { kind: 'duplicate', copies: 2 } },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('two top-ups', async () => {
      await ctx.topUp(customer.customerId, 2000);
      await ctx.topUp(customer.customerId, 500);
    });
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    await ctx.step('usage up to the balance', () => ctx.usage(customer.customerId, 1250));
    await expectUsageDebits(ctx, customer.customerId, 2500);
  },
});

export const razorpayTopUpRefunds = defineScenario({
  name: 'hybrid: a Razorpay top-up refunded by the service and in the dashboard leaves the wallet',
  pattern: 'hybrid',
  psps: ['razorpay'],
  tags: ['refunds', 'dashboard', 'razorpay'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('tops up ₹50', () => ctx.topUp(customer.customerId, 5000));
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    const [topUp] = ctx.payments.paid(customer.customerId);
    if (topUp === undefined) throw new Error('the top-up was not captured');
    await ctx.step('the service refunds ₹12', () => ctx.refund(customer.customerId, topUp.ref, 1200));
    await ctx.step('support refunds ₹8 in the dashboard', async () => {
      ctx.payments.dashboardRefund(topUp.ref, 800);
    });
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    await ctx.step('usage spends what is left', () => ctx.usage(customer.customerId, 1500));
  },
});

export const razorpayTopUpFailsThenCaptured = defineScenario({
  name: 'hybrid: a Razorpay top-up that fails and is then captured late credits the wallet once',
  pattern: 'hybrid',
  psps: ['razorpay'],
  tags: ['late-capture', 'razorpay', 'out-of-order-webhooks'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('asks for a ₹20 top-up; the Checkout payment fails', async () => {
      const request = { customerId: customer.customerId, amount: 2000, currency: 'inr', requestId: 'late-1' };
      ctx.facts.topUps.push(request); // asked for, though not through ctx.topUp (which pays at once)
      await ctx.sut.topUp(request);
      const order = ctx.env.razorpay!.dump().orders.find((entry) => entry.order.status === 'created');
      if (order === undefined) throw new Error('the service opened no Razorpay order for the top-up');
      const paid = ctx.env.razorpay!.actions.checkout!({ order_id: order.order.id, outcome: 'failure' });
      if (paid.status !== 200) throw new Error(`checkout failed: ${JSON.stringify(paid.body)}`);
    });
    await ctx.step('payment.failed lands', () => ctx.advance('10m'));
    const failed = ctx.payments
      .records()
      .objects.filter((object) => object.objectType === 'payment' && object.status === 'failed');
    if (failed.length !== 1) throw new Error(`${failed.length} failed Razorpay payments, expected 1`);
    ctx.env.razorpay!.actions.late_capture!({ payment_id: failed[0]!.objectId });
    await ctx.step('the bank authorises late: payment.captured arrives', () => ctx.advance('10m'));
    await ctx.step('usage spends the top-up', () => ctx.usage(customer.customerId, 1000));
    await expectUsageDebits(ctx, customer.customerId, 2000);
  },
});

export const razorpayTopUpAuthorisedNotCaptured = defineScenario({
  name: 'hybrid: a Razorpay top-up authorised late and left uncaptured is captured by the service, credited once',
  pattern: 'hybrid',
  psps: ['razorpay'],
  tags: ['razorpay', 'late-capture', 'authorised-not-captured'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes (Stripe) and is known to Razorpay', () =>
      ctx.customer(),
    );
    await ctx.step('the top-up payment will be authorised late', async () => ctx.payments.holdNextCapture());
    await ctx.step('tops up ₹20 on Razorpay Checkout', () => ctx.topUp(customer.customerId, 2000));
    await ctx.step('the poll job sees it authorised', () => ctx.advance('1h'));
    await ctx.step('usage from the top-up', () => ctx.usage(customer.customerId, 300));
    await ctx.step('past Razorpay’s 5-day window, and the renewal', () => ctx.advance('32d'));
    const topUps = ctx.payments.paid(customer.customerId).map((payment) => payment.amount);
    if (topUps.join(',') !== '2000') throw new Error(`Razorpay top-ups were [${topUps.join(', ')}]`);
  },
});
