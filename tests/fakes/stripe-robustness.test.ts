import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonValue } from '../../src/sim/canonical-json.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { stripeRoutes } from '../../src/fakes/stripe/routes.ts';

// Every route, with its path parameters filled by a plausible or absurd id.
const routes = stripeRoutes.map((route) => ({ method: route.method, pattern: route.pattern }));

const value: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '0', '-1', '1.5', 'true', 'null', 'usd', 'pm_card_visa', 'cus_missing', '9'.repeat(30)),
  fc.string({ maxLength: 12 }),
);
const key = fc.oneof(
  fc.constantFrom(
    'amount',
    'currency',
    'customer',
    'metadata[a]',
    'items[0][price]',
    'expand[]',
    'limit',
    'email',
  ),
  fc.stringMatching(/^[a-z_]{1,10}(\[[a-z0-9_]{0,6}\]){0,3}$/),
);
const body = fc
  .array(fc.tuple(key, value), { maxLength: 6 })
  .map((pairs) =>
    pairs
      .map(
        ([name, text]) =>
          `${encodeURIComponent(name).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(text)}`,
      )
      .join('&'),
  );

describe('the fake Stripe under arbitrary input', () => {
  it('never answers 5xx, and leaves state byte-identical whenever it refuses a request', () => {
    const sim = createSimulation({ seed: 9 });
    const fake = createStripeFake(sim);
    const call = (method: string, path: string, rawBody: string, query = '') =>
      fake.core.handleNow({
        method,
        path,
        query,
        headers: {
          authorization: 'Bearer sk_test_fuzz',
          'content-type': 'application/x-www-form-urlencoded',
        },
        rawBody,
      });
    const customer = JSON.parse(call('POST', '/v1/customers', 'email=f%40x.test').response.body) as {
      id: string;
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...routes),
        body,
        fc.constantFrom(customer.id, 'x', 'cus_missing', '%00', 'a'.repeat(300)),
        (route, rawBody, id) => {
          const path = route.pattern.replace(/:[a-z_]+/g, encodeURIComponent(id));
          const before = canonicalJson(fake.runtime.store.dump() as unknown as JsonValue);
          const result = call(
            route.method,
            path,
            route.method === 'GET' ? '' : rawBody,
            route.method === 'GET' ? rawBody : '',
          );
          expect(result.response.status, `${route.method} ${path} ${rawBody}`).toBeLessThan(500);
          expect(() => JSON.parse(result.response.body)).not.toThrow();
          if (result.response.status >= 400 && result.response.status !== 402) {
            const error = (
              JSON.parse(result.response.body) as { error?: { type?: string; message?: string } }
            ).error;
            expect(error?.type).toMatch(/_error$/);
            expect(error?.message).toBeTruthy();
            expect(canonicalJson(fake.runtime.store.dump() as unknown as JsonValue)).toBe(before);
          }
        },
      ),
      { numRuns: 400, seed: 20261123 },
    );
  });

  it('answers malformed JSON and nesting deeper than Stripe allows with a 400', () => {
    const fake = createStripeFake(createSimulation({ seed: 1 }));
    const json = fake.core.handleNow({
      method: 'POST',
      path: '/v2/billing/meter_events',
      query: '',
      headers: { authorization: 'Bearer sk_test_x', 'content-type': 'application/json' },
      rawBody: '{"event_name":',
    });
    expect(json.response.status).toBe(400);
    const deep = fake.core.handleNow({
      method: 'POST',
      path: '/v1/customers',
      query: '',
      headers: { authorization: 'Bearer sk_test_x', 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: `metadata${'[a]'.repeat(20)}=1`,
    });
    expect(deep.response.status).toBe(400);
  });
});
