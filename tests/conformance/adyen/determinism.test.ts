import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cardPayment,
  hmacKeyHex,
  merchantAccount,
  startAdyen,
  startAdyenWebhookReceiver,
} from '../../support/adyen-harness.ts';

let receiver: Awaited<ReturnType<typeof startAdyenWebhookReceiver>>;
let statuses: number[] = [];
beforeAll(
  async () => (receiver = await startAdyenWebhookReceiver(hmacKeyHex, () => statuses.shift() ?? 200)),
);
afterAll(() => receiver.close());

// A scripted run through the official SDK: the journal must depend on the seed and what the SUT did.
async function scriptedRun(seed: number, receiverStatuses: number[]) {
  statuses = [...receiverStatuses];
  const h = await startAdyen(seed);
  try {
    h.fake.registerWebhook({ url: receiver.url, hmacKeyHex });
    const payment = await h.payments.payments(
      cardPayment({
        additionalData: { manualCapture: 'true' },
        shopperReference: 'cust_d',
        storePaymentMethod: true,
      }),
      { idempotencyKey: 'det-1' },
    );
    await h.modifications.captureAuthorisedPayment(payment.pspReference!, {
      merchantAccount,
      amount: { value: 1000, currency: 'EUR' },
    });
    await h.modifications.refundCapturedPayment(payment.pspReference!, {
      merchantAccount,
      amount: { value: 200, currency: 'EUR' },
    });
    h.fake.actions.chargeback!({ pspReference: payment.pspReference });
    await h.fake.flushWebhooks();
    h.sim.clock.advanceBy(3_600_000);
    await h.fake.flushWebhooks();
    return { hash: h.sim.journal.hash(), jsonl: h.sim.journal.toJsonl(), psp: payment.pspReference };
  } finally {
    await h.close();
  }
}

describe('determinism', () => {
  it('gives the same journal, byte for byte, for the same seed; another seed gives another', async () => {
    const first = await scriptedRun(21, [500]);
    const second = await scriptedRun(21, [500]);
    const other = await scriptedRun(22, [500]);
    expect(second.jsonl).toBe(first.jsonl);
    expect(second.hash).toBe(first.hash);
    expect(other.hash).not.toBe(first.hash);
    expect(other.psp).not.toBe(first.psp);
  });

  it('changes the hash when the receiver behaves differently', async () => {
    const failing = await scriptedRun(21, [500]);
    const healthy = await scriptedRun(21, []);
    expect(healthy.hash).not.toBe(failing.hash);
  });
});
