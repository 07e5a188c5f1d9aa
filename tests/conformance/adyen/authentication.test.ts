import { EnvironmentEnum, HttpClientException } from '@adyen/api-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AdyenHarness,
  cardPayment,
  caught,
  merchantAccount,
  startAdyen,
} from '../../support/adyen-harness.ts';

let h: AdyenHarness;
beforeEach(async () => {
  h = await startAdyen(1, undefined, {
    apiKeys: [
      { apiKey: 'AQE_fakepsp_test_key' },
      { apiKey: 'AQE_ecom_only', merchantAccounts: [merchantAccount] },
    ],
  });
});
afterEach(() => h.close());

describe('API keys, as Adyen checks them', () => {
  it('a key the account does not have → 401 000 "HTTP Status Response - Unauthorized", nothing made', async () => {
    const stranger = h.client({ apiKey: 'AQE_revoked_key', environment: EnvironmentEnum.TEST });
    const error = await caught(stranger.payments.payments(cardPayment()));
    expect(error).toBeInstanceOf(HttpClientException);
    expect(error).toMatchObject({
      statusCode: 401,
      errorCode: '000',
      apiError: {
        status: 401,
        errorCode: '000',
        message: 'HTTP Status Response - Unauthorized',
        errorType: 'security',
      },
    });
    expect(h.fake.dump().payments).toEqual([]);
    const request = h.sim.journal.records().find((record) => record.kind === 'request');
    expect(request?.data).toMatchObject({ credential: 'apiKey:..._key' });
  });

  it('a key with no role for the merchant account → 403 901; its own account works', async () => {
    const scoped = h.client({ apiKey: 'AQE_ecom_only', environment: EnvironmentEnum.TEST });
    const error = await caught(scoped.payments.payments(cardPayment({ merchantAccount: 'FakepspPOS' })));
    expect(error).toMatchObject({
      statusCode: 403,
      errorCode: '901',
      apiError: { message: 'Invalid Merchant Account', errorType: 'security' },
    });
    expect((await scoped.payments.payments(cardPayment())).resultCode).toBe('Authorised');
    const anyAccount = await h.payments.payments(cardPayment({ merchantAccount: 'FakepspPOS' }));
    expect(anyAccount.resultCode).toBe('Authorised');
  });

  it('a modification with a key scoped elsewhere is refused the same way', async () => {
    const paid = await h.payments.payments(cardPayment({ merchantAccount: 'FakepspPOS' }));
    const scoped = h.client({ apiKey: 'AQE_ecom_only', environment: EnvironmentEnum.TEST });
    const error = await caught(
      scoped.modifications.refundCapturedPayment(paid.pspReference!, {
        merchantAccount: 'FakepspPOS',
        amount: { value: 100, currency: 'EUR' },
      }),
    );
    expect(error).toMatchObject({ statusCode: 403, errorCode: '901' });
  });
});
