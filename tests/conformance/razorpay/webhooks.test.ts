import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { razorpayRetryDelaysMs } from '../../../src/fakes/razorpay/webhooks.ts';
import {
  startRazorpay,
  startRazorpayWebhookReceiver,
  webhookSecret,
  type RazorpayHarness,
} from '../../support/razorpay-harness.ts';

let h: RazorpayHarness;
let receiver: Awaited<ReturnType<typeof startRazorpayWebhookReceiver>>;
let statuses: number[];

beforeEach(async () => {
  h = await startRazorpay();
  statuses = [];
  receiver = await startRazorpayWebhookReceiver(webhookSecret, () => statuses.shift() ?? 200);
});
afterEach(async () => {
  await receiver.close();
  await h.close();
});

const attempts = () =>
  h.sim.journal
    .records()
    .filter((record) => record.kind === 'webhook_attempt')
    .map((record) => record.data as Record<string, unknown>);

async function paidOrder(amount = 1_000) {
  const order = await h.rzp.orders.create({ amount, currency: 'INR' });
  const paid = h.fake.actions.checkout!({ order_id: order.id }).body as { razorpay_payment_id: string };
  return { order, paymentId: paid.razorpay_payment_id };
}

describe('webhooks as Razorpay sends them', () => {
  it('signs the exact body (verified by the SDK), names the event, and carries snapshots', async () => {
    h.fake.registerWebhook({ url: receiver.url, secret: webhookSecret });
    const { order, paymentId } = await paidOrder();
    expect(await h.fake.flushWebhooks()).toBe(3);
    expect(receiver.events()).toEqual(['payment.authorized', 'payment.captured', 'order.paid']);
    for (const request of receiver.received) {
      expect(request.verified).toBe(true);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-razorpay-event-id']).toMatch(/^evt_[A-Za-z0-9]{14}$/);
    }
    const [authorized, captured, paid] = receiver.received.map((request) => request.event);
    expect(authorized).toMatchObject({
      entity: 'event',
      account_id: h.dump().accountId,
      contains: ['payment'],
      payload: { payment: { entity: { id: paymentId, status: 'authorized', captured: false } } },
      created_at: Date.UTC(2026, 0, 1) / 1000,
    });
    expect(captured!.payload.payment.entity).toMatchObject({ status: 'captured', captured: true });
    expect(paid).toMatchObject({
      contains: ['payment', 'order'],
      payload: { order: { entity: { id: order.id } } },
    });
    expect(h.dump().accountId).toMatch(/^acc_[A-Za-z0-9]{14}$/);
  });

  it('sends refund events with the refund and the payment', async () => {
    const { paymentId } = await paidOrder();
    h.fake.registerWebhook({ url: receiver.url, secret: webhookSecret, events: ['refund.processed'] });
    await h.rzp.payments.refund(paymentId, { amount: 400 });
    await h.fake.flushWebhooks();
    expect(receiver.events()).toEqual(['refund.processed']);
    expect(receiver.received[0]!.event).toMatchObject({
      contains: ['refund', 'payment'],
      payload: {
        refund: { entity: { amount: 400, payment_id: paymentId, status: 'processed' } },
        payment: { entity: { id: paymentId, amount_refunded: 400, refund_status: 'partial' } },
      },
    });
  });

  it('retries a failure on the schedule with the same event id and body, then delivers', async () => {
    h.fake.registerWebhook({ url: receiver.url, secret: webhookSecret, events: ['payment.captured'] });
    statuses = [500, 502];
    await paidOrder();
    expect(await h.fake.flushWebhooks()).toBe(1);
    h.sim.clock.advanceBy(razorpayRetryDelaysMs[0]!);
    expect(await h.fake.flushWebhooks()).toBe(1);
    h.sim.clock.advanceBy(razorpayRetryDelaysMs[1]!);
    expect(await h.fake.flushWebhooks()).toBe(1);
    expect(attempts().map((attempt) => [attempt.attempt, attempt.status, attempt.outcome])).toEqual([
      [1, 500, 'retry_scheduled'],
      [2, 502, 'retry_scheduled'],
      [3, 200, 'delivered'],
    ]);
    const ids = new Set(receiver.received.map((request) => request.headers['x-razorpay-event-id']));
    expect(ids.size).toBe(1);
    expect(new Set(receiver.received.map((request) => request.body)).size).toBe(1);
    expect(receiver.received.every((request) => request.verified)).toBe(true);
  });

  it('disables the webhook once retries run out after about 24 hours of virtual time', async () => {
    h.fake.registerWebhook({ url: receiver.url, secret: webhookSecret, events: ['payment.captured'] });
    statuses = Array.from({ length: 100 }, () => 503);
    await paidOrder();
    await h.fake.flushWebhooks();
    for (const delay of razorpayRetryDelaysMs) {
      h.sim.clock.advanceBy(delay);
      await h.fake.flushWebhooks();
    }
    const total = razorpayRetryDelaysMs.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeGreaterThan(20 * 3_600_000);
    expect(total).toBeLessThanOrEqual(24 * 3_600_000);
    expect(attempts().at(-1)).toMatchObject({ outcome: 'abandoned' });
    expect(h.dump().webhooks).toEqual([
      { id: 'webhook_1', url: receiver.url, events: ['payment.captured'], disabled: true },
    ]);
    const before = receiver.received.length;
    statuses = [];
    await paidOrder();
    await h.fake.flushWebhooks();
    expect(receiver.received.length).toBe(before);
    expect(attempts().at(-1)).toMatchObject({ outcome: 'endpoint_disabled' });
  });

  it('a bad_signature fault signs with a wrong secret: the SDK check fails', async () => {
    h.fake.registerWebhook({ url: receiver.url, secret: webhookSecret, events: ['payment.captured'] });
    h.fake.runtime.faults.load({
      webhooks: [
        { psp: 'razorpay', match: { eventType: 'payment.captured' }, effect: { kind: 'bad_signature' } },
      ],
    });
    await paidOrder();
    await h.fake.flushWebhooks();
    expect(receiver.received.map((request) => request.verified)).toEqual([false]);
  });

  it('journals each event with the object it is about, after the action or request that caused it', async () => {
    const { paymentId } = await paidOrder();
    const refund = await h.rzp.payments.refund(paymentId, { amount: 100 });
    const records = h.sim.journal.records();
    const events = records.filter((record) => record.kind === 'event').map((record) => record.data);
    expect(events).toMatchObject([
      { type: 'payment.authorized', objectId: paymentId },
      { type: 'payment.captured', objectId: paymentId },
      { type: 'order.paid' },
      { type: 'refund.created', objectId: refund.id, paymentId },
      { type: 'refund.processed', objectId: refund.id },
    ]);
    const refundEvent = records.find(
      (record) => record.kind === 'event' && (record.data as { type: string }).type === 'refund.created',
    )!;
    const request = records
      .filter((record) => record.kind === 'request' && record.seq < refundEvent.seq)
      .at(-1)!;
    expect(request.data).toMatchObject({ method: 'POST', path: `/v1/payments/${paymentId}/refund` });
    const stored = h.dump().events.find((event) => event.objectId === refund.id)!;
    expect(stored.requestId).toBe((request.data as { requestId: string }).requestId);
  });
});
