import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  basicAuth,
  caught,
  keySecret,
  startRazorpay,
  type RazorpayHarness,
} from '../../support/razorpay-harness.ts';

let h: RazorpayHarness;
beforeEach(async () => (h = await startRazorpay()));
afterEach(() => h.close());

const na = { field: null, source: 'NA', step: 'NA', reason: 'NA', metadata: {} };

describe('authentication', () => {
  it('a wrong secret is a 401 BAD_REQUEST_ERROR, delivered by the SDK as a plain {statusCode, error}', async () => {
    const error = await caught(h.client({ key_id: 'rzp_test_fakepsp', key_secret: 'wrong' }).orders.all());
    expect(error).not.toBeInstanceOf(Error);
    expect(error).toEqual({
      statusCode: 401,
      error: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed', ...na },
    });
  });

  it('an unknown key and a live key are invalid', async () => {
    for (const key_id of ['rzp_test_unknown', 'rzp_live_fakepsp']) {
      const error = await caught(h.client({ key_id, key_secret: keySecret }).payments.all());
      expect(error).toEqual({
        statusCode: 401,
        error: { code: 'BAD_REQUEST_ERROR', description: 'The api key provided is invalid', ...na },
      });
    }
  });

  it('refuses a live key even when configured', async () => {
    const live = await startRazorpay(4, h.transport, { keys: [{ keyId: 'rzp_live_x', keySecret: 's' }] });
    try {
      const error = await caught(live.client({ key_id: 'rzp_live_x', key_secret: 's' }).orders.all());
      expect(error).toMatchObject({ statusCode: 401 });
    } finally {
      await live.close();
    }
  });

  it('no Authorization, or not exactly `Basic <base64>`, is a 401', async () => {
    const none = await h.fetch('/v1/orders?count=1');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: {
        code: 'BAD_REQUEST_ERROR',
        description: 'Please provide your api key for authentication purposes',
        ...na,
      },
    });
    const token = basicAuth.slice('Basic '.length);
    for (const authorization of [`basic ${token}`, `BASIC ${token}`, `Basic "${token}"`]) {
      const response = await h.fetch('/v1/orders', { headers: { authorization } });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { description: 'Authentication failed' } });
    }
    const ok = await h.fetch('/v1/orders', { headers: { authorization: basicAuth } });
    expect(ok.status).toBe(200);
  });
});

describe('bad requests get Razorpay shape, never a 500', () => {
  it('an unknown URL and a known one with a wrong method', async () => {
    const unknown = await h.fetch('/v1/nothing/here', { headers: { authorization: basicAuth } });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: {
        code: 'BAD_REQUEST_ERROR',
        description:
          'The requested URL was not found on the server (fakepsp: GET /v1/nothing/here is not modelled by fakepsp, or is not a Razorpay endpoint)',
        ...na,
      },
    });
    const method = await h.fetch('/v1/orders/order_x', {
      method: 'DELETE',
      headers: { authorization: basicAuth },
    });
    expect(method.status).toBe(400);
    expect(await method.json()).toMatchObject({
      error: { description: 'The current http method is not supported' },
    });
  });

  it('malformed JSON, a JSON array, wrong types', async () => {
    const post = (body: string) =>
      h.fetch('/v1/orders', {
        method: 'POST',
        headers: { authorization: basicAuth, 'content-type': 'application/json' },
        body,
      });
    for (const body of ['{"amount":', '[1,2]']) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'BAD_REQUEST_ERROR', field: null } });
    }
    const types = await post('{"amount":"ten","currency":"INR"}');
    expect(await types.json()).toMatchObject({
      error: { description: 'The amount must be an integer.', field: 'amount' },
    });
    const notes = await post('{"amount":100,"currency":"INR","notes":"text"}');
    expect(await notes.json()).toMatchObject({
      error: { description: 'Notes should be provided as a dictionary' },
    });
    const nested = await post('{"amount":100,"currency":"INR","notes":{"a":{"b":1}}}');
    expect(await nested.json()).toMatchObject({
      error: { description: 'Notes values themselves should not be an array' },
    });
    expect(h.dump().orders).toEqual([]);
  });

  it('unknown ids are 400 "The id provided does not exist" everywhere', async () => {
    const calls = [
      h.rzp.payments.fetch('pay_DoesNotExist01'),
      h.rzp.payments.refund('pay_DoesNotExist01', { amount: 100 }),
      h.rzp.refunds.fetch('rfnd_DoesNotExist1'),
      h.rzp.customers.fetch('cust_DoesNotExist1'),
      h.rzp.customers.fetchTokens('cust_DoesNotExist1'),
      h.rzp.orders.fetchPayments('order_DoesNotExist1'),
    ];
    for (const error of await Promise.all(calls.map(caught))) {
      expect(error).toMatchObject({
        statusCode: 400,
        error: { description: 'The id provided does not exist' },
      });
    }
  });
});
