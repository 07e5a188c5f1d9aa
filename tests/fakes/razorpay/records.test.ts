import { describe, expect, it } from 'vitest';
import { razorpayRecords } from '../../../src/assertions/records/razorpay.ts';
import { reconcile } from '../../../src/assertions/reconcile.ts';
import { razorpayTestCards } from '../../../src/fakes/razorpay/index.ts';
import type { LedgerTransaction } from '../../../src/sut/contract.ts';
import { directRazorpay } from './direct.ts';

const day = Date.UTC(2026, 0, 1);

/** A small run: two customers, captures, refunds (one failing later), a late capture, disputes. */
async function flow() {
  const r = directRazorpay(7);
  const customer = (
    await r.call('POST', '/v1/customers', { email: 'a@example.com', notes: { fakepsp_customer_id: 'c_1' } })
  ).body;
  const orderA = (
    await r.call('POST', '/v1/orders', {
      amount: 10_000,
      currency: 'INR',
      receipt: 'r-1',
      customer_id: customer.id,
      notes: { obligation_id: 'ob_1' },
    })
  ).body;
  const pay1 = r.act('checkout', { order_id: orderA.id }).razorpay_payment_id as string;
  r.sim.clock.advanceBy(60_000);
  const refund = (
    await r.call(
      'POST',
      `/v1/payments/${pay1}/refund`,
      { amount: 3_000, notes: { request_id: 'rq_1' } },
      {
        'x-refund-idempotency': 'refund-key-01',
      },
    )
  ).body;
  const dashboard = r.act('dashboard_refund', { payment_id: pay1, amount: 2_000 });
  r.sim.clock.advanceBy(60_000);
  r.act('fail_refund', { refund_id: dashboard.id });
  const lost = r.act('dispute', { payment_id: pay1, outcome: 'lost', amount: 1_000 });
  const orderB = (
    await r.call('POST', '/v1/orders', {
      amount: 5_000,
      currency: 'INR',
      receipt: 'r-2',
      notes: { fakepsp_customer_id: 'c_2' },
    })
  ).body;
  const failed = r.act('checkout', { order_id: orderB.id, card: razorpayTestCards.cardDeclined });
  const pay2 = failed.error.metadata.payment_id as string;
  r.act('late_capture', { payment_id: pay2 });
  const won = r.act('dispute', { payment_id: pay2, outcome: 'won' });
  const orderC = (await r.call('POST', '/v1/orders', { amount: 700, currency: 'INR', payment_capture: 0 }))
    .body;
  const pay3 = r.act('checkout', { order_id: orderC.id }).razorpay_payment_id as string;
  return { r, customer, orderA, orderB, orderC, pay1, pay2, pay3, refund, dashboard, lost, won };
}

