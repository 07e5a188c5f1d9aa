import { HttpClientException, Types } from '@adyen/api-library';
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

/** A payment with Adyen's 3D Secure 2 test Visa, enrolled at the issuer. */
function threeDSPayment(
  overrides: Partial<Types.checkout.PaymentRequest> = {},
): Types.checkout.PaymentRequest {
  const payment = cardPayment(overrides);
  return {
    ...payment,
    paymentMethod: { ...payment.paymentMethod, encryptedCardNumber: 'test_4917610000000000' },
  } as Types.checkout.PaymentRequest;
}

const items = () => receiver.received.flatMap((request) => request.items);

describe('3D Secure 2 through /payments/details', () => {
  it('a 3DS2 test card redirects the shopper; after the challenge, /payments/details authorises it', async () => {
    const started = await h.payments.payments(threeDSPayment());
    expect(started.resultCode).toBe('RedirectShopper');
    expect(started.action).toMatchObject({ type: 'redirect', method: 'GET', paymentMethodType: 'scheme' });
    expect((started.action as Types.checkout.CheckoutRedirectAction).url).toMatch(
      /^https:\/\/checkoutshopper-test\.adyen\.com\/.+\/threeDS\/redirect\?MD=/,
    );
    await h.fake.flushWebhooks();
    expect(items()).toEqual([]);
    const capture = await caught(
      h.modifications.captureAuthorisedPayment(started.pspReference!, {
        merchantAccount,
        amount: { value: 1000, currency: 'EUR' },
      }),
    );
    expect(capture).toMatchObject({ statusCode: 422, errorCode: '167' });
    const browser = h.fake.actions.complete_3ds!({ pspReference: started.pspReference }).body as {
      redirectResult: string;
    };
    const details = await h.payments.paymentsDetails({ details: { redirectResult: browser.redirectResult } });
    expect(details).toMatchObject({
      resultCode: 'Authorised',
      pspReference: started.pspReference,
      merchantReference: 'order-1',
      amount: { value: 1000, currency: 'EUR' },
    });
    const again = await h.payments.paymentsDetails({ details: { redirectResult: browser.redirectResult } });
    expect(again).toEqual(details);
    await h.fake.flushWebhooks();
    expect(items().map((item) => [item.eventCode, item.success, item.pspReference])).toEqual([
      ['AUTHORISATION', 'true', started.pspReference],
    ]);
    expect(receiver.received.every((request) => request.verified.every(Boolean))).toBe(true);
  });

  it('the native flow challenges in place (ChallengeShopper); a failed challenge is Refused "3D Not Authenticated"', async () => {
    const started = await h.payments.payments(
      threeDSPayment({
        authenticationData: {
          threeDSRequestData: {
            nativeThreeDS: Types.checkout.ThreeDSRequestData.NativeThreeDSEnum.Preferred,
          },
        },
      }),
    );
    expect(started.resultCode).toBe('ChallengeShopper');
    const action = started.action as Types.checkout.CheckoutThreeDS2Action;
    expect(action).toMatchObject({ type: 'threeDS2', subtype: 'challenge', paymentMethodType: 'scheme' });
    const component = h.fake.actions.complete_3ds!({ pspReference: started.pspReference, outcome: 'failure' })
      .body as { threeDSResult: string };
    const details = await h.payments.paymentsDetails({
      details: { threeDSResult: component.threeDSResult },
      paymentData: action.paymentData!,
    });
    expect(details).toMatchObject({
      resultCode: 'Refused',
      refusalReason: '3D Not Authenticated',
      refusalReasonCode: '11',
    });
    await h.fake.flushWebhooks();
    expect(items().map((item) => [item.eventCode, item.success])).toEqual([['AUTHORISATION', 'false']]);
  });

  it('details that name no payment awaiting authentication are a 422; a plain card needs no challenge', async () => {
    const error = await caught(h.payments.paymentsDetails({ details: { redirectResult: 'bm9wZQ==' } }));
    expect(error).toBeInstanceOf(HttpClientException);
    expect(error).toMatchObject({ statusCode: 422, errorCode: '702' });
    expect((await h.payments.payments(cardPayment())).resultCode).toBe('Authorised');
    const never = await h.payments.payments(
      threeDSPayment({
        authenticationData: {
          attemptAuthentication: Types.checkout.AuthenticationData.AttemptAuthenticationEnum.Never,
        },
      }),
    );
    expect(never.resultCode).toBe('Authorised');
  });
});

describe('authorisation adjustments (/payments/{pspReference}/amountUpdates)', () => {
  it('raises an open authorisation: 201 received, AUTHORISATION_ADJUSTMENT, then a capture of the new amount', async () => {
    const payment = await h.payments.payments(cardPayment({ additionalData: { manualCapture: 'true' } }));
    const update = await h.modifications.updateAuthorisedAmount(payment.pspReference!, {
      merchantAccount,
      amount: { value: 1500, currency: 'EUR' },
      reference: 'extra-night',
      industryUsage: Types.checkout.PaymentAmountUpdateRequest.IndustryUsageEnum.DelayedCharge,
    });
    expect(update).toMatchObject({
      status: 'received',
      paymentPspReference: payment.pspReference,
      reference: 'extra-night',
      amount: { value: 1500, currency: 'EUR' },
    });
    expect(update.pspReference).not.toBe(payment.pspReference);
    await h.modifications.captureAuthorisedPayment(payment.pspReference!, {
      merchantAccount,
      amount: { value: 1500, currency: 'EUR' },
    });
    await h.fake.flushWebhooks();
    expect(items().map((item) => [item.eventCode, item.success, item.amount.value])).toEqual([
      ['AUTHORISATION', 'true', 1000],
      ['AUTHORISATION_ADJUSTMENT', 'true', 1500],
      ['CAPTURE', 'true', 1500],
    ]);
    const adjustment = items()[1]!;
    expect(adjustment).toMatchObject({
      pspReference: update.pspReference,
      originalReference: payment.pspReference,
    });
    expect(receiver.received.every((request) => request.verified.every(Boolean))).toBe(true);
  });

  it('an authorisation captured already is not adjusted: the webhook says success "false"', async () => {
    const payment = await h.payments.payments(cardPayment());
    const update = await h.modifications.updateAuthorisedAmount(payment.pspReference!, {
      merchantAccount,
      amount: { value: 2000, currency: 'EUR' },
    });
    expect(update.status).toBe('received');
    await h.fake.flushWebhooks();
    expect(items().at(-1)).toMatchObject({ eventCode: 'AUTHORISATION_ADJUSTMENT', success: 'false' });
    const currency = await caught(
      h.modifications.updateAuthorisedAmount(payment.pspReference!, {
        merchantAccount,
        amount: { value: 2000, currency: 'USD' },
      }),
    );
    expect(currency).toMatchObject({ statusCode: 422, errorCode: '137' });
  });
});
