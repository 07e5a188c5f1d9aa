import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStripe, type StripeHarness } from '../support/stripe-harness.ts';

let h: StripeHarness;
beforeEach(async () => (h = await startStripe()));
afterEach(() => h.close());

const customers = async () => (await h.stripe.customers.list({ limit: 100 })).data;
const onCreate = { method: 'POST', path: '/v1/customers' } as const;

describe('API faults before the PSP acts', () => {
  it('server_error: a 500 StripeAPIError, nothing created, and the key is free for a retry', async () => {
    h.fake.runtime.faults.load({
      api: [{ phase: 'before', match: { ...onCreate, nth: 1 }, effect: { kind: 'server_error' } }],
    });
    const error = await h.stripe.customers
      .create({ email: 'x@f.test' }, { idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(await customers()).toHaveLength(0);
    const retried = await h.stripe.customers.create({ email: 'x@f.test' }, { idempotencyKey: 'k' });
    expect(retried.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(await customers()).toHaveLength(1);
  });

  it('rate_limit: 429 with Retry-After, a StripeRateLimitError', async () => {
    h.fake.runtime.faults.load({
      api: [{ phase: 'before', match: onCreate, effect: { kind: 'rate_limit', retryAfterSeconds: 2 } }],
    });
    const error = await h.stripe.customers.create({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect((error as Stripe.errors.StripeError).headers?.['retry-after']).toBe('2');
  });

  it('reset: a connection error and nothing created', async () => {
    h.fake.runtime.faults.load({ api: [{ phase: 'before', match: onCreate, effect: { kind: 'reset' } }] });
    const error = await h.stripe.customers.create({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    h.fake.runtime.faults.clear();
    expect(await customers()).toHaveLength(0);
  });

  it('latency: the request takes virtual time', async () => {
    h.fake.runtime.faults.load({
      api: [{ phase: 'before', match: onCreate, effect: { kind: 'latency', delayMs: 30_000 } }],
    });
    const before = h.sim.clock.nowMs();
    const customer = await h.stripe.customers.create({});
    expect(h.sim.clock.nowMs() - before).toBe(30_000);
    expect(customer.created).toBe(Math.floor((before + 30_000) / 1000));
  });
});

describe('API faults after the PSP acts: the lost response', () => {
  it("reset after commit: the SDK's own retry is a replay, and it is lost too", async () => {
    // stripe-node retries a closed connection once, with the same key, even with retries off.
    h.fake.runtime.faults.load({ api: [{ phase: 'after', match: onCreate, effect: { kind: 'reset' } }] });
    const error = await h.stripe.customers
      .create({ email: 'lost@f.test' }, { idempotencyKey: 'order-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    h.fake.runtime.faults.clear();
    const existing = await customers();
    expect(existing.map((customer) => customer.email)).toEqual(['lost@f.test']);
    const retried = await h.stripe.customers.create({ email: 'lost@f.test' }, { idempotencyKey: 'order-1' });
    expect(retried.id).toBe(existing[0]!.id);
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
    await h.stripe.customers.create({ email: 'lost@f.test' }, { idempotencyKey: 'order-1-retry-new-key' });
    expect(await customers()).toHaveLength(2);
  });

  it('server_error after commit: a 500 while the change stands', async () => {
    h.fake.runtime.faults.load({
      api: [{ phase: 'after', match: onCreate, effect: { kind: 'server_error', status: 503 } }],
    });
    const error = await h.stripe.customers.create({ email: 'five@f.test' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 503 });
    h.fake.runtime.faults.clear();
    expect((await customers()).map((customer) => customer.email)).toEqual(['five@f.test']);
  });

  it('journals every firing with its rule, phase and request', async () => {
    h.fake.runtime.faults.load({
      api: [{ name: 'lose-create', phase: 'after', match: onCreate, effect: { kind: 'timeout' } }],
    });
    const error = await h.stripe.customers.create({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    const fired = h.sim.journal
      .records()
      .filter((record) => record.kind === 'fault' && 'phase' in (record.data as object));
    // Over a socket stripe-node retries a dropped connection once by itself; both are lost.
    expect(fired.length).toBe(h.transport === 'msw' ? 1 : 2);
    expect(fired[0]!.data).toMatchObject({
      rule: 'lose-create',
      phase: 'after',
      effect: { kind: 'timeout' },
    });
  });

  it('selects by rate reproducibly from the seed', async () => {
    const pattern = async (seed: number) => {
      const run = await startStripe(seed);
      run.fake.runtime.faults.load({
        api: [{ phase: 'before', match: { ...onCreate, rate: 0.5 }, effect: { kind: 'server_error' } }],
      });
      const outcomes: boolean[] = [];
      for (let index = 0; index < 12; index++) {
        outcomes.push(
          await run.stripe.customers.create({}).then(
            () => true,
            () => false,
          ),
        );
      }
      await run.close();
      return outcomes;
    };
    const first = await pattern(5);
    expect(await pattern(5)).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });
});
