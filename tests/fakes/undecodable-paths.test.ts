import { describe, expect, it } from 'vitest';
import { createAdyenFake } from '../../src/fakes/adyen/index.ts';
import type { PspCore } from '../../src/fakes/common/psp-core.ts';
import { createRazorpayFake, defaultRazorpayKeys } from '../../src/fakes/razorpay/index.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';

// `%E0%A4%A` is not valid percent-encoding: the router cannot decode the id it would capture.
const broken = '%E0%A4%A';
const razorpayKey = defaultRazorpayKeys[0]!;

const cases: ReadonlyArray<{
  readonly psp: string;
  readonly core: () => PspCore;
  readonly method: string;
  readonly path: string;
  /** The PSP's own answer for a URL it has nothing at (Razorpay's is a 400 BAD_REQUEST_ERROR). */
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly envelope: (body: Record<string, unknown>) => unknown;
}> = [
  {
    psp: 'stripe',
    core: () => createStripeFake(createSimulation({ seed: 1 })).core,
    method: 'GET',
    path: `/v1/customers/${broken}`,
    status: 404,
    headers: { authorization: 'Bearer sk_test_paths' },
    envelope: (body) => (body.error as { type?: unknown } | undefined)?.type,
  },
  {
    psp: 'adyen',
    core: () => createAdyenFake(createSimulation({ seed: 1 })).core,
    method: 'POST',
    path: `/v72/payments/${broken}/captures`,
    status: 404,
    headers: { 'x-api-key': 'AQE_fakepsp_test_key', 'content-type': 'application/json' },
    envelope: (body) => body.errorType,
  },
  {
    psp: 'razorpay',
    core: () => createRazorpayFake(createSimulation({ seed: 1 })).core,
    method: 'GET',
    path: `/v1/payments/${broken}`,
    status: 400,
    headers: {
      authorization: `Basic ${Buffer.from(`${razorpayKey.keyId}:${razorpayKey.keySecret}`).toString('base64')}`,
    },
    envelope: (body) => (body.error as { code?: unknown } | undefined)?.code,
  },
];

describe('a path that is not valid percent-encoding', () => {
  it.each(cases)(
    'gets $psp’s own answer for an unknown URL, not a crash',
    async ({ core, method, path, status, headers, envelope }) => {
      const result = await core().handle({
        method,
        path,
        query: '',
        headers,
        rawBody: method === 'GET' ? '' : '{}',
      });
      expect(result.response.status).toBe(status);
      expect(envelope(JSON.parse(result.response.body) as Record<string, unknown>)).toEqual(
        expect.any(String),
      );
    },
  );
});
