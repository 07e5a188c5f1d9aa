import { HttpClientException, Types } from '@adyen/api-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AdyenHarness,
  cardPayment,
  caught,
  merchantAccount,
  startAdyen,
} from '../../support/adyen-harness.ts';

let h: AdyenHarness;
beforeEach(async () => (h = await startAdyen()));
afterEach(() => h.close());

const { ShopperInteractionEnum, RecurringProcessingModelEnum } = Types.checkout.PaymentRequest;

/** A zero-value authorisation that stores the card for later subscription charges. */
async function storeCard(shopperReference: string, holderName = 'John Smith') {
  const response = await h.payments.payments(
    cardPayment({
      amount: { value: 0, currency: 'EUR' },
      reference: `card:${shopperReference}`,
      holderName,
      shopperReference,
      storePaymentMethod: true,
      shopperInteraction: ShopperInteractionEnum.Ecommerce,
      recurringProcessingModel: RecurringProcessingModelEnum.Subscription,
    }),
  );
  return response;
}

// A merchant-initiated charge has no shopper to return: Adyen needs no returnUrl, though the
// SDK's type (after the spec) asks for one.
type ContAuthRequest = Omit<Types.checkout.PaymentRequest, 'returnUrl'>;
const contAuth = (request: ContAuthRequest) => h.payments.payments(request as Types.checkout.PaymentRequest);

function renewal(shopperReference: string, storedPaymentMethodId: string, reference = 'renewal-1') {
  return contAuth({
    amount: { value: 2500, currency: 'EUR' },
    merchantAccount,
    reference,
    paymentMethod: { type: Types.checkout.CardDetails.TypeEnum.Scheme, storedPaymentMethodId },
    shopperReference,
    shopperInteraction: ShopperInteractionEnum.ContAuth,
    recurringProcessingModel: RecurringProcessingModelEnum.Subscription,
  });
}

describe('tokenization and recurring charges', () => {
  it('stores the card with a zero-value auth and returns the token in additionalData', async () => {
    const response = await storeCard('cust_1');
    expect(response.resultCode).toBe('Authorised');
    const token = response.additionalData?.['tokenization.storedPaymentMethodId'];
    expect(token).toMatch(/^[0-9A-Z]{16}$/);
    expect(response.additionalData).toMatchObject({
      'tokenization.shopperReference': 'cust_1',
      'tokenization.store.operationType': 'created',
      'recurring.recurringDetailReference': token,
    });
    expect(h.fake.dump().payments[0]!.autoCapturedAt).toBeNull();
    const again = await storeCard('cust_1');
    expect(again.additionalData).toMatchObject({
      'tokenization.storedPaymentMethodId': token,
      'tokenization.store.operationType': 'alreadyExisting',
    });
  });

  it('charges the stored card with ContAuth and no returnUrl', async () => {
    const token = (await storeCard('cust_2')).additionalData!['tokenization.storedPaymentMethodId']!;
    const charge = await renewal('cust_2', token);
    expect(charge).toMatchObject({ resultCode: 'Authorised', amount: { value: 2500 } });
    expect(h.fake.dump().payments[1]).toMatchObject({
      storedPaymentMethodId: token,
      shopperReference: 'cust_2',
    });
  });

  it('a card stored as NOT_ENOUGH_BALANCE tokenizes fine, and every later charge is Refused', async () => {
    const stored = await storeCard('cust_3', 'NOT_ENOUGH_BALANCE');
    expect(stored.resultCode).toBe('Authorised');
    const token = stored.additionalData!['tokenization.storedPaymentMethodId']!;
    for (const reference of ['renewal-1', 'renewal-2']) {
      const charge = await renewal('cust_3', token, reference);
      expect(charge).toMatchObject({
        resultCode: 'Refused',
        refusalReason: 'Not enough balance',
        refusalReasonCode: '12',
      });
    }
  });

  it('storing the same card with another holder name updates the token and its outcome', async () => {
    const token = (await storeCard('cust_7')).additionalData!['tokenization.storedPaymentMethodId']!;
    const updated = await storeCard('cust_7', 'DECLINED');
    expect(updated.additionalData).toMatchObject({
      'tokenization.storedPaymentMethodId': token,
      'tokenization.store.operationType': 'updated',
    });
    expect(await renewal('cust_7', token)).toMatchObject({ resultCode: 'Refused', refusalReason: 'Refused' });
  });

  it('422 800 Contract not found for an unknown token or another shopper, 000 without a shopper', async () => {
    const token = (await storeCard('cust_4')).additionalData!['tokenization.storedPaymentMethodId']!;
    const unknown = await caught(renewal('cust_4', 'NOSUCHTOKEN00000'));
    expect(unknown).toBeInstanceOf(HttpClientException);
    expect(unknown).toMatchObject({
      statusCode: 422,
      errorCode: '800',
      apiError: { message: 'Contract not found' },
    });
    expect(await caught(renewal('cust_other', token))).toMatchObject({ statusCode: 422, errorCode: '800' });
    const anonymous = await caught(
      contAuth({
        amount: { value: 100, currency: 'EUR' },
        merchantAccount,
        reference: 'x',
        paymentMethod: { type: Types.checkout.CardDetails.TypeEnum.Scheme, storedPaymentMethodId: token },
        shopperInteraction: ShopperInteractionEnum.ContAuth,
      }),
    );
    expect(anonymous).toMatchObject({ statusCode: 422, errorCode: '000' });
  });

  it('lists stored cards in /paymentMethods and /storedPaymentMethods, and deletes one (204)', async () => {
    const token = (await storeCard('cust_5')).additionalData!['tokenization.storedPaymentMethodId']!;
    const methods = await h.payments.paymentMethods({ merchantAccount, shopperReference: 'cust_5' });
    expect(methods.paymentMethods?.[0]).toMatchObject({ type: 'scheme' });
    expect(methods.storedPaymentMethods).toMatchObject([{ id: token, brand: 'visa', lastFour: '1111' }]);
    const listed = await h.recurring.getTokensForStoredPaymentDetails('cust_5', merchantAccount);
    expect(listed).toMatchObject({ shopperReference: 'cust_5', storedPaymentMethods: [{ id: token }] });
    await h.recurring.deleteTokenForStoredPaymentDetails(token, 'cust_5', merchantAccount);
    const after = await h.recurring.getTokensForStoredPaymentDetails('cust_5', merchantAccount);
    expect(after.storedPaymentMethods).toEqual([]);
    expect(await caught(renewal('cust_5', token))).toMatchObject({ statusCode: 422, errorCode: '800' });
    const again = await caught(
      h.recurring.deleteTokenForStoredPaymentDetails(token, 'cust_5', merchantAccount),
    );
    expect(again).toMatchObject({ statusCode: 422, errorCode: '800' });
  });

  it('stores a card without a payment through POST /storedPaymentMethods (201)', async () => {
    const stored = await h.recurring.storedPaymentMethods({
      merchantAccount,
      shopperReference: 'cust_6',
      recurringProcessingModel:
        Types.checkout.StoredPaymentMethodRequest.RecurringProcessingModelEnum.Subscription,
      paymentMethod: {
        type: 'scheme',
        encryptedCardNumber: 'test_5555444433331111',
        encryptedExpiryMonth: 'test_03',
        encryptedExpiryYear: 'test_2030',
      },
    });
    expect(stored).toMatchObject({ brand: 'mc', lastFour: '1111', shopperReference: 'cust_6' });
    expect((await renewal('cust_6', stored.id!)).resultCode).toBe('Authorised');
  });
});
