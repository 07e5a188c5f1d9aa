import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  basicAuth,
  caught,
  refundIdempotency,
  startRazorpay,
  type RazorpayHarness,
} from '../../support/razorpay-harness.ts';

let h: RazorpayHarness;
beforeEach(async () => (h = await startRazorpay()));
afterEach(() => h.close());

async function capturedPayment(amount = 10_000): Promise<string> {
  const order = await h.rzp.orders.create({ amount, currency: 'INR' });
  const paid = h.fake.actions.checkout!({ order_id: order.id }).body as { razorpay_payment_id: string };
  return paid.razorpay_payment_id;
}

describe('refunds', () => {
  it('refunds partly, then the rest; the payment ends refunded with refund_status full', async () => {
    const id = await capturedPayment();
    const first = await h.rzp.payments.refund(id, { amount: 3_000, notes: { request_id: 'r1' } });
    expect(first).toMatchObject({
      entity: 'refund',
      amount: 3_000,
      currency: 'INR',
      payment_id: id,
      status: 'processed',
      speed_requested: 'normal',
      notes: { request_id: 'r1' },
    });
    expect(first.id).toMatch(/^rfnd_[A-Za-z0-9]{14}$/);
    expect(await h.rzp.payments.fetch(id)).toMatchObject({
      status: 'captured',
      amount_refunded: 3_000,
      refund_status: 'partial',
    });
    const rest = await h.rzp.payments.refund(id, {});
    expect(rest.amount).toBe(7_000);
    expect(await h.rzp.payments.fetch(id)).toMatchObject({
      status: 'refunded',
      amount_refunded: 10_000,
      refund_status: 'full',
    });
    const again = await caught(h.rzp.payments.refund(id, { amount: 1 }));
    expect(again).toMatchObject({
      statusCode: 400,
      error: { description: 'The payment has been fully refunded already.', metadata: { payment_id: id } },
    });
    const listed = await h.rzp.payments.fetchMultipleRefund(id);
    expect(listed.items.map((refund) => refund.id)).toEqual([rest.id, first.id]);
    expect(await h.rzp.payments.fetchRefund(id, first.id)).toEqual(first);
    expect(await h.rzp.refunds.fetch(first.id)).toEqual(first);
    expect((await h.rzp.refunds.all({ count: 1 })).items).toHaveLength(1);
    const orders = await h.rzp.orders.all();
    expect(orders.items[0]!.status).toBe('paid');
    const edited = await h.rzp.refunds.edit(first.id, { notes: { reason: 'duplicate' } });
    expect(edited.notes).toEqual({ reason: 'duplicate' });
    const payment = await h.rzp.payments.edit(id, { notes: { obligation_id: 'ob_1' } });
    expect(payment.notes).toEqual({ obligation_id: 'ob_1' });
    expect((await h.rzp.payments.all()).items.map((item) => item.id)).toEqual([id]);
  });

  it('refuses more than was captured, and a payment never captured', async () => {
    const id = await capturedPayment(5_000);
    const over = await caught(h.rzp.payments.refund(id, { amount: 5_001 }));
    expect(over).toEqual({
      statusCode: 400,
      error: {
        code: 'BAD_REQUEST_ERROR',
        description: 'The refund amount provided is greater than amount captured.',
        field: 'amount',
        source: 'NA',
        step: 'NA',
        reason: 'NA',
        metadata: { payment_id: id },
      },
    });
    const order = await h.rzp.orders.create({
      amount: 100,
      currency: 'INR',
      payment_capture: false,
    } as never);
    const authorized = h.fake.actions.checkout!({ order_id: order.id }).body as {
      razorpay_payment_id: string;
    };
    const early = await caught(h.rzp.payments.refund(authorized.razorpay_payment_id, {}));
    expect(early).toMatchObject({ statusCode: 400 });
    const otherPayment = await capturedPayment();
    const refund = await h.rzp.payments.refund(id, { amount: 100 });
    const mismatch = await caught(h.rzp.payments.fetchRefund(otherPayment, refund.id));
    expect(mismatch).toMatchObject({
      statusCode: 400,
      error: { description: 'The id provided does not exist' },
    });
    expect(h.dump().refunds).toHaveLength(1);
  });

  it('dashboard refunds and refunds that fail afterwards (the money comes back)', async () => {
    const id = await capturedPayment();
    const made = h.fake.actions.dashboard_refund!({ payment_id: id, amount: 2_500 });
    expect(made).toMatchObject({ status: 200, body: { amount: 2_500, status: 'processed' } });
    const refundId = (made.body as { id: string }).id;
    const failed = h.fake.actions.fail_refund!({ refund_id: refundId });
    expect(failed).toMatchObject({ status: 200, body: { id: refundId, status: 'failed' } });
    expect(await h.rzp.payments.fetch(id)).toMatchObject({
      amount_refunded: 0,
      refund_status: null,
      status: 'captured',
    });
    expect(h.dump().events.map((event) => event.event)).toEqual([
      'payment.authorized',
      'payment.captured',
      'order.paid',
      'refund.created',
      'refund.processed',
      'refund.failed',
    ]);
    expect(h.fake.actions.fail_refund!({ refund_id: refundId })).toMatchObject({ status: 400 });
  });
});

