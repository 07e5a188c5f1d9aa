import { EnvironmentEnum, HttpClientException, hmacValidator, Types } from '@adyen/api-library';
import { describe, expect, it } from 'vitest';
import {
  adyenAndReceiverEachTest,
  type AdyenHarness,
  apiKey,
  cardPayment,
  caught,
  hmacKeyHex,
  merchantAccount,
  startAdyen,
  startAdyenWebhookReceiver,
} from '../../support/adyen-harness.ts';

let h: AdyenHarness;
let receiver: Awaited<ReturnType<typeof startAdyenWebhookReceiver>>;
adyenAndReceiverEachTest((started) => ({ h, receiver } = started));

describe('POST /payments', () => {
  it('authorises and captures at once: Authorised, then one AUTHORISATION the SDK verifies', async () => {
    const response = await h.payments.payments(cardPayment({ reference: 'order-auto' }));
    expect(response).toMatchObject({
      resultCode: Types.checkout.PaymentResponse.ResultCodeEnum.Authorised,
      merchantReference: 'order-auto',
      amount: { value: 1000, currency: 'EUR' },
      paymentMethod: { brand: 'visa', type: 'scheme' },
    });
    expect(response.pspReference).toMatch(/^[0-9A-Z]{16}$/);
    expect(await h.fake.flushWebhooks()).toBe(1);
    const [item] = receiver.items();
    expect(receiver.received[0]!.verified).toEqual([true]);
    expect(new hmacValidator().validateHMAC(item!, hmacKeyHex)).toBe(true);
    expect(item).toMatchObject({
      eventCode: 'AUTHORISATION',
      success: 'true',
      pspReference: response.pspReference,
      merchantAccountCode: merchantAccount,
      merchantReference: 'order-auto',
      amount: { value: 1000, currency: 'EUR' },
      paymentMethod: 'visa',
      operations: ['CANCEL', 'CAPTURE', 'REFUND'],
    });
    expect(item!.originalReference).toBeUndefined();
    expect(item!.eventDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);
    const payment = h.fake.dump().payments[0]!;
    expect(payment.autoCapturedAt).not.toBeNull();
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ live: 'false' });
  });

  it.each([
    ['DECLINED', 'Refused', 'Refused', '2'],
    ['NOT_ENOUGH_BALANCE', 'Refused', 'Not enough balance', '12'],
    ['CARD_EXPIRED', 'Refused', 'Expired Card', '6'],
    ['BLOCK_CARD', 'Refused', 'Blocked Card', '5'],
    ['ISSUER_UNAVAILABLE', 'Refused', 'Issuer Unavailable', '9'],
    ['ERROR', 'Error', 'Acquirer Error', '4'],
    ['UNKNOWN', 'Error', 'Unknown', '0'],
  ])(
    'holderName %s gives 200 %s / %s (%s) and AUTHORISATION success false',
    async (holder, code, reason, n) => {
      const response = await h.payments.payments(cardPayment({ holderName: holder }));
      expect(response).toMatchObject({ resultCode: code, refusalReason: reason, refusalReasonCode: n });
      await h.fake.flushWebhooks();
      expect(receiver.items()[0]).toMatchObject({ eventCode: 'AUTHORISATION', success: 'false', reason });
      expect(h.fake.dump().payments[0]!.autoCapturedAt).toBeNull();
    },
  );

  it('holderName PENDING is Received with no AUTHORISATION until the outcome arrives', async () => {
    const response = await h.payments.payments(cardPayment({ holderName: 'PENDING' }));
    expect(response.resultCode).toBe('Received');
    expect(await h.fake.flushWebhooks()).toBe(0);
    const settled = h.fake.actions.late_authorisation!({ pspReference: response.pspReference });
    expect(settled.status).toBe(200);
    await h.fake.flushWebhooks();
    expect(receiver.items()).toMatchObject([{ eventCode: 'AUTHORISATION', success: 'true' }]);
  });

  it('additionalData.RequestedTestAcquirerResponseCode picks the outcome too', async () => {
    const response = await h.payments.payments(
      cardPayment({ additionalData: { RequestedTestAcquirerResponseCode: '24' } }),
    );
    expect(response).toMatchObject({ resultCode: 'Refused', refusalReason: 'CVC Declined' });
  });

  it('refuses a card whose expiry date has passed in virtual time', async () => {
    const request = cardPayment();
    const response = await h.payments.payments({
      ...request,
      paymentMethod: { ...request.paymentMethod, encryptedExpiryYear: 'test_2025' } as never,
    });
    expect(response).toMatchObject({ resultCode: 'Refused', refusalReason: 'Expired Card' });
  });

  it('accepts a plain card number and reports its brand', async () => {
    const response = await h.payments.payments({
      ...cardPayment(),
      paymentMethod: {
        type: Types.checkout.CardDetails.TypeEnum.Scheme,
        number: '5555444433331111',
        expiryMonth: '03',
        expiryYear: '2030',
        cvc: '737',
        holderName: 'APPROVED',
      },
    });
    expect(response).toMatchObject({ resultCode: 'Authorised', paymentMethod: { brand: 'mc' } });
  });
});

