import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestBytesMax } from '../../../src/fakes/common/psp-core.ts';
import { adyenError, type AdyenErrorKind } from '../../../src/fakes/adyen/errors.ts';
import { cardBody, directAdyen } from './direct.ts';

const kinds: AdyenErrorKind[] = [
  { kind: 'unauthorized' },
  { kind: 'merchant_invalid' },
  { kind: 'not_found', method: 'GET', path: '/v72/x' },
  { kind: 'method_not_allowed', method: 'GET', path: '/v72/payments' },
  { kind: 'body_malformed', detail: 'x' },
  { kind: 'body_too_large', bytesMax: 1 },
  { kind: 'field_invalid', field: 'x' },
  { kind: 'amount_missing' },
  { kind: 'amount_invalid' },
  { kind: 'currency_invalid' },
  { kind: 'reference_missing' },
  { kind: 'payment_method_missing' },
  { kind: 'payment_method_unsupported' },
  { kind: 'return_url_missing' },
  { kind: 'card_number_invalid' },
  { kind: 'decrypt_failed' },
  { kind: 'shopper_reference_required' },
  { kind: 'contract_not_found' },
  { kind: 'metadata_too_large' },
  { kind: 'original_reference_invalid' },
  { kind: 'not_found_by_id', what: 'Session', id: 'CS1' },
  { kind: 'not_found_by_id', what: 'Payment link', id: 'PL1' },
  { kind: 'idempotency_key_too_long', lengthMax: 64 },
  { kind: 'idempotency_in_progress' },
  { kind: 'rate_limited' },
  { kind: 'internal' },
];

describe('adyenError', () => {
  it.each(kinds)('renders $kind as a ServiceError whose status is the HTTP status', (kind) => {
    const rendered = adyenError(kind, 'PSPREF0000000001');
    expect(rendered.body.status).toBe(rendered.status);
    expect(rendered.status).toBeGreaterThanOrEqual(400);
    expect(rendered.body.errorCode).toMatch(/^\d{2,3}(_\d+)?$/);
    expect(['validation', 'security', 'configuration', 'internal']).toContain(rendered.body.errorType);
    expect(rendered.body.message).toBeTruthy();
  });

  it('names the request pspReference on errors past authentication only', () => {
    expect(adyenError({ kind: 'unauthorized' }, 'P').body.pspReference).toBeUndefined();
    expect(adyenError({ kind: 'reference_missing' }, 'P').body.pspReference).toBe('P');
  });

  it('marks the in-flight idempotency conflict transient', () => {
    expect(adyenError({ kind: 'idempotency_in_progress' })).toMatchObject({
      status: 422,
      body: { errorCode: '704' },
      headers: { 'transient-error': 'true' },
    });
  });
});

describe('the core never answers a 500 of its own to bad input', () => {
  it('405 for a known path with the wrong method, 404 for an unknown version', async () => {
    const adyen = directAdyen();
    expect((await adyen.call('GET', '/v72/payments')).status).toBe(405);
    expect((await adyen.call('POST', '/v99/payments', cardBody())).status).toBe(404);
    expect((await adyen.call('POST', '/payments', cardBody())).status).toBe(404);
  });

  it('413 for a body past the limit, 400 for a JSON array, 422 for wrong field types', async () => {
    const adyen = directAdyen();
    const big = JSON.stringify({ ...cardBody(), padding: 'x'.repeat(requestBytesMax) });
    expect((await adyen.call('POST', '/v72/payments', big)).status).toBe(413);
    expect((await adyen.call('POST', '/v72/payments', '[1]')).body).toMatchObject({
      status: 400,
      errorCode: '702',
    });
    const typed = await adyen.call('POST', '/v72/payments', cardBody({ shopperReference: 42 }));
    expect(typed.body).toMatchObject({ status: 422, errorType: 'validation' });
    const fields: Record<string, unknown>[] = [
      { paymentMethod: 'card' },
      { paymentMethod: { type: 'ideal' } },
      { paymentMethod: { type: 'scheme', encryptedCardNumber: 'plain' } },
      { metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) },
      { captureDelayHours: 1_000 },
      { storePaymentMethod: true },
      { shopperInteraction: 'Telepathy' },
    ];
    for (const overrides of fields) {
      const answer = await adyen.call('POST', '/v72/payments', cardBody(overrides));
      expect(answer.status, JSON.stringify(overrides)).toBe(422);
    }
    expect(adyen.fake.dump().payments).toEqual([]);
  });

  it('answers every response with the request pspReference header', async () => {
    const adyen = directAdyen();
    const answer = await adyen.call('POST', '/v72/payments', cardBody());
    expect(answer.headers.pspreference).toBe(answer.body.pspReference);
  });
});

const fields = ['amount', 'reference', 'paymentMethod', 'merchantAccount', 'shopperReference', 'metadata'];
const moreFields = [
  'additionalData',
  'storePaymentMethod',
  'captureDelayHours',
  'returnUrl',
  'paymentReference',
];
// A valid payment with some fields replaced by anything: reaches the deeper validation.
const nearlyValid = fc
  .dictionary(fc.constantFrom(...fields, ...moreFields), fc.jsonValue(), { maxKeys: 3 })
  .map((overrides) => ({ ...cardBody({ additionalData: { manualCapture: 'true' } }), ...overrides }));

describe('arbitrary input', () => {
  it('never gets a 500, and a rejected request changes nothing', async () => {
    const adyen = directAdyen();
    const payment = await adyen.call(
      'POST',
      '/v72/payments',
      cardBody({ additionalData: { manualCapture: 'true' } }),
    );
    const psp = String(payment.body.pspReference);
    const paths = [
      '/v72/payments',
      `/v72/payments/${psp}/captures`,
      `/v72/payments/${psp}/refunds`,
      `/v72/payments/${psp}/cancels`,
      `/v72/payments/${psp}/reversals`,
      '/v72/cancels',
      '/v72/paymentMethods',
      '/v72/storedPaymentMethods',
      '/v72/sessions',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(fc.jsonValue(), nearlyValid),
        async (path, body) => {
          const before = JSON.stringify(adyen.fake.dump().payments);
          const answer = await adyen.call('POST', path, JSON.stringify(body));
          expect(answer.status).toBeLessThan(500);
          if (answer.status >= 400) expect(JSON.stringify(adyen.fake.dump().payments)).toBe(before);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
    const odd = await adyen.call(
      'DELETE',
      '/v72/storedPaymentMethods/%E0?shopperReference=a&merchantAccount=b',
    );
    expect(odd.status).toBe(404);
  });
});