describe('X-Refund-Idempotency (set through an axios interceptor: the SDK sends no custom headers)', () => {
  it('replays the same refund for the same key and body', async () => {
    const id = await capturedPayment();
    const key = refundIdempotency(h.rzp);
    key.set('refund-key-0001');
    const first = await h.rzp.payments.refund(id, { amount: 1_000 });
    const second = await h.rzp.payments.refund(id, { amount: 1_000 });
    expect(second).toEqual(first);
    expect(h.dump().refunds).toHaveLength(1);
    expect(h.dump().refunds[0]!.idempotencyKey).toBe('refund-key-0001');
    key.set('refund-key-0002');
    const third = await h.rzp.payments.refund(id, { amount: 1_000 });
    expect(third.id).not.toBe(first.id);
  });

  it('a different body under the same key is a 400', async () => {
    const id = await capturedPayment();
    const key = refundIdempotency(h.rzp);
    key.set('refund-key-0003');
    await h.rzp.payments.refund(id, { amount: 1_000 });
    const other = await caught(h.rzp.payments.refund(id, { amount: 2_000 }));
    expect(other).toMatchObject({
      statusCode: 400,
      error: {
        code: 'BAD_REQUEST_ERROR',
        description: 'Different request with the same idempotency key has already been processed.',
      },
    });
    expect(h.dump().refunds).toHaveLength(1);
  });

  it('refuses a key shorter than 10 characters or with other characters', async () => {
    const id = await capturedPayment();
    for (const bad of ['short', 'has space 123', 'dots.are.not.ok']) {
      const response = await h.fetch(`/v1/payments/${id}/refund`, {
        method: 'POST',
        headers: {
          authorization: basicAuth,
          'content-type': 'application/json',
          'x-refund-idempotency': bad,
        },
        body: '{"amount":100}',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { field: 'X-Refund-Idempotency' } });
    }
    expect(h.dump().refunds).toEqual([]);
  });

  it('answers 409 while a request with the same key is still in flight', async () => {
    const id = await capturedPayment();
    h.fake.runtime.faults.load({
      api: [
        {
          psp: 'razorpay',
          phase: 'before',
          match: { method: 'POST', path: '/v1/payments/*/refund', nth: 1 },
          effect: { kind: 'stall', delayMs: 5_000 },
        },
      ],
    });
    const key = refundIdempotency(h.rzp);
    key.set('refund-key-0004');
    const first = h.rzp.payments.refund(id, { amount: 1_000 });
    const stalled = () =>
      h.sim.journal.records().some((record) => record.kind === 'fault' && record.psp === 'razorpay');
    for (let turn = 0; turn < 10_000 && !stalled(); turn++)
      await new Promise((resolve) => setImmediate(resolve));
    expect(stalled()).toBe(true);
    const concurrent = await caught(h.rzp.payments.refund(id, { amount: 1_000 }));
    h.sim.clock.advanceBy(5_000);
    expect(concurrent).toMatchObject({ statusCode: 409, error: { code: 'BAD_REQUEST_ERROR' } });
    const made = await first;
    const replayed = await h.rzp.payments.refund(id, { amount: 1_000 });
    expect(replayed.id).toBe(made.id);
    expect(h.dump().refunds).toHaveLength(1);
  });

  it('only refunds are keyed: the header means nothing on orders, not even checked', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await h.fetch('/v1/orders', {
        method: 'POST',
        headers: {
          authorization: basicAuth,
          'content-type': 'application/json',
          'x-refund-idempotency': 'x',
        },
        body: '{"amount":100,"currency":"INR"}',
      });
      expect(response.status).toBe(200);
    }
    expect(h.dump().orders).toHaveLength(2);
  });
});

describe('refunds and authorisations that do not go through', () => {
  it('fail_next_refund: the next refund is created and fails before it is processed (refund.failed); nothing left', async () => {
    const id = await capturedPayment();
    expect(h.fake.actions.fail_next_refund!({}).status).toBe(200);
    const failed = await h.rzp.payments.refund(id, { amount: 4_000 });
    expect(failed).toMatchObject({ amount: 4_000, status: 'failed' });
    expect(await h.rzp.payments.fetch(id)).toMatchObject({
      status: 'captured',
      amount_refunded: 0,
      refund_status: null,
    });
    const next = await h.rzp.payments.refund(id, { amount: 1_000 });
    expect(next.status).toBe('processed');
    const events = h.sim.journal
      .records()
      .filter((record) => record.kind === 'event')
      .map((record) => (record.data as { type: string }).type);
    expect(events.filter((type) => type.startsWith('refund.'))).toEqual([
      'refund.created',
      'refund.failed',
      'refund.created',
      'refund.processed',
    ]);
  });

  it('hold_next_capture: the payment stays authorized; Razorpay refunds it by itself after 5 days unless captured', async () => {
    expect(h.fake.actions.hold_next_capture!({}).status).toBe(200);
    const held = await capturedPayment(6_000);
    expect(await h.rzp.payments.fetch(held)).toMatchObject({ status: 'authorized', captured: false });
    h.sim.clock.advanceBy(5 * 86_400_000);
    expect(await h.rzp.payments.fetch(held)).toMatchObject({
      status: 'refunded',
      captured: false,
      amount_refunded: 6_000,
      refund_status: 'full',
    });
    // Captured within the window, it is an ordinary capture and nothing is given back.
    h.fake.actions.hold_next_capture!({});
    const kept = await capturedPayment(7_000);
    expect(await h.rzp.payments.capture(kept, 7_000, 'INR')).toMatchObject({
      status: 'captured',
      captured: true,
    });
    h.sim.clock.advanceBy(6 * 86_400_000);
    expect(await h.rzp.payments.fetch(kept)).toMatchObject({ status: 'captured', amount_refunded: 0 });
  });
});
