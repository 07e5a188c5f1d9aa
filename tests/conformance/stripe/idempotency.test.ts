import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyStore } from '../../../src/fakes/common/idempotency.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

const count = async () => (await h.stripe.customers.list({ limit: 100 })).data.length;

describe('idempotency as Stripe documents it', () => {
  it('replays the saved response for the same key and params, marking it Idempotent-Replayed', async () => {
    const before = await count();
    const first = await h.stripe.customers.create({ email: 'i@example.com' }, { idempotencyKey: 'key-1' });
    const second = await h.stripe.customers.create({ email: 'i@example.com' }, { idempotencyKey: 'key-1' });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(await count()).toBe(before + 1);
  });

  it("refuses the same key with other params: 400 idempotency_error with Stripe's message", async () => {
    await h.stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'key-2' });
    const error = await h.stripe.customers
      .create({ email: 'b@example.com' }, { idempotencyKey: 'key-2' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error).toMatchObject({ statusCode: 400 });
    expect((error as Error).message).toContain("Try using a key other than 'key-2'");
  });

  it('refuses the same key on another endpoint', async () => {
    await h.stripe.customers.create({}, { idempotencyKey: 'key-3' });
    const error = await h.stripe.webhookEndpoints
      .create({ url: 'http://127.0.0.1:9/x', enabled_events: ['*'] }, { idempotencyKey: 'key-3' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('does not save validation failures: the key can then be used for a valid request', async () => {
    const error = await h.stripe.customers
      .create({ bogus: 1 } as Stripe.CustomerCreateParams, { idempotencyKey: 'key-4' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, code: 'parameter_unknown' });
    const created = await h.stripe.customers.create({ email: 'ok@example.com' }, { idempotencyKey: 'key-4' });
    expect(created.email).toBe('ok@example.com');
  });

  it('saves an error response once execution began and replays it', async () => {
    const first = await h.stripe.customers
      .update('cus_nothere', {}, { idempotencyKey: 'key-5' })
      .catch((caught: unknown) => caught);
    const second = await h.stripe.customers
      .update('cus_nothere', {}, { idempotencyKey: 'key-5' })
      .catch((caught: unknown) => caught);
    expect(first).toMatchObject({ statusCode: 404 });
    expect(second).toMatchObject({ statusCode: 404 });
    expect((second as Stripe.errors.StripeError).headers?.['idempotent-replayed']).toBe('true');
  });

  it('scopes keys per account: the same key on a connected account is a new request', async () => {
    const account = await h.stripe.accounts.create({ type: 'express' });
    const platform = await h.stripe.customers.create({ email: 'p@example.com' }, { idempotencyKey: 'key-6' });
    const connected = await h.stripe.customers.create(
      { email: 'p@example.com' },
      { idempotencyKey: 'key-6', stripeAccount: account.id },
    );
    expect(connected.id).not.toBe(platform.id);
  });

  it('expires keys after 24 hours of virtual time', async () => {
    const first = await h.stripe.customers.create({ email: 'e@example.com' }, { idempotencyKey: 'key-7' });
    h.sim.clock.advanceBy(24 * 3_600_000);
    const second = await h.stripe.customers.create({ email: 'e@example.com' }, { idempotencyKey: 'key-7' });
    expect(second.id).not.toBe(first.id);
  });

  it('answers 409 idempotency_key_in_use while a request with the same key is still in flight', async () => {
    h.fake.runtime.faults.load({
      api: [
        {
          phase: 'before',
          match: { method: 'POST', path: '/v1/customers', nth: 1 },
          effect: { kind: 'stall', delayMs: 5_000 },
        },
      ],
    });
    const first = h.stripe.customers.create({ email: 'slow@example.com' }, { idempotencyKey: 'key-9' });
    // Wait (bounded) until the stalled request has reached the fake and claimed its key.
    const stalled = () => h.sim.journal.records().some((record) => record.kind === 'fault');
    for (let turn = 0; turn < 10_000 && !stalled(); turn++)
      await new Promise((resolve) => setImmediate(resolve));
    expect(stalled()).toBe(true);
    const concurrent = await h.stripe.customers
      .create({ email: 'slow@example.com' }, { idempotencyKey: 'key-9' })
      .catch((caught: unknown) => caught);
    h.sim.clock.advanceBy(5_000);
    // stripe-node has no class of its own for a 409; the status and code are Stripe's.
    expect(concurrent).toMatchObject({ statusCode: 409, code: 'idempotency_key_in_use' });
    const created = await first;
    const replayed = await h.stripe.customers.create(
      { email: 'slow@example.com' },
      { idempotencyKey: 'key-9' },
    );
    expect(replayed.id).toBe(created.id);
    h.fake.runtime.faults.clear();
  });

  it('ignores the key on GET', async () => {
    const page = await h.stripe.customers.list({ limit: 1 }, { idempotencyKey: 'key-8' });
    expect(page.lastResponse.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('IdempotencyStore', () => {
  it("says in_progress while a claimed key has no saved response (Stripe's 409)", () => {
    const store = new IdempotencyStore({ ttlMs: 1000 });
    const request = { scope: 'platform', key: 'k', fingerprint: 'POST /v1/x', nowMs: 0, requestId: 'req_1' };
    expect(store.begin(request).kind).toBe('new');
    expect(store.begin({ ...request, requestId: 'req_2' }).kind).toBe('in_progress');
    store.finish('platform', 'k', { status: 200, headers: {}, body: '{}' });
    expect(store.begin({ ...request, requestId: 'req_3' })).toMatchObject({
      kind: 'replay',
      originalRequestId: 'req_1',
    });
    expect(store.begin({ ...request, fingerprint: 'POST /v1/y' }).kind).toBe('mismatch');
  });

  it('stays bounded: keys past their TTL go, then the oldest answered past the cap, never a key in flight', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, keysMax: 3 });
    const ok = { status: 200, headers: {}, body: '{}' };
    const claim = (key: string, nowMs: number) =>
      store.begin({ scope: 'platform', key, fingerprint: 'POST /v1/x', nowMs, requestId: `req_${key}` }).kind;
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      expect(claim(key, 0)).toBe('new');
      if (key !== 'a') store.finish('platform', key, ok);
    }
    store.prune(0);
    // 'a' is still being executed, so it stays, besides the three newest answered keys.
    expect(store.size).toBe(4);
    expect(claim('b', 0)).toBe('new');
    expect(claim('a', 0)).toBe('in_progress');
    store.finish('platform', 'a', ok);
    store.finish('platform', 'b', ok);
    expect(store.size).toBe(3);
    expect(claim('e', 0)).toBe('replay');
    expect(claim('a', 0)).toBe('replay');
    expect(claim('c', 0)).toBe('new');
    store.release('platform', 'c');
    store.prune(999);
    expect(store.size).toBe(3);
    store.prune(1000);
    expect(store.size).toBe(0);
    expect(claim('e', 1000)).toBe('new');
  });

  it('keeps no saved response alive once its key is pruned', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const store = new IdempotencyStore({ ttlMs: 1000, keysMax: 10 });
    const claim = (key: string) =>
      store.begin({ scope: 'platform', key, fingerprint: 'POST /v1/x', nowMs: 0, requestId: `req_${key}` });
    // Made in a function of its own, so this test holds only the weak reference.
    const finishFirst = () => {
      const response = { status: 200, headers: {}, body: '{}' };
      claim('first');
      store.finish('platform', 'first', response);
      return new WeakRef(response);
    };
    const pruned = finishFirst();
    for (let n = 0; n < 100; n++) {
      claim(`later-${n}`);
      store.finish('platform', `later-${n}`, { status: 200, headers: {}, body: '{}' });
      store.prune(0);
    }
    expect(claim('first').kind).toBe('new');
    // A WeakRef holds its target until the current job ends: let it end, then collect.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(pruned.deref()).toBeUndefined();
  });

  it('prunes by answer order past released and re-claimed keys', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, keysMax: 3 });
    const ok = { status: 200, headers: {}, body: '{}' };
    const claim = (key: string, nowMs: number) =>
      store.begin({ scope: 'platform', key, fingerprint: 'POST /v1/x', nowMs, requestId: `req_${key}` }).kind;
    expect(claim('a', 0)).toBe('new');
    store.finish('platform', 'a', ok);
    // A thousand refused requests claim and release their keys behind the live 'a'.
    for (let n = 0; n < 1000; n++) {
      expect(claim(`refused-${n}`, 0)).toBe('new');
      store.release('platform', `refused-${n}`);
    }
    for (const key of ['b', 'c']) {
      expect(claim(key, 500)).toBe('new');
      store.finish('platform', key, ok);
    }
    // 'a' is claimed afresh after its TTL: its first claim no longer counts as the oldest.
    expect(claim('a', 1000)).toBe('new');
    store.finish('platform', 'a', ok);
    expect(claim('d', 1000)).toBe('new');
    store.finish('platform', 'd', ok);
    store.prune(1000);
    // Over the cap by one: 'b' goes, the oldest answer still kept; the refused keys took no place.
    expect(store.size).toBe(3);
    expect(claim('a', 1000)).toBe('replay');
    expect(claim('c', 1000)).toBe('replay');
    expect(claim('b', 1000)).toBe('new');
  });
});
