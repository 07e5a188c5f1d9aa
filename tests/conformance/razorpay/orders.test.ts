import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicAuth, caught, startRazorpay, type RazorpayHarness } from '../../support/razorpay-harness.ts';

let h: RazorpayHarness;
beforeEach(async () => (h = await startRazorpay()));
afterEach(() => h.close());

const startSeconds = Date.UTC(2026, 0, 1) / 1000;

describe('orders through the official SDK', () => {
  it('creates an order: INR injected by the SDK, empty notes as [], Unix-second times', async () => {
    const order = await h.rzp.orders.create({ amount: 50_000, receipt: 'rcpt-1' } as never);
    expect(order).toMatchObject({
      entity: 'order',
      amount: 50_000,
      amount_paid: 0,
      amount_due: 50_000,
      currency: 'INR',
      receipt: 'rcpt-1',
      offer_id: null,
      status: 'created',
      attempts: 0,
      notes: [],
      created_at: startSeconds,
    });
    expect(order.id).toMatch(/^order_[A-Za-z0-9]{14}$/);
    expect(await h.rzp.orders.fetch(order.id)).toEqual(order);
  });

  it('keeps notes and edits them (PATCH)', async () => {
    const order = await h.rzp.orders.create({
      amount: 100,
      currency: 'INR',
      notes: { obligation_id: 'ob_1' },
    });
    expect(order.notes).toEqual({ obligation_id: 'ob_1' });
    const edited = await h.rzp.orders.edit(order.id, { notes: { obligation_id: 'ob_2', topup_id: 7 } });
    expect(edited.notes).toEqual({ obligation_id: 'ob_2', topup_id: 7 });
  });

  it('refuses less than INR 1.00, a receipt over 40 characters, more than 15 notes', async () => {
    const small = await caught(h.rzp.orders.create({ amount: 99, currency: 'INR' }));
    expect(small).toEqual({
      statusCode: 400,
      error: {
        code: 'BAD_REQUEST_ERROR',
        description: 'The amount must be at least INR 1.00',
        field: 'amount',
        source: 'NA',
        step: 'NA',
        reason: 'NA',
        metadata: {},
      },
    });
    const receipt = await caught(
      h.rzp.orders.create({ amount: 100, currency: 'INR', receipt: 'r'.repeat(41) }),
    );
    expect(receipt).toMatchObject({
      statusCode: 400,
      error: { description: 'The receipt may not be greater than 40 characters.', field: 'receipt' },
    });
    const notes = Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`k${index}`, 'v']));
    const many = await caught(h.rzp.orders.create({ amount: 100, currency: 'INR', notes }));
    expect(many).toMatchObject({
      statusCode: 400,
      error: { description: 'Number of fields in notes should be less than or equal to 15' },
    });
    const missing = await caught(h.rzp.orders.create({ currency: 'INR' } as never));
    expect(missing).toMatchObject({
      statusCode: 400,
      error: { description: 'The amount field is required.' },
    });
    const currency = await caught(h.rzp.orders.create({ amount: 100, currency: 'XYZ' }));
    expect(currency).toMatchObject({ statusCode: 400, error: { description: 'Currency is not supported' } });
    const extra = await caught(h.rzp.orders.create({ amount: 100, currency: 'INR', colour: 'red' } as never));
    expect(extra).toMatchObject({
      statusCode: 400,
      error: { description: 'colour is/are not required and should not be sent', field: 'colour' },
    });
    expect(h.dump().orders).toEqual([]);
  });

  it('lists newest first with count, skip, from and to (the SDK always sends count and skip)', async () => {
    const first = await h.rzp.orders.create({ amount: 100, currency: 'INR' });
    h.sim.clock.advanceBy(60_000);
    const second = await h.rzp.orders.create({ amount: 200, currency: 'INR' });
    h.sim.clock.advanceBy(60_000);
    const third = await h.rzp.orders.create({ amount: 300, currency: 'INR' });
    const all = await h.rzp.orders.all();
    expect(all.entity).toBe('collection');
    expect(all.items.map((order) => order.id)).toEqual([third.id, second.id, first.id]);
    const paged = await h.rzp.orders.all({ count: 1, skip: 1 });
    expect(paged).toMatchObject({ count: 1, items: [{ id: second.id }] });
    const window = await h.rzp.orders.all({ from: startSeconds + 60, to: startSeconds + 60 });
    expect(window.items.map((order) => order.id)).toEqual([second.id]);
    const tooMany = await caught(h.rzp.orders.all({ count: 101 }));
    expect(tooMany).toMatchObject({ statusCode: 400, error: { field: 'count' } });
  });

  it('accepts duplicate receipts unless unique receipts are on, then returns the first order', async () => {
    const a = await h.rzp.orders.create({ amount: 100, currency: 'INR', receipt: 'same' });
    const b = await h.rzp.orders.create({ amount: 100, currency: 'INR', receipt: 'same' });
    expect(b.id).not.toBe(a.id);
    const strict = await startRazorpay(2, h.transport, { uniqueReceipts: true });
    try {
      const first = await strict.rzp.orders.create({ amount: 100, currency: 'INR', receipt: 'same' });
      const again = await strict.rzp.orders.create({ amount: 100, currency: 'INR', receipt: 'same' });
      expect(again.id).toBe(first.id);
      expect(strict.dump().orders).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it('takes a form-encoded body as well as JSON', async () => {
    const response = await h.fetch('/v1/orders', {
      method: 'POST',
      headers: { authorization: basicAuth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'amount=500&currency=INR&notes[obligation_id]=ob_9&payment_capture=0',
    });
    expect(response.status).toBe(200);
    const order = (await response.json()) as { id: string; notes: unknown; amount: number };
    expect(order).toMatchObject({ amount: 500, notes: { obligation_id: 'ob_9' } });
    expect(h.dump().orders[0]!.capture).toBe('manual');
  });

  it('lists an order payments (none yet) and answers 400 for an unknown order', async () => {
    const order = await h.rzp.orders.create({ amount: 100, currency: 'INR' });
    expect(await h.rzp.orders.fetchPayments(order.id)).toEqual({ entity: 'collection', count: 0, items: [] });
    const unknown = await caught(h.rzp.orders.fetch('order_DoesNotExist01'));
    expect(unknown).toEqual({
      statusCode: 400,
      error: {
        code: 'BAD_REQUEST_ERROR',
        description: 'The id provided does not exist',
        field: null,
        source: 'NA',
        step: 'NA',
        reason: 'NA',
        metadata: {},
      },
    });
  });
});