describe('razorpayRecords', () => {
  it('turns a run into movements, objects and customers', async () => {
    const f = await flow();
    const records = razorpayRecords(f.r.dump());
    expect(records.psp).toBe('razorpay');
    expect(records.movements.map((m) => [m.kind, m.objectId, m.amountMinor])).toEqual([
      ['capture', f.pay1, 10_000],
      ['capture', f.pay2, 5_000],
      ['refund', f.refund.id, 3_000],
      ['refund', f.dashboard.id, 2_000],
      ['refund_reversal', f.dashboard.id, 2_000],
      ['dispute_withdrawal', f.lost.id, 1_000],
    ]);
    const [capture1, capture2, refund, dashboard, reversal, dispute] = records.movements;
    expect(capture1).toMatchObject({
      psp: 'razorpay',
      objectType: 'payment',
      parentId: null,
      aliases: [f.orderA.id],
      account: null,
      pspCustomerId: f.customer.id,
      customerId: 'c_1',
      currency: 'inr',
      at: new Date(day).toISOString(),
      obligationKeys: ['metadata:obligation_id=ob_1', 'receipt:r-1'],
      status: 'captured',
      requestIds: [],
    });
    const eventTypes = (ids: readonly string[]) =>
      ids.map((id) => f.r.dump().events.find((event) => event.id === id)!.event);
    expect(eventTypes(capture1!.eventIds)).toEqual(['payment.captured', 'order.paid']);
    expect(capture2).toMatchObject({
      customerId: 'c_2',
      pspCustomerId: null,
      obligationKeys: ['receipt:r-2'],
    });
    expect(refund).toMatchObject({
      objectType: 'refund',
      parentId: f.pay1,
      customerId: 'c_1',
      obligationKeys: ['idempotency:refund-key-01', 'metadata:request_id=rq_1'],
      at: new Date(day + 60_000).toISOString(),
    });
    expect(refund!.requestIds).toHaveLength(1);
    expect(eventTypes(refund!.eventIds)).toEqual(['refund.created', 'refund.processed']);
    expect(dashboard).toMatchObject({ requestIds: [], obligationKeys: [], status: 'failed' });
    expect(reversal).toMatchObject({ at: new Date(day + 120_000).toISOString() });
    expect(eventTypes(reversal!.eventIds)).toEqual(['refund.failed']);
    expect(dispute).toMatchObject({
      objectType: 'dispute',
      parentId: f.pay1,
      status: 'lost',
      customerId: 'c_1',
    });
    const objects = Object.fromEntries(records.objects.map((o) => [o.objectId, o]));
    expect(objects[f.orderA.id]).toMatchObject({ objectType: 'order', status: 'paid', customerId: 'c_1' });
    expect(objects[f.pay3]).toMatchObject({
      objectType: 'payment',
      status: 'authorized',
      parentId: f.orderC.id,
    });
    expect(objects[f.won.id]).toMatchObject({ objectType: 'dispute', status: 'won', parentId: f.pay2 });
    expect(records.customers).toEqual([{ psp: 'razorpay', pspCustomerId: f.customer.id, customerId: 'c_1' }]);
  });

  it('a failed payment is an object, not a movement; a recurring debit names its request', async () => {
    const r = directRazorpay(8);
    const customer = (await r.call('POST', '/v1/customers', { email: 'b@example.com' })).body;
    const token = r.act('authorize_mandate', {
      customer_id: customer.id,
      card: razorpayTestCards.timedOut,
    }).token_id;
    const order = (
      await r.call('POST', '/v1/orders', { amount: 900, currency: 'INR', notes: { topup_id: 't_1' } })
    ).body;
    const debit = {
      email: 'b@example.com',
      contact: '9000090000',
      amount: 900,
      currency: 'INR',
      recurring: true,
    };
    const answer = await r.call('POST', '/v1/payments/create/recurring', {
      ...debit,
      order_id: order.id,
      customer_id: customer.id,
      token,
    });
    expect(answer.status).toBe(200);
    await r.fake.flushWebhooks();
    const records = razorpayRecords(r.dump());
    expect(records.movements).toEqual([]);
    expect(records.objects.find((o) => o.objectId === answer.body.razorpay_payment_id)).toMatchObject({
      status: 'failed',
      pspCustomerId: customer.id,
    });
    const ok = directRazorpay(9);
    const c = (await ok.call('POST', '/v1/customers', { email: 'c@example.com' })).body;
    const t = ok.act('authorize_mandate', { customer_id: c.id }).token_id;
    const o = (
      await ok.call('POST', '/v1/orders', { amount: 900, currency: 'INR', notes: { topup_id: 't_1' } })
    ).body;
    const paid = await ok.call('POST', '/v1/payments/create/recurring', {
      ...debit,
      order_id: o.id,
      customer_id: c.id,
      token: t,
    });
    await ok.fake.flushWebhooks();
    const [movement] = razorpayRecords(ok.dump()).movements;
    expect(movement).toMatchObject({
      objectId: paid.body.razorpay_payment_id,
      obligationKeys: ['metadata:topup_id=t_1'],
    });
    const request = ok.sim.journal
      .records()
      .find(
        (record) =>
          record.kind === 'request' && (record.data as { path: string }).path.endsWith('/recurring'),
      )!;
    expect(movement!.requestIds).toEqual([(request.data as { requestId: string }).requestId]);
  });

  it('reconciles cleanly against a ledger that booked everything, and names what it did not', async () => {
    const f = await flow();
    const records = razorpayRecords(f.r.dump());
    const cash = 'psp:razorpay:cash';
    const book = (
      id: string,
      customerId: string,
      type: string,
      ref: string,
      amount: number,
    ): LedgerTransaction => ({
      id,
      at: new Date(day).toISOString(),
      kind: amount > 0 ? 'payment' : 'refund',
      customerId,
      ref: { psp: 'razorpay', type, id: ref },
      postings: [
        { account: cash, amount, currency: 'inr' },
        {
          account: amount > 0 ? `customer:${customerId}:receivable` : 'revenue:refunds',
          amount: -amount,
          currency: 'inr',
        },
      ],
    });
    const transactions = [
      book('t1', 'c_1', 'payment', f.pay1, 10_000),
      book('t2', 'c_2', 'payment', f.pay2, 5_000),
      book('t3', 'c_1', 'refund', f.refund.id, -3_000),
      book('t4', 'c_1', 'refund', f.dashboard.id, -2_000),
      book('t5', 'c_1', 'refund', f.dashboard.id, 2_000),
      book('t6', 'c_1', 'dispute', f.lost.id, -1_000),
    ];
    const clean = reconcile({ ledger: { transactions }, psps: [records], journal: f.r.sim.journal });
    expect(clean.breaks).toEqual([]);
    const missing = reconcile({
      ledger: { transactions: transactions.slice(1) },
      psps: [records],
      journal: f.r.sim.journal,
    });
    const [gap] = missing.breaks;
    expect(missing.breaks).toHaveLength(1);
    expect(gap).toMatchObject({ kind: 'missing_in_ledger', customer: 'c_1', pspObjects: [{ id: f.pay1 }] });
    // The witness reaches the checkout action and the events that announced the capture.
    const kinds = gap!.witness.records.map((record) => record.kind);
    expect(kinds).toContain('action');
    expect(kinds).toContain('event');
  });
});