describe('errors arrive as the SDK HttpClientException with Adyen fields', () => {
  it('422 130 Reference Missing', async () => {
    const error = await caught(h.payments.payments({ ...cardPayment(), reference: '' }));
    expect(error).toBeInstanceOf(HttpClientException);
    expect(error).toMatchObject({ statusCode: 422, errorCode: '130' });
    expect((error as HttpClientException).apiError).toMatchObject({
      status: 422,
      errorCode: '130',
      message: 'Reference Missing',
      errorType: 'validation',
    });
    expect(h.fake.dump().payments).toEqual([]);
  });

  it('422 on a bad amount, 100 when it is missing, 138 for a bad currency', async () => {
    const negative = await caught(
      h.payments.payments(cardPayment({ amount: { value: -5, currency: 'EUR' } })),
    );
    expect(negative).toMatchObject({ statusCode: 422, errorCode: '137' });
    const missing = await caught(h.payments.payments({ ...cardPayment(), amount: undefined as never }));
    expect(missing).toMatchObject({ statusCode: 422, errorCode: '100' });
    const currency = await caught(
      h.payments.payments(cardPayment({ amount: { value: 5, currency: 'EURO' } })),
    );
    expect(currency).toMatchObject({ statusCode: 422, errorCode: '138' });
  });

  it('422 101 for a card number that fails Luhn, 14_030 without returnUrl for Ecommerce', async () => {
    const bad = cardPayment();
    const luhn = await caught(
      h.payments.payments({
        ...bad,
        paymentMethod: { ...bad.paymentMethod, encryptedCardNumber: 'test_4111111111111112' } as never,
      }),
    );
    expect(luhn).toMatchObject({ statusCode: 422, errorCode: '101' });
    const noReturn = await caught(h.payments.payments({ ...cardPayment(), returnUrl: undefined as never }));
    expect(noReturn).toMatchObject({
      statusCode: 422,
      errorCode: '14_030',
      apiError: { message: 'Return URL is missing.' },
    });
  });

  it('401 000 without credentials; Basic auth as a web service user is accepted', async () => {
    const anonymous = h.client({ environment: EnvironmentEnum.TEST });
    const error = await caught(anonymous.payments.payments(cardPayment()));
    expect(error).toBeInstanceOf(HttpClientException);
    expect(error).toMatchObject({ statusCode: 401, errorCode: '000', apiError: { errorType: 'security' } });
    const basic = h.client({
      environment: EnvironmentEnum.TEST,
      username: 'ws_123456@Company.Fakepsp',
      password: 'secret',
    });
    expect((await basic.payments.payments(cardPayment())).resultCode).toBe('Authorised');
  });

  it('403 901 for a merchant account the key may not use', async () => {
    await h.close();
    h = await startAdyen(1, undefined, { merchantAccounts: [merchantAccount] });
    const error = await caught(h.payments.payments(cardPayment({ merchantAccount: 'SomeoneElse' })));
    expect(error).toMatchObject({
      statusCode: 403,
      errorCode: '901',
      apiError: { message: 'Invalid Merchant Account' },
    });
    expect((error as HttpClientException).apiError?.pspReference).toMatch(/^[0-9A-Z]{16}$/);
  });

  it('404 in Adyen shape for an unknown path, 400 702 for a body that is not JSON', async () => {
    const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };
    const unknown = await h.fetch('/v72/nowhere', { method: 'POST', headers, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 404, errorType: 'validation' });
    const malformed = await h.fetch('/v72/payments', { method: 'POST', headers, body: '{"amount":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ status: 400, errorCode: '702', errorType: 'validation' });
    const old = await h.fetch('/v71/payments', {
      method: 'POST',
      headers,
      body: JSON.stringify(cardPayment()),
    });
    expect(old.status).toBe(200);
    expect(old.headers.get('pspreference')).toMatch(/^[0-9A-Z]{16}$/);
  });
});
