import { describe, expect, it } from 'vitest';
import { createAdyenFake } from '../../src/fakes/adyen/index.ts';
import type { PspCore } from '../../src/fakes/common/psp-core.ts';
import { createRazorpayFake, defaultRazorpayKeys } from '../../src/fakes/razorpay/index.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation, type Simulation } from '../../src/sim/simulation.ts';

const razorpayKey = defaultRazorpayKeys[0]!;
const razorpayAuth = `Basic ${Buffer.from(`${razorpayKey.keyId}:${razorpayKey.keySecret}`).toString('base64')}`;

async function lastResponse(sim: Simulation, core: PspCore, request: Parameters<PspCore['handle']>[0]) {
  await core.handle(request);
  return sim.journal
    .records()
    .filter((record) => record.kind === 'response')
    .at(-1)!.data;
}

// A refused request's journal line says why, so a report shows it next to the status.
describe("the journal keeps a refused request's error", () => {
  it('Stripe: type, code and message', async () => {
    const sim = createSimulation({ seed: 1 });
    const line = await lastResponse(sim, createStripeFake(sim).core, {
      method: 'GET',
      path: '/v1/customers/cus_missing',
      query: '',
      headers: { authorization: 'Bearer sk_test_fakepsp' },
      rawBody: '',
    });
    expect(line).toMatchObject({
      status: 404,
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: "No such customer: 'cus_missing'",
      },
    });
  });

  it('Adyen: errorCode, errorType and message', async () => {
    const sim = createSimulation({ seed: 1 });
    const line = await lastResponse(sim, createAdyenFake(sim).core, {
      method: 'POST',
      path: '/v71/payments',
      query: '',
      headers: {
        'x-api-key': 'AQE_fakepsp_test_key',
        'content-type': 'application/json',
        'idempotency-key': 'k'.repeat(65),
      },
      rawBody: '{}',
    });
    expect(line).toMatchObject({ error: { errorType: 'validation' } });
    expect(typeof (line?.error as { message?: unknown } | undefined)?.message).toBe('string');
  });

  it('Razorpay: code and description; a 2xx line has no error', async () => {
    const sim = createSimulation({ seed: 1 });
    const core = createRazorpayFake(sim).core;
    const refused = await lastResponse(sim, core, {
      method: 'GET',
      path: '/v1/orders/order_missing',
      query: '',
      headers: { authorization: razorpayAuth },
      rawBody: '',
    });
    expect(refused).toMatchObject({ status: 400, error: { code: 'BAD_REQUEST_ERROR' } });
    const listed = await lastResponse(sim, core, {
      method: 'GET',
      path: '/v1/orders',
      query: '',
      headers: { authorization: razorpayAuth },
      rawBody: '',
    });
    expect(listed).toMatchObject({ status: 200 });
    expect(listed).not.toHaveProperty('error');
  });
});
