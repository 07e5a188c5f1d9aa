import { describe, expect, it } from 'vitest';
import {
  adyenAndReceiverEachTest,
  type AdyenHarness,
  cardPayment,
  merchantAccount,
  startAdyenWebhookReceiver,
} from '../../support/adyen-harness.ts';

let h: AdyenHarness;
let receiver: Awaited<ReturnType<typeof startAdyenWebhookReceiver>>;
adyenAndReceiverEachTest((started) => ({ h, receiver } = started));

const act = (name: string, body: unknown) => h.fake.actions[name]!(body);
const events = async () => {
  await h.fake.flushWebhooks();
  expect(receiver.received.flatMap((request) => request.verified)).not.toContain(false);
  return receiver.items().slice(1);
};

describe('PSP-side actors', () => {
  it('chargeback: NOTIFICATION_OF_CHARGEBACK then CHARGEBACK, then CHARGEBACK_REVERSED', async () => {
    const psp = (await h.payments.payments(cardPayment())).pspReference!;
    const opened = act('chargeback', { pspReference: psp, amount: 600, reasonCode: '4853' });
    expect(opened).toMatchObject({ status: 200, body: { paymentPspReference: psp, status: 'lost' } });
    const dispute = (opened.body as { pspReference: string }).pspReference;
    expect(act('chargeback_reversed', { pspReference: psp }).status).toBe(200);
    const items = await events();
    expect(items.map((item) => item.eventCode)).toEqual([
      'NOTIFICATION_OF_CHARGEBACK',
      'CHARGEBACK',
      'CHARGEBACK_REVERSED',
    ]);
    for (const item of items) {
      expect(item).toMatchObject({ pspReference: dispute, originalReference: psp, amount: { value: 600 } });
    }
    expect(items[1]!.additionalData).toMatchObject({
      chargebackReasonCode: '4853',
      disputeStatus: 'Undefended',
    });
    expect(h.fake.dump().disputes[0]).toMatchObject({ status: 'reversed' });
  });

  it('dashboard_refund: a REFUND nobody asked the API for', async () => {
    const psp = (await h.payments.payments(cardPayment())).pspReference!;
    expect(act('dashboard_refund', { pspReference: psp, amount: 250 }).status).toBe(200);
    expect(await events()).toMatchObject([{ eventCode: 'REFUND', success: 'true', amount: { value: 250 } }]);
    expect(h.fake.dump().modifications[0]).toMatchObject({ origin: 'customer_area', requestId: null });
  });

  it('capture_failed: CAPTURE_FAILED on the capture, after a successful CAPTURE', async () => {
    const psp = (await h.payments.payments(cardPayment({ additionalData: { manualCapture: 'true' } })))
      .pspReference!;
    const capture = await h.modifications.captureAuthorisedPayment(psp, {
      merchantAccount,
      amount: { value: 1000, currency: 'EUR' },
    });
    expect(act('capture_failed', { pspReference: psp }).status).toBe(200);
    expect(await events()).toMatchObject([
      { eventCode: 'CAPTURE', success: 'true', pspReference: capture.pspReference },
      {
        eventCode: 'CAPTURE_FAILED',
        success: 'true',
        pspReference: capture.pspReference,
        originalReference: psp,
      },
    ]);
    expect(act('capture_failed', { pspReference: psp })).toMatchObject({
      status: 422,
      body: { errorCode: '167' },
    });
  });

  it('refund_failed: REFUND_FAILED names the refund that bounced', async () => {
    const psp = (await h.payments.payments(cardPayment())).pspReference!;
    const refund = await h.modifications.refundCapturedPayment(psp, {
      merchantAccount,
      amount: { value: 1000, currency: 'EUR' },
    });
    expect(act('refund_failed', { pspReference: refund.pspReference }).status).toBe(200);
    expect((await events())[1]).toMatchObject({
      eventCode: 'REFUND_FAILED',
      pspReference: refund.pspReference,
    });
  });

  it('refuses bad bodies with 400 fakepsp_admin, and what Adyen would refuse with its own error', () => {
    expect(act('chargeback', { pspReference: 42 })).toMatchObject({
      status: 400,
      body: { error: { type: 'fakepsp_admin' } },
    });
    expect(act('fail_next_capture', { pspReference: 'x', extra: true })).toMatchObject({ status: 400 });
    expect(act('chargeback', { pspReference: 'NOPE000000000000' })).toMatchObject({
      status: 422,
      body: { status: 422, errorCode: '167' },
    });
  });
});
