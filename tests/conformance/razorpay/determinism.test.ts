import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { razorpayTestCards } from '../../../src/fakes/razorpay/index.ts';
import {
  refundIdempotency,
  startRazorpay,
  startRazorpayWebhookReceiver,
  webhookSecret,
} from '../../support/razorpay-harness.ts';

let receiver: Awaited<ReturnType<typeof startRazorpayWebhookReceiver>>;
let statuses: number[] = [];
beforeAll(
  async () => (receiver = await startRazorpayWebhookReceiver(webhookSecret, () => statuses.shift() ?? 200)),
);
afterAll(() => receiver.close());

// A scripted run through the official SDK: the journal must depend on the seed and what the SUT did.
async function scriptedRun(seed: number, receiverStatuses: number[]) {
  statuses = [...receiverStatuses];
  const h = await startRazorpay(seed);
  try {
    h.fake.registerWebhook({ url: receiver.url, secret: webhookSecret });
    const customer = await h.rzp.customers.create({ name: 'D', email: 'd@example.com' });
    const token = (
      h.fake.actions.authorize_mandate!({ customer_id: customer.id }).body as { token_id: string }
    ).token_id;
    const order = await h.rzp.orders.create({ amount: 5_000, currency: 'INR', receipt: 'det-1' });
    const debit = await h.rzp.payments.createRecurringPayment({
      email: 'd@example.com',
      contact: '9000090000',
      amount: 5_000,
      currency: 'INR',
      order_id: order.id,
      customer_id: customer.id,
      token,
      recurring: true,
    } as never);
    await h.fake.flushWebhooks();
    const key = refundIdempotency(h.rzp);
    key.set('determinism-1');
    await h.rzp.payments.refund(debit.razorpay_payment_id!, { amount: 1_000 });
    const failing = await h.rzp.orders.create({ amount: 700, currency: 'INR' });
    h.fake.actions.checkout!({ order_id: failing.id, card: razorpayTestCards.cardDeclined });
    await h.fake.flushWebhooks();
    h.sim.clock.advanceBy(3_600_000);
    await h.fake.flushWebhooks();
    return { hash: h.sim.journal.hash(), jsonl: h.sim.journal.toJsonl(), order: order.id };
  } finally {
    await h.close();
  }
}

describe('determinism', () => {
  it('gives the same journal, byte for byte, for the same seed; another seed gives another', async () => {
    const first = await scriptedRun(31, [500]);
    const second = await scriptedRun(31, [500]);
    const other = await scriptedRun(32, [500]);
    expect(second.jsonl).toBe(first.jsonl);
    expect(second.hash).toBe(first.hash);
    expect(other.hash).not.toBe(first.hash);
    expect(other.order).not.toBe(first.order);
  });

  it('changes the hash when the receiver behaves differently', async () => {
    const failing = await scriptedRun(31, [500]);
    const healthy = await scriptedRun(31, []);
    expect(healthy.hash).not.toBe(failing.hash);
  });
});
