import { describe, expect, it } from 'vitest';
import { cardBody, directAdyen } from './adyen/direct.ts';
import { directRazorpay } from './razorpay/direct.ts';

// As `serve` runs the fakes, but spilling every kind past its first object and keeping one
// object as it is: every read past the last write comes back from the file.
const asServe = { spill: { after: 1, recent: 1 }, freezeState: false } as const;

/** A run of payments, captures, refunds and cancels; every answer, in order. */
async function adyenRun(options: typeof asServe | Record<string, never>) {
  const adyen = directAdyen(5, options);
  const answers: unknown[] = [];
  const call = async (path: string, body: unknown) => {
    const { status, body: answer } = await adyen.call('POST', path, body);
    answers.push([status, answer]);
    return answer;
  };
  const references: string[] = [];
  for (let n = 0; n < 4; n++) {
    const manual = n % 2 === 1 ? { captureDelayHours: 0, additionalData: { manualCapture: 'true' } } : {};
    const paid = await call('/v72/payments', cardBody({ reference: `order-${n}`, ...manual }));
    references.push(paid.pspReference as string);
  }
  const amount = { value: 400, currency: 'EUR' };
  await call(`/v72/payments/${references[1]}/captures`, { merchantAccount: 'FakepspECOM', amount });
  for (const reference of [references[0], references[1], references[0]])
    await call(`/v72/payments/${reference}/refunds`, { merchantAccount: 'FakepspECOM', amount });
  await call(`/v72/payments/${references[3]}/cancels`, { merchantAccount: 'FakepspECOM' });
  await call(`/v72/payments/${references[2]}/refunds`, {
    merchantAccount: 'FakepspECOM',
    amount: { value: 9_999, currency: 'EUR' },
  });
  return { adyen, answers };
}

/** Orders, checkouts, refunds, a dispute, then the list pages and single reads a reconciliation makes. */
async function razorpayRun(options: typeof asServe | Record<string, never>) {
  const r = directRazorpay(5, options);
  const answers: unknown[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const { status, body: answer } = await r.call(method, path, body);
    answers.push([status, answer]);
    return answer;
  };
  const payments: string[] = [];
  for (let n = 0; n < 4; n++) {
    const order = await call('POST', '/v1/orders', {
      amount: 1_000 * (n + 1),
      currency: 'INR',
      receipt: `r-${n}`,
    });
    payments.push(r.act('checkout', { order_id: order.id }).razorpay_payment_id as string);
  }
  await call('POST', `/v1/payments/${payments[0]}/refund`, { amount: 300 });
  await call('POST', `/v1/payments/${payments[0]}/refund`, { amount: 200 });
  answers.push(r.act('dispute', { payment_id: payments[1], outcome: 'lost', amount: 100 }));
  await call('GET', '/v1/orders?count=2');
  await call('GET', '/v1/payments?count=3&skip=1');
  await call('GET', `/v1/payments/${payments[0]}/refunds`);
  await call('GET', `/v1/payments/${payments[2]}`);
  return { r, answers };
}

/** The HTTP statuses among a run's answers (a harness action's answer has none). */
const statuses = (answers: readonly unknown[]) =>
  answers.filter((answer) => Array.isArray(answer)).map((answer) => (answer as [number])[0]);

describe('fakes that spill their stores (a long `serve`)', () => {
  it('Adyen answers, journals and dumps exactly as it does in memory', async () => {
    const kept = await adyenRun({});
    const spilled = await adyenRun(asServe);
    expect(statuses(kept.answers)).toEqual([200, 200, 200, 200, 201, 201, 201, 201, 201, 201]);
    expect(spilled.answers).toEqual(kept.answers);
    expect(spilled.adyen.sim.journal.hash()).toBe(kept.adyen.sim.journal.hash());
    expect(spilled.adyen.fake.dump()).toEqual(kept.adyen.fake.dump());
    const { store } = spilled.adyen.fake.runtime;
    expect([store.payments.spilled, store.modifications.spilled, store.events.spilled]).toEqual([
      true,
      true,
      true,
    ]);
    expect(kept.adyen.fake.runtime.store.payments.spilled).toBe(false);
  });

  it('Razorpay answers, journals and dumps exactly as it does in memory', async () => {
    const kept = await razorpayRun({});
    const spilled = await razorpayRun(asServe);
    expect(statuses(kept.answers)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200]);
    expect(spilled.answers).toEqual(kept.answers);
    expect(spilled.r.sim.journal.hash()).toBe(kept.r.sim.journal.hash());
    expect(spilled.r.dump()).toEqual(kept.r.dump());
    const { store } = spilled.r.fake.runtime;
    expect([
      store.orders.spilled,
      store.payments.spilled,
      store.refunds.spilled,
      store.events.spilled,
    ]).toEqual([true, true, true, true]);
  });
});
