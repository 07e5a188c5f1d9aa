import { HttpClientException } from '@adyen/api-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiFaultRule } from '../../../src/fakes/common/faults.ts';
import { type AdyenHarness, cardPayment, caught, startAdyen } from '../../support/adyen-harness.ts';

let h: AdyenHarness;
beforeEach(async () => (h = await startAdyen()));
afterEach(() => h.close());

const once = (phase: 'before' | 'after', effect: ApiFaultRule['effect']): void =>
  h.fake.runtime.faults.load({
    api: [{ psp: 'adyen', phase, match: { method: 'POST', path: '/v*/payments', nth: 1 }, effect }],
  });

describe('API faults at the commit point, in Adyen shape', () => {
  it('a 500 before Adyen acts: ServiceError internal, and nothing changed', async () => {
    once('before', { kind: 'server_error' });
    const error = await caught(h.payments.payments(cardPayment(), { idempotencyKey: 'f-1' }));
    expect(error).toBeInstanceOf(HttpClientException);
    expect(error).toMatchObject({ statusCode: 500, apiError: { status: 500, errorType: 'internal' } });
    expect(h.fake.dump().payments).toEqual([]);
    const retried = await h.payments.payments(cardPayment(), { idempotencyKey: 'f-1' });
    expect(retried.resultCode).toBe('Authorised');
    expect(h.fake.dump().payments).toHaveLength(1);
  });

  it('a 429 before Adyen acts keeps the ServiceError shape and says when to retry', async () => {
    once('before', { kind: 'rate_limit', retryAfterSeconds: 3 });
    const error = await caught(h.payments.payments(cardPayment()));
    expect(error).toMatchObject({ statusCode: 429, responseHeaders: { 'retry-after': '3' } });
    expect(h.fake.dump().payments).toEqual([]);
  });

  it('a reset after Adyen acted: the client sees a network error, the payment exists, the key replays it', async () => {
    once('after', { kind: 'reset' });
    const error = await caught(h.payments.payments(cardPayment(), { idempotencyKey: 'f-2' }));
    // The SDK reports a dropped connection as its ApiException, with no status from Adyen.
    expect(error).not.toBeInstanceOf(HttpClientException);
    expect((error as { name?: string }).name).toBe('ApiException');
    const [payment] = h.fake.dump().payments;
    expect(payment?.resultCode).toBe('Authorised');
    const retried = await h.payments.payments(cardPayment(), { idempotencyKey: 'f-2' });
    expect(retried.pspReference).toBe(payment!.pspReference);
    expect(h.fake.dump().payments).toHaveLength(1);
  });

  it('a 500 after Adyen acted hides a payment that exists; without a key a retry pays twice', async () => {
    once('after', { kind: 'server_error', status: 503 });
    const error = await caught(h.payments.payments(cardPayment()));
    expect(error).toMatchObject({ statusCode: 503 });
    await h.payments.payments(cardPayment());
    expect(h.fake.dump().payments).toHaveLength(2);
  });

  it('latency moves virtual time and the request still succeeds', async () => {
    const before = h.sim.clock.nowMs();
    once('before', { kind: 'latency', delayMs: 1_500 });
    expect((await h.payments.payments(cardPayment())).resultCode).toBe('Authorised');
    expect(h.sim.clock.nowMs() - before).toBe(1_500);
  });
});
