import { describe, expect, it } from 'vitest';
import { withAdmin } from '../../../src/fakes/common/admin.ts';
import { authenticate, claimedKeyId, defaultRazorpayKeys } from '../../../src/fakes/razorpay/auth.ts';
import { decodeBody, listOptionsOf, notesOf, page } from '../../../src/fakes/razorpay/params.ts';
import { RazorpayFailure } from '../../../src/fakes/razorpay/errors.ts';
import { authorization, directRazorpay } from './direct.ts';

const failureOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof RazorpayFailure) return error.error;
    throw error;
  }
  return undefined;
};

describe('authentication, strictly Basic key_id:key_secret', () => {
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
  it('accepts the pair and tells the failures apart', () => {
    expect(authenticate(authorization, defaultRazorpayKeys)).toEqual({ key: defaultRazorpayKeys[0] });
    expect(authenticate(undefined, defaultRazorpayKeys)).toEqual({ error: { kind: 'api_key_missing' } });
    expect(authenticate(basic('rzp_test_fakepsp:nope'), defaultRazorpayKeys)).toEqual({
      error: { kind: 'authentication_failed' },
    });
    expect(authenticate(basic('rzp_test_other:x'), defaultRazorpayKeys)).toEqual({
      error: { kind: 'api_key_invalid' },
    });
    expect(authenticate(basic('no-colon'), defaultRazorpayKeys)).toEqual({
      error: { kind: 'authentication_failed' },
    });
    expect(authenticate('Bearer abc', defaultRazorpayKeys)).toEqual({
      error: { kind: 'authentication_failed' },
    });
  });

  it('judges each header on its own, whatever came just before it', () => {
    const wrongSecret = basic('rzp_test_fakepsp:nope');
    const sequence = [authorization, wrongSecret, authorization, 'Bearer abc', authorization, undefined];
    expect(sequence.map((header) => Object.keys(authenticate(header, defaultRazorpayKeys))[0])).toEqual([
      'key',
      'error',
      'key',
      'error',
      'key',
      'error',
    ]);
    expect([authorization, basic('rzp_test_other:x'), 'Bearer abc'].map(claimedKeyId)).toEqual([
      'rzp_test_fakepsp',
      'rzp_test_other',
      null,
    ]);
  });
});

describe('params', () => {
  it('decodes JSON and forms; ignores GET bodies; refuses broken JSON', () => {
    expect(decodeBody('POST', '{"a":1}', 'application/json')).toEqual({ body: { a: 1 } });
    expect(decodeBody('POST', 'a=1&notes[k]=v', 'application/x-www-form-urlencoded')).toEqual({
      body: { a: '1', notes: { k: 'v' } },
    });
    expect(decodeBody('GET', 'garbage', 'application/json')).toEqual({ body: {} });
    expect(decodeBody('POST', '{', 'application/json')).toEqual({ error: { kind: 'body_malformed' } });
  });

  it('notes: a dictionary of at most 15 scalars; [] is none; __proto__ stays a plain key', () => {
    expect(notesOf({ notes: [] })).toEqual({});
    expect(notesOf({ notes: { a: 1, b: 'x' } })).toEqual({ a: 1, b: 'x' });
    const proto = notesOf(JSON.parse('{"notes":{"__proto__":"x"}}'))!;
    expect(Object.keys(proto)).toEqual(['__proto__']);
    expect(failureOf(() => notesOf({ notes: 'x' }))).toEqual({ kind: 'notes_not_dictionary' });
    expect(failureOf(() => notesOf({ notes: { a: 'x'.repeat(513) } }))).toEqual({
      kind: 'notes_value_too_long',
    });
  });

  it('lists: count 1–100 (default 10), newest first, from/to inclusive', () => {
    expect(listOptionsOf({})).toEqual({ count: 10, skip: 0, from: undefined, to: undefined });
    expect(failureOf(() => listOptionsOf({ count: '0' }))).toMatchObject({ kind: 'field_at_least' });
    const items = [{ at: 1 }, { at: 2 }, { at: 2 }, { at: 3 }];
    const listed = page(items, (item) => item.at, { count: 2, skip: 0, from: 2, to: 3 });
    expect(listed.items).toEqual([items[3], items[2]]);
  });
});

describe('the core never answers 500 without a fault', () => {
  it('odd requests get Razorpay errors', async () => {
    const r = directRazorpay();
    const weird = [
      await r.call('GET', '/v1/orders/%E0%A4%A'),
      await r.call('POST', '/v1/orders', { amount: 1e30, currency: 'INR' }),
      await r.call('POST', '/v1/orders', { amount: 100, currency: 'INR', notes: { a: [1] } }),
      await r.call('GET', '/v1/payments?count=abc'),
      await r.call('POST', '/v1/customers', { email: 7 }),
      await r.call('POST', '/v1/payments/create/recurring', { recurring: 'maybe' }),
    ];
    for (const answer of weird) {
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('BAD_REQUEST_ERROR');
    }
    expect(r.dump().orders).toEqual([]);
  });
});

describe('the admin API over the fake (withAdmin)', () => {
  it('runs actions, dumps the state and journals the action', async () => {
    const r = directRazorpay();
    const admin = withAdmin(r.fake.core, {
      psp: 'razorpay',
      sim: r.sim,
      state: () => r.fake.dump(),
      flushWebhooks: () => r.fake.flushWebhooks(),
      faults: r.fake.runtime.faults,
      actions: r.fake.actions,
    });
    const order = (await r.call('POST', '/v1/orders', { amount: 100, currency: 'INR' })).body;
    const post = (path: string, body: unknown) =>
      admin.handle({ method: 'POST', path, query: '', headers: {}, rawBody: JSON.stringify(body) });
    const paid = await post('/_fakepsp/actions/checkout', { order_id: order.id });
    expect(paid.response.status).toBe(200);
    expect(JSON.parse(paid.response.body)).toHaveProperty('razorpay_signature');
    const state = await admin.handle({
      method: 'GET',
      path: '/_fakepsp/state',
      query: '',
      headers: {},
      rawBody: '',
    });
    expect(JSON.parse(state.response.body)).toMatchObject({
      orders: [{ order: { id: order.id, status: 'paid' } }],
    });
    const bad = await post('/_fakepsp/actions/dispute', { payment_id: 'pay_x', outcome: 'maybe' });
    expect(bad.response.status).toBe(400);
    expect(Object.keys(r.fake.actions).sort()).toEqual([
      'authenticate_subscription',
      'authorize_mandate',
      'change_card',
      'checkout',
      'create_offer',
      'dashboard_refund',
      'dispute',
      'fail_next_refund',
      'fail_refund',
      'hold_next_capture',
      'late_capture',
      'pay_payment_link',
    ]);
    const actions = r.sim.journal.records().filter((record) => record.kind === 'action');
    expect(actions.map((record) => record.data)).toEqual([
      { action: 'checkout', orderId: order.id },
      { admin: 'checkout', status: 200 },
      { admin: 'dispute', status: 400 },
    ]);
  });
});
