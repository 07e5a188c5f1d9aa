import { HttpClientException } from '@adyen/api-library';
import { describe, expect, it } from 'vitest';
import {
  adyenAndReceiverEachTest,
  type AdyenHarness,
  cardPayment,
  caught,
  merchantAccount,
  startAdyenWebhookReceiver,
} from '../../support/adyen-harness.ts';

let h: AdyenHarness;
let receiver: Awaited<ReturnType<typeof startAdyenWebhookReceiver>>;
adyenAndReceiverEachTest((started) => ({ h, receiver } = started));

const eur = (value: number) => ({ value, currency: 'EUR' });

async function manualPayment(value = 1000, reference = 'order-m') {
  const response = await h.payments.payments(
    cardPayment({ amount: eur(value), reference, additionalData: { manualCapture: 'true' } }),
  );
  return response.pspReference!;
}

async function notifications() {
  await h.fake.flushWebhooks();
  expect(receiver.received.every((request) => request.verified.every(Boolean))).toBe(true);
  return receiver.items();
}

describe('captures', () => {
  it('manual capture: 201 received now, CAPTURE success true by webhook; no money before', async () => {
    const psp = await manualPayment();
    expect(h.fake.dump().payments[0]!.autoCapturedAt).toBeNull();
    const capture = await h.modifications.captureAuthorisedPayment(psp, {
      merchantAccount,
      amount: eur(1000),
      reference: 'cap-1',
    });
    expect(capture).toMatchObject({
      status: 'received',
      paymentPspReference: psp,
      merchantAccount,
      reference: 'cap-1',
      amount: eur(1000),
    });
    expect(capture.pspReference).toMatch(/^[0-9A-Z]{16}$/);
    expect(capture.pspReference).not.toBe(psp);
    const items = await notifications();
    expect(items.map((item) => item.eventCode)).toEqual(['AUTHORISATION', 'CAPTURE']);
    expect(items[1]).toMatchObject({
      pspReference: capture.pspReference,
      originalReference: psp,
      success: 'true',
      merchantReference: 'cap-1',
      amount: eur(1000),
    });
  });

  it('partial captures add up to the authorisation; beyond it CAPTURE says Insufficient balance', async () => {
    const psp = await manualPayment(1000);
    for (const value of [400, 600, 1]) {
      const capture = await h.modifications.captureAuthorisedPayment(psp, {
        merchantAccount,
        amount: eur(value),
      });
      expect(capture.status).toBe('received');
    }
    const captures = (await notifications()).filter((item) => item.eventCode === 'CAPTURE');
    expect(captures.map((item) => [item.amount.value, item.success, item.reason])).toEqual([
      [400, 'true', ''],
      [600, 'true', ''],
      [1, 'false', 'Insufficient balance on payment'],
    ]);
  });

  it('fail_next_capture: accepted (201) but CAPTURE success false and no money moves', async () => {
    const psp = await manualPayment();
    const failed = h.fake.actions.fail_next_capture!({ pspReference: psp, reason: 'Capture declined' });
    expect(failed.status).toBe(200);
    const capture = await h.modifications.captureAuthorisedPayment(psp, {
      merchantAccount,
      amount: eur(1000),
    });
    expect(capture.status).toBe('received');
    const retry = await h.modifications.captureAuthorisedPayment(psp, { merchantAccount, amount: eur(1000) });
    const captures = (await notifications()).filter((item) => item.eventCode === 'CAPTURE');
    expect(captures).toMatchObject([
      { pspReference: capture.pspReference, success: 'false', reason: 'Capture declined' },
      { pspReference: retry.pspReference, success: 'true' },
    ]);
  });

  it('fail_next_capture for a merchant account fails the next capture of a payment not made yet', async () => {
    expect(h.fake.actions.fail_next_capture!({ merchantAccount }).status).toBe(200);
    const psp = await manualPayment();
    await h.modifications.captureAuthorisedPayment(psp, { merchantAccount, amount: eur(1000) });
    await h.modifications.captureAuthorisedPayment(psp, { merchantAccount, amount: eur(1000) });
    const captures = (await notifications()).filter((item) => item.eventCode === 'CAPTURE');
    expect(captures.map((item) => [item.success, item.reason])).toEqual([
      ['false', 'Capture Failed'],
      ['true', ''],
    ]);
  });

  it('captureDelayHours captures automatically that many hours later, with a CAPTURE webhook', async () => {
    const response = await h.payments.payments(cardPayment({ captureDelayHours: 2 }));
    expect((await notifications()).map((item) => item.eventCode)).toEqual(['AUTHORISATION']);
    h.sim.clock.advanceBy(2 * 3_600_000);
    const items = await notifications();
    expect(items[1]).toMatchObject({
      eventCode: 'CAPTURE',
      success: 'true',
      originalReference: response.pspReference,
    });
  });

  it('a capture of an auto-captured payment fails by webhook: nothing left to capture', async () => {
    const psp = (await h.payments.payments(cardPayment())).pspReference!;
    await h.modifications.captureAuthorisedPayment(psp, { merchantAccount, amount: eur(1000) });
    expect((await notifications())[1]).toMatchObject({ eventCode: 'CAPTURE', success: 'false' });
  });
});

