import { EnvironmentEnum } from '@adyen/api-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AdyenHarness,
  apiKey,
  cardPayment,
  caught,
  merchantAccount,
  otherApiKey,
  startAdyen,
} from '../../support/adyen-harness.ts';

let h: AdyenHarness;
beforeEach(async () => (h = await startAdyen()));
afterEach(() => h.close());

/** A raw POST, to see the bytes and headers the SDK hides. */
function post(path: string, body: unknown, key: string, headers: Record<string, string> = {}) {
  return h.fetch(path, {
    method: 'POST',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'idempotency-key': key, ...headers },
    body: JSON.stringify(body),
  });
}

describe('Idempotency-Key as Adyen documents it', () => {
  it('replays the first response for the same key: same pspReference, one payment', async () => {
    const first = await h.payments.payments(cardPayment(), { idempotencyKey: 'key-1' });
    const second = await h.payments.payments(cardPayment(), { idempotencyKey: 'key-1' });
    expect(second.pspReference).toBe(first.pspReference);
    expect(h.fake.dump().payments).toHaveLength(1);
  });

  it('replays byte for byte, with the status and the key echoed in a response header', async () => {
    const first = await post('/v72/payments', cardPayment(), 'key-2');
    const second = await post('/v72/payments', cardPayment(), 'key-2');
    expect(second.status).toBe(first.status);
    expect(await second.text()).toBe(await first.text());
    expect(first.headers.get('idempotency-key')).toBe('key-2');
    expect(second.headers.get('idempotency-key')).toBe('key-2');
    const capture = { merchantAccount, amount: { value: 5, currency: 'EUR' } };
    const psp = h.fake.dump().payments[0]!.pspReference;
    const a = await post(`/v72/payments/${psp}/refunds`, capture, 'key-3');
    const b = await post(`/v72/payments/${psp}/refunds`, capture, 'key-3');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(await b.text()).toBe(await a.text());
    expect(h.fake.dump().modifications).toHaveLength(1);
  });

  it('replays the original for the same key with another body (Adyen documents nothing else)', async () => {
    const first = await h.payments.payments(cardPayment({ reference: 'a' }), { idempotencyKey: 'key-4' });
    const second = await h.payments.payments(cardPayment({ reference: 'b' }), { idempotencyKey: 'key-4' });
    expect(second.merchantReference).toBe('a');
    expect(second.pspReference).toBe(first.pspReference);
  });

  it('does not save validation errors: the key then works for a valid request', async () => {
    const error = await caught(
      h.payments.payments({ ...cardPayment(), reference: '' }, { idempotencyKey: 'key-5' }),
    );
    expect(error).toMatchObject({ statusCode: 422, errorCode: '130' });
    const ok = await h.payments.payments(cardPayment(), { idempotencyKey: 'key-5' });
    expect(ok.resultCode).toBe('Authorised');
  });

  it('scopes keys per API key and forgets them after 7 days of virtual time', async () => {
    const first = await h.payments.payments(cardPayment(), { idempotencyKey: 'key-6' });
    const other = h.client({ apiKey: otherApiKey, environment: EnvironmentEnum.TEST });
    const elsewhere = await other.payments.payments(cardPayment(), { idempotencyKey: 'key-6' });
    expect(elsewhere.pspReference).not.toBe(first.pspReference);
    h.sim.clock.advanceBy(7 * 24 * 3_600_000);
    const later = await h.payments.payments(cardPayment(), { idempotencyKey: 'key-6' });
    expect(later.pspReference).not.toBe(first.pspReference);
  });

  it('refuses a key longer than 64 characters', async () => {
    const error = await caught(h.payments.payments(cardPayment(), { idempotencyKey: 'k'.repeat(65) }));
    expect(error).toMatchObject({ statusCode: 400, errorCode: '702' });
    expect(h.fake.dump().payments).toEqual([]);
  });

  it('answers 422 704 with transient-error: true while the same key is in flight', async () => {
    h.fake.runtime.faults.load({
      api: [
        {
          phase: 'before',
          match: { method: 'POST', path: '/v72/payments', nth: 1 },
          effect: { kind: 'stall', delayMs: 5_000 },
        },
      ],
    });
    const first = h.payments.payments(cardPayment(), { idempotencyKey: 'key-7' });
    const stalled = () =>
      h.sim.journal.records().some((record) => record.kind === 'fault' && record.psp === 'adyen');
    for (let turn = 0; turn < 10_000 && !stalled(); turn++)
      await new Promise((resolve) => setImmediate(resolve));
    expect(stalled()).toBe(true);
    const concurrent = await caught(h.payments.payments(cardPayment(), { idempotencyKey: 'key-7' }));
    h.sim.clock.advanceBy(5_000);
    expect(concurrent).toMatchObject({
      statusCode: 422,
      errorCode: '704',
      responseHeaders: { 'transient-error': 'true' },
    });
    const created = await first;
    const replayed = await h.payments.payments(cardPayment(), { idempotencyKey: 'key-7' });
    expect(replayed.pspReference).toBe(created.pspReference);
    expect(h.fake.dump().payments).toHaveLength(1);
  });
});
