import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const razorpayFailedThenCaptured = defineScenario({
  name: 'multi-psp: a Razorpay payment.failed followed by payment.captured is booked as paid, once',
  description:
    'Razorpay documents payment.failed then payment.captured for one payment as expected behaviour ' +
    '(a late authorisation). A service that treats failed as final never books money it received.',
  pattern: 'multi-psp',
  psps: ['razorpay'],
  tags: ['razorpay', 'late-capture', 'out-of-order-webhooks'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up with a card that fails', () =>
      ctx.customer({ paymentMethod: ctx.paymentMethods.declinesLater }),
    );
    await ctx.step('usage', () => ctx.usage(customer.customerId, 15));
    await ctx.step('the period ends; the mandate payment fails', () => ctx.advance('31d'));
    const failed = ctx.payments
      .records()
      .objects.filter((object) => object.objectType === 'payment' && object.status === 'failed');
    if (failed.length !== 1) throw new Error(`${failed.length} failed Razorpay payments, expected 1`);
    ctx.env.razorpay!.actions.late_capture!({ payment_id: failed[0]!.objectId });
    await ctx.step('the bank authorises late: payment.captured arrives', () => ctx.advance('1h'));
    await ctx.step('dunning day comes and goes', () => ctx.advance('3d'));
    expectPaid(ctx, customer.customerId, [1030]);
  },
});

export const razorpayAuthorisedNotCaptured = defineScenario({
  name: 'multi-psp: a Razorpay payment authorised late is left uncaptured by Razorpay; the service captures it and books it once',
  description:
    'An authorisation that comes back after the automatic capture window stays `authorized`; ' +
    'Razorpay refunds it on its own after 5 days unless the merchant captures it. Booking ' +
    'payment.authorized as paid books money that Razorpay then gives back.',
  pattern: 'multi-psp',
  psps: ['razorpay'],
  tags: ['razorpay', 'late-capture', 'authorised-not-captured'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 40));
    await ctx.step('the next payment will be authorised late', async () => ctx.payments.holdNextCapture());
    await ctx.step('the period ends; the payment is only authorised', () => ctx.advance('31d'));
    await ctx.step('the poll job sees it authorised', () => ctx.advance('1h'));
    await ctx.step('past Razorpay’s 5-day window', () => ctx.advance('6d'));
    expectPaid(ctx, customer.customerId, [1080]);
  },
});
