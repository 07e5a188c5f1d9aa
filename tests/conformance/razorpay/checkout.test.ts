import { validatePaymentVerification } from 'razorpay/dist/utils/razorpay-utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { razorpayTestCards } from '../../../src/fakes/razorpay/index.ts';
import { caught, keySecret, startRazorpay, type RazorpayHarness } from '../../support/razorpay-harness.ts';

let h: RazorpayHarness;
beforeEach(async () => (h = await startRazorpay()));
afterEach(() => h.close());

/** The customer pays on hosted Checkout (a harness action: Checkout runs in a browser). */
function checkout(body: Record<string, unknown>) {
  return h.fake.actions.checkout!(body);
}

describe('hosted Checkout, played by the checkout action', () => {
  it('pays an auto-capture order: the signature verifies with the SDK, the payment is captured', async () => {
    const order = await h.rzp.orders.create({ amount: 50_000, currency: 'INR', receipt: 'r1' });
    const result = checkout({ order_id: order.id });
    expect(result.status).toBe(200);
    const paid = result.body as {
      razorpay_payment_id: string;
      razorpay_order_id: string;
      razorpay_signature: string;
    };
    expect(paid.razorpay_order_id).toBe(order.id);
    expect(paid.razorpay_signature).toMatch(/^[0-9a-f]{64}$/);
    const params = { order_id: paid.razorpay_order_id, payment_id: paid.razorpay_payment_id };
    expect(validatePaymentVerification(params, paid.razorpay_signature, keySecret)).toBe(true);
    expect(validatePaymentVerification(params, paid.razorpay_signature, 'another_secret')).toBe(false);
    const payment = await h.rzp.payments.fetch(paid.razorpay_payment_id);
    expect(payment).toMatchObject({
      entity: 'payment',
      amount: 50_000,
      currency: 'INR',
      status: 'captured',
      captured: true,
      order_id: order.id,
      method: 'card',
      amount_refunded: 0,
      refund_status: null,
      fee: 1_180,
      tax: 180,
      error_code: null,
      card: { last4: '1007', network: 'Visa' },
    });
    expect(await h.rzp.orders.fetch(order.id)).toMatchObject({
      status: 'paid',
      amount_paid: 50_000,
      amount_due: 0,
      attempts: 1,
    });
    const payments = await h.rzp.orders.fetchPayments(order.id);
    expect(payments.items.map((item) => item.id)).toEqual([paid.razorpay_payment_id]);
  });

  it('signs with the secret of the key that created the order', async () => {
    const other = { key_id: 'rzp_test_second', key_secret: 'second_secret' };
    const two = await startRazorpay(3, h.transport, {
      keys: [
        { keyId: 'rzp_test_fakepsp', keySecret },
        { keyId: other.key_id, keySecret: other.key_secret },
      ],
    });
    try {
      const order = await two.client(other).orders.create({ amount: 100, currency: 'INR' });
      const paid = two.fake.actions.checkout!({ order_id: order.id }).body as Record<string, string>;
      const params = { order_id: order.id, payment_id: paid.razorpay_payment_id! };
      expect(validatePaymentVerification(params, paid.razorpay_signature!, other.key_secret)).toBe(true);
      expect(validatePaymentVerification(params, paid.razorpay_signature!, keySecret)).toBe(false);
    } finally {
      await two.close();
    }
  });

  it('a paid order takes no further payment', async () => {
    const order = await h.rzp.orders.create({ amount: 100, currency: 'INR' });
    checkout({ order_id: order.id });
    const again = checkout({ order_id: order.id });
    expect(again).toMatchObject({
      status: 400,
      body: {
        error: { description: 'Payment already done for this order.', metadata: { order_id: order.id } },
      },
    });
  });

  it('manual capture: only the exact authorised amount, and only once', async () => {
    const order = await h.rzp.orders.create({
      amount: 10_000,
      currency: 'INR',
      payment_capture: false,
    } as never);
    const paid = checkout({ order_id: order.id }).body as { razorpay_payment_id: string };
    const id = paid.razorpay_payment_id;
    expect(await h.rzp.payments.fetch(id)).toMatchObject({
      status: 'authorized',
      captured: false,
      fee: null,
    });
    expect(await h.rzp.orders.fetch(order.id)).toMatchObject({ status: 'attempted', amount_paid: 0 });
    const less = await caught(h.rzp.payments.capture(id, 5_000, 'INR'));
    expect(less).toEqual({
      statusCode: 400,
      error: {
        code: 'BAD_REQUEST_ERROR',
        description: 'Capture amount must be equal to the amount authorized.',
        field: 'amount',
        source: 'NA',
        step: 'NA',
        reason: 'NA',
        metadata: { payment_id: id },
      },
    });
    const captured = await h.rzp.payments.capture(id, 10_000, 'INR');
    expect(captured).toMatchObject({ status: 'captured', captured: true, fee: 236, tax: 36 });
    expect(await h.rzp.orders.fetch(order.id)).toMatchObject({ status: 'paid', amount_paid: 10_000 });
    const twice = await caught(h.rzp.payments.capture(id, 10_000, 'INR'));
    expect(twice).toMatchObject({
      statusCode: 400,
      error: { description: 'This payment has already been captured.' },
    });
    const currency = await caught(h.rzp.payments.capture('pay_DoesNotExist01', 10_000, 'INR'));
    expect(currency).toMatchObject({
      statusCode: 400,
      error: { description: 'The id provided does not exist' },
    });
  });

  it('a failure card fails the payment with its reason; the order stays attempted', async () => {
    const order = await h.rzp.orders.create({ amount: 2_000, currency: 'INR' });
    const result = checkout({ order_id: order.id, card: razorpayTestCards.insufficientFunds });
    const body = result.body as {
      error: { reason: string; metadata: { payment_id: string; order_id: string } };
    };
    expect(result.status).toBe(200);
    expect(body.error).toMatchObject({ reason: 'insufficient_funds', metadata: { order_id: order.id } });
    const payment = await h.rzp.payments.fetch(body.error.metadata.payment_id);
    expect(payment).toMatchObject({
      status: 'failed',
      captured: false,
      error_code: 'BAD_REQUEST_ERROR',
      error_reason: 'insufficient_funds',
      error_source: 'customer',
      error_step: 'payment_authorization',
    });
    expect(await h.rzp.orders.fetch(order.id)).toMatchObject({ status: 'attempted', attempts: 1 });
    const retry = checkout({ order_id: order.id, card: razorpayTestCards.visaSuccess });
    expect(retry.status).toBe(200);
    expect(await h.rzp.orders.fetch(order.id)).toMatchObject({ status: 'paid', attempts: 2 });
  });

  it('the customer may press Failure on the bank page with any card, or Success with a failure card', async () => {
    const one = await h.rzp.orders.create({ amount: 100, currency: 'INR' });
    const failed = checkout({ order_id: one.id, outcome: 'failure' }).body as { error: { reason: string } };
    expect(failed.error.reason).toBe('payment_failed');
    const two = await h.rzp.orders.create({ amount: 100, currency: 'INR' });
    const ok = checkout({ order_id: two.id, card: razorpayTestCards.cardDeclined, outcome: 'success' });
    expect(ok.body).toHaveProperty('razorpay_signature');
  });

  it('late capture: payment.failed followed by payment.captured, and the order becomes paid', async () => {
    const order = await h.rzp.orders.create({ amount: 3_000, currency: 'INR' });
    const failed = checkout({ order_id: order.id, card: razorpayTestCards.gatewayError }).body as {
      error: { code: string; metadata: { payment_id: string } };
    };
    expect(failed.error.code).toBe('GATEWAY_ERROR');
    const id = failed.error.metadata.payment_id;
    const late = h.fake.actions.late_capture!({ payment_id: id });
    expect(late).toMatchObject({ status: 200, body: { id, status: 'captured', error_code: null } });
    expect(await h.rzp.orders.fetch(order.id)).toMatchObject({ status: 'paid' });
    const events = h
      .dump()
      .events.filter((event) => event.paymentId === id)
      .map((event) => event.event);
    expect(events).toEqual(['payment.failed', 'payment.authorized', 'payment.captured', 'order.paid']);
    expect(h.fake.actions.late_capture!({ payment_id: id })).toMatchObject({
      status: 400,
      body: { error: { type: 'fakepsp_admin' } },
    });
  });

  it('bad action bodies get a fakepsp_admin 400; unknown orders Razorpay own 400', () => {
    expect(checkout({})).toMatchObject({ status: 400, body: { error: { type: 'fakepsp_admin' } } });
    expect(checkout({ order_id: 'order_x', card: 'abc' })).toMatchObject({
      status: 400,
      body: { error: { type: 'fakepsp_admin', message: expect.stringContaining('card') } },
    });
    expect(checkout({ order_id: 'order_DoesNotExist01' })).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST_ERROR', description: 'The id provided does not exist' } },
    });
  });
});
