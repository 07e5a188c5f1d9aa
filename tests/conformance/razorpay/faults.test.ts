import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiFaultRule } from '../../../src/fakes/common/faults.ts';
import {
  caught,
  refundIdempotency,
  startRazorpay,
  type RazorpayHarness,
} from '../../support/razorpay-harness.ts';

let h: RazorpayHarness;
beforeEach(async () => (h = await startRazorpay()));
afterEach(() => h.close());

const once = (phase: 'before' | 'after', effect: ApiFaultRule['effect'], path = '/v1/orders'): void =>
  h.fake.runtime.faults.load({
    api: [{ psp: 'razorpay', phase, match: { method: 'POST', path, nth: 1 }, effect }],
  });

describe('API faults at the commit point, in Razorpay shape', () => {
  it('a 500 before Razorpay acts: SERVER_ERROR, and nothing changed', async () => {
    once('before', { kind: 'server_error' });
    const error = await caught(h.rzp.orders.create({ amount: 100, currency: 'INR' }));
    expect(error).toEqual({
      statusCode: 500,
      error: {
        code: 'SERVER_ERROR',
        description:
          'We are facing some trouble completing your request at the moment. Please try again shortly.',
        field: null,
        source: 'NA',
        step: 'NA',
        reason: 'NA',
        metadata: {},
      },
    });
    expect(h.dump().orders).toEqual([]);
    await h.rzp.orders.create({ amount: 100, currency: 'INR' });
    expect(h.dump().orders).toHaveLength(1);
  });

  it('a 429 before Razorpay acts keeps the envelope', async () => {
    once('before', { kind: 'rate_limit' });
    const error = await caught(h.rzp.orders.create({ amount: 100, currency: 'INR' }));
    expect(error).toMatchObject({ statusCode: 429, error: { code: 'BAD_REQUEST_ERROR' } });
    expect(h.dump().orders).toEqual([]);
  });

  it('a reset after Razorpay acted: the SDK fails without a status (a TypeError), the order exists', async () => {
    once('after', { kind: 'reset' });
    const error = await caught(h.rzp.orders.create({ amount: 100, currency: 'INR', receipt: 'lost' }));
    // razorpay-node's normalizeError reads err.response.status, which a dropped connection lacks.
    expect(error).toBeInstanceOf(TypeError);
    expect(h.dump().orders.map((record) => record.order.receipt)).toEqual(['lost']);
  });

  it('a lost refund response is safe to retry with the same X-Refund-Idempotency key', async () => {
    const order = await h.rzp.orders.create({ amount: 1_000, currency: 'INR' });
    const paid = h.fake.actions.checkout!({ order_id: order.id }).body as { razorpay_payment_id: string };
    once('after', { kind: 'timeout' }, '/v1/payments/*/refund');
    const key = refundIdempotency(h.rzp);
    key.set('lost-refund-01');
    const lost = await caught(h.rzp.payments.refund(paid.razorpay_payment_id, { amount: 500 }));
    expect(lost).toBeInstanceOf(TypeError);
    const retried = await h.rzp.payments.refund(paid.razorpay_payment_id, { amount: 500 });
    expect(h.dump().refunds.map((record) => record.refund.id)).toEqual([retried.id]);
  });

  it('a 503 after Razorpay acted hides an order that exists; a retry makes a second one', async () => {
    once('after', { kind: 'server_error', status: 503 });
    const error = await caught(h.rzp.orders.create({ amount: 100, currency: 'INR' }));
    expect(error).toMatchObject({ statusCode: 503, error: { code: 'SERVER_ERROR' } });
    await h.rzp.orders.create({ amount: 100, currency: 'INR' });
    expect(h.dump().orders).toHaveLength(2);
  });

  it('latency moves virtual time and the request still succeeds', async () => {
    once('before', { kind: 'latency', delayMs: 90_000 });
    const order = await h.rzp.orders.create({ amount: 100, currency: 'INR' });
    expect(order.created_at).toBe(Date.UTC(2026, 0, 1) / 1000 + 90);
    const faults = h.sim.journal
      .records()
      .filter((record) => record.kind === 'fault' && record.psp === 'razorpay');
    expect(faults).toHaveLength(1);
  });
});