describe('refunds', () => {
  it('several partial refunds up to the captured amount; an over-refund fails by webhook', async () => {
    const psp = (await h.payments.payments(cardPayment())).pspReference!;
    const first = await h.modifications.refundCapturedPayment(psp, {
      merchantAccount,
      amount: eur(300),
      reference: 'r1',
    });
    expect(first).toMatchObject({ status: 'received', paymentPspReference: psp, reference: 'r1' });
    await h.modifications.refundCapturedPayment(psp, { merchantAccount, amount: eur(700) });
    await h.modifications.refundCapturedPayment(psp, { merchantAccount, amount: eur(1) });
    const refunds = (await notifications()).filter((item) => item.eventCode === 'REFUND');
    expect(refunds.map((item) => [item.amount.value, item.success])).toEqual([
      [300, 'true'],
      [700, 'true'],
      [1, 'false'],
    ]);
    expect(refunds[0]).toMatchObject({ pspReference: first.pspReference, originalReference: psp });
  });

  it("a refund before capture fails: Transaction hasn't been captured", async () => {
    const psp = await manualPayment();
    await h.modifications.refundCapturedPayment(psp, { merchantAccount, amount: eur(100) });
    expect((await notifications())[1]).toMatchObject({
      eventCode: 'REFUND',
      success: 'false',
      reason: "Transaction hasn't been captured, refund not possible",
    });
  });

  it('fail_next_refund: REFUND success false', async () => {
    const psp = (await h.payments.payments(cardPayment())).pspReference!;
    expect(h.fake.actions.fail_next_refund!({ pspReference: psp }).status).toBe(200);
    await h.modifications.refundCapturedPayment(psp, { merchantAccount, amount: eur(100) });
    expect((await notifications())[1]).toMatchObject({
      eventCode: 'REFUND',
      success: 'false',
      reason: 'Refund Failed',
    });
  });
});

describe('cancels and reversals', () => {
  it('cancels an uncaptured authorisation (CANCELLATION true); a later capture fails', async () => {
    const psp = await manualPayment();
    const cancel = await h.modifications.cancelAuthorisedPaymentByPspReference(psp, { merchantAccount });
    expect(cancel).toMatchObject({ status: 'received', paymentPspReference: psp });
    await h.modifications.captureAuthorisedPayment(psp, { merchantAccount, amount: eur(1000) });
    const items = await notifications();
    expect(items.slice(1).map((item) => [item.eventCode, item.success])).toEqual([
      ['CANCELLATION', 'true'],
      ['CAPTURE', 'false'],
    ]);
  });

  it('a cancel after capture fails', async () => {
    const psp = (await h.payments.payments(cardPayment())).pspReference!;
    await h.modifications.cancelAuthorisedPaymentByPspReference(psp, { merchantAccount });
    expect((await notifications())[1]).toMatchObject({ eventCode: 'CANCELLATION', success: 'false' });
  });

  it('reversals cancel what is uncaptured and refund what is captured (modification.action)', async () => {
    const uncaptured = await manualPayment(1000, 'order-a');
    const captured = (await h.payments.payments(cardPayment({ reference: 'order-b' }))).pspReference!;
    const reversal = await h.modifications.refundOrCancelPayment(uncaptured, { merchantAccount });
    expect(reversal).toMatchObject({ status: 'received', paymentPspReference: uncaptured });
    await h.modifications.refundOrCancelPayment(captured, { merchantAccount });
    const reversals = (await notifications()).filter((item) => item.eventCode === 'CANCEL_OR_REFUND');
    expect(reversals).toMatchObject([
      { originalReference: uncaptured, success: 'true', additionalData: { 'modification.action': 'cancel' } },
      { originalReference: captured, success: 'true', additionalData: { 'modification.action': 'refund' } },
    ]);
  });

  it('a standalone cancel finds the payment by its merchant reference (TECHNICAL_CANCEL)', async () => {
    const psp = await manualPayment(1000, 'order-lost');
    const cancel = await h.modifications.cancelAuthorisedPayment({
      merchantAccount,
      paymentReference: 'order-lost',
    });
    expect(cancel).toMatchObject({ status: 'received', paymentReference: 'order-lost' });
    expect((await notifications())[1]).toMatchObject({
      eventCode: 'TECHNICAL_CANCEL',
      success: 'true',
      originalReference: psp,
    });
  });
});

describe('modifications Adyen cannot act on', () => {
  it('422 167 for an unknown pspReference or a refused payment; nothing is recorded', async () => {
    const unknown = await caught(
      h.modifications.captureAuthorisedPayment('0000000000000000', { merchantAccount, amount: eur(1) }),
    );
    expect(unknown).toBeInstanceOf(HttpClientException);
    expect(unknown).toMatchObject({
      statusCode: 422,
      errorCode: '167',
      apiError: { message: 'Original pspReference required for this operation', errorType: 'validation' },
    });
    const refused = (await h.payments.payments(cardPayment({ holderName: 'DECLINED' }))).pspReference!;
    const refund = await caught(
      h.modifications.refundCapturedPayment(refused, { merchantAccount, amount: eur(1) }),
    );
    expect(refund).toMatchObject({ statusCode: 422, errorCode: '167' });
    expect(h.fake.dump().modifications).toEqual([]);
  });

  it('422 137 for an amount in another currency or of zero', async () => {
    const psp = await manualPayment();
    const usd = await caught(
      h.modifications.captureAuthorisedPayment(psp, {
        merchantAccount,
        amount: { value: 10, currency: 'USD' },
      }),
    );
    expect(usd).toMatchObject({ statusCode: 422, errorCode: '137' });
    const zero = await caught(
      h.modifications.refundCapturedPayment(psp, { merchantAccount, amount: eur(0) }),
    );
    expect(zero).toMatchObject({ statusCode: 422, errorCode: '137' });
  });
});
