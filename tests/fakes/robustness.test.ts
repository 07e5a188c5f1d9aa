import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adyenRoutes } from '../../src/fakes/adyen/routes.ts';
import { createAdyenFake } from '../../src/fakes/adyen/index.ts';
import type { PspRequest, PspResult } from '../../src/fakes/common/psp-core.ts';
import { createRazorpayFake, defaultRazorpayKeys } from '../../src/fakes/razorpay/index.ts';
import { razorpayRoutes } from '../../src/fakes/razorpay/routes.ts';
import { canonicalJson, type JsonValue } from '../../src/sim/canonical-json.ts';
import { createSimulation } from '../../src/sim/simulation.ts';

// Plausible and absurd JSON: the fields the handlers read, with values of every wrong type.
const scalar = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    'EUR',
    'INR',
    'MyECOM',
    'test_4111111111111111',
    'order_missing',
    'scheme',
    'ContAuth',
  ),
  fc.string({ maxLength: 10 }),
  fc.integer({ min: -5, max: 10_000_000 }),
  fc.constantFrom(true, false, null, 1.5, -1),
);
const field = fc.constantFrom(
  'amount',
  'currency',
  'merchantAccount',
  'reference',
  'paymentMethod',
  'shopperReference',
  'storePaymentMethod',
  'recurringProcessingModel',
  'shopperInteraction',
  'receipt',
  'notes',
  'customer_id',
  'token',
  'order_id',
  'speed',
  'payment_capture',
  'email',
  'contact',
);
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar as fc.Arbitrary<JsonValue>,
    fc.dictionary(field, tie('value'), { maxKeys: 4 }),
    fc.array(tie('value'), { maxLength: 2 }),
  ),
})).value;
const body = fc.dictionary(field, json, { maxKeys: 6 });

/** Every route with its path parameters filled by a plausible or absurd id. */
function pathOf(pattern: string, id: string): string {
  return pattern.replace(/:[A-Za-z_]+/g, encodeURIComponent(id));
}

/** A refused request must leave the fake exactly as it was, and nothing is ever a 5xx. */
function refusalsChangeNothing(
  call: (request: Pick<PspRequest, 'method' | 'path' | 'rawBody'>) => PspResult,
  dump: () => unknown,
  routes: readonly { readonly method: string; readonly pattern: string }[],
  prefix: string,
  ids: readonly string[],
): void {
  fc.assert(
    fc.property(fc.constantFrom(...routes), body, fc.constantFrom(...ids), (route, sent, id) => {
      const path = `${prefix}${pathOf(route.pattern, id)}`;
      const before = canonicalJson(JSON.parse(JSON.stringify(dump())) as JsonValue);
      const rawBody = route.method === 'GET' || route.method === 'DELETE' ? '' : JSON.stringify(sent);
      const result = call({ method: route.method, path, rawBody });
      const what = `${route.method} ${path} ${rawBody}`;
      expect(result.response.status, what).toBeLessThan(500);
      if (result.response.status >= 400) {
        expect(canonicalJson(JSON.parse(JSON.stringify(dump())) as JsonValue), what).toBe(before);
      }
    }),
    { numRuns: 400 },
  );
}

describe('the fakes under arbitrary input', () => {
  it('Adyen never answers 5xx, and leaves its state byte-identical whenever it refuses a request', () => {
    const sim = createSimulation({ seed: 11 });
    const fake = createAdyenFake(sim);
    const headers = { 'x-api-key': 'AQE_fuzz', 'content-type': 'application/json' };
    const call = (request: Pick<PspRequest, 'method' | 'path' | 'rawBody'>) =>
      fake.core.handleNow({ ...request, query: '', headers });
    const paid = call({
      method: 'POST',
      path: '/v72/payments',
      rawBody: JSON.stringify({
        amount: { value: 1000, currency: 'EUR' },
        merchantAccount: 'MyECOM',
        reference: 'fuzz',
        paymentMethod: { type: 'scheme', encryptedCardNumber: 'test_4111111111111111' },
      }),
    });
    const { pspReference } = JSON.parse(paid.response.body) as { pspReference: string };
    refusalsChangeNothing(call, () => fake.dump(), adyenRoutes, '/v72', [pspReference, 'x', 'A'.repeat(40)]);
  });

  it('Razorpay never answers 5xx, and leaves its state byte-identical whenever it refuses a request', () => {
    const sim = createSimulation({ seed: 12 });
    const fake = createRazorpayFake(sim);
    const { keyId, keySecret } = defaultRazorpayKeys[0]!;
    const headers = {
      authorization: `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`,
      'content-type': 'application/json',
    };
    const call = (request: Pick<PspRequest, 'method' | 'path' | 'rawBody'>) =>
      fake.core.handleNow({ ...request, query: '', headers });
    const order = JSON.parse(
      call({
        method: 'POST',
        path: '/v1/orders',
        rawBody: JSON.stringify({ amount: 50_000, currency: 'INR' }),
      }).response.body,
    ) as { id: string };
    refusalsChangeNothing(call, () => fake.dump(), razorpayRoutes, '', [order.id, 'x', 'pay_missing']);
  });
});
