import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stripeRetryDelaysMs } from '../../../src/fakes/stripe/engine.ts';
import { transportMode } from '../../support/interception.ts';
import { startStripe, startWebhookReceiver, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let statuses: number[];

beforeEach(async () => {
  h = await startStripe();
  statuses = [];
  receiver = await startWebhookReceiver(() => statuses.shift() ?? 200);
});
afterEach(async () => {
  await receiver.close();
  await h.close();
});

const attempts = () =>
  h.sim.journal
    .records()
    .filter((record) => record.kind === 'webhook_attempt')
    .map((record) => record.data as Record<string, unknown>);

describe('webhook endpoints and signed delivery', () => {
  it('returns the whsec_ secret once, at creation', async () => {
    const endpoint = await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    expect(endpoint.secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    const fetched = await h.stripe.webhookEndpoints.retrieve(endpoint.id);
    expect(fetched.secret).toBeUndefined();
    expect(fetched).toMatchObject({ url: receiver.url, status: 'enabled', enabled_events: ['*'] });
  });

  it('delivers events that stripe.webhooks.constructEvent verifies, with data.object snapshotted', async () => {
    const endpoint = await h.stripe.webhookEndpoints.create({
      url: receiver.url,
      enabled_events: ['customer.created', 'customer.updated'],
    });
    const customer = await h.stripe.customers.create({ email: 'w@example.com' });
    await h.stripe.customers.update(customer.id, { email: 'changed@example.com' });
    await h.fake.flushWebhooks();
    expect(receiver.received).toHaveLength(2);
    const events = receiver.received.map((request) =>
      h.stripe.webhooks.constructEvent(
        request.body,
        String(request.headers['stripe-signature']),
        endpoint.secret!,
      ),
    );
    expect(events.map((event) => event.type)).toEqual(['customer.created', 'customer.updated']);
    const created = events[0]!;
    expect(created.data.object).toMatchObject({ id: customer.id, email: 'w@example.com' });
    expect(events[1]!.data.previous_attributes).toMatchObject({ email: 'w@example.com' });
    expect(created.request?.id).toMatch(/^req_/);
    const listed = await h.stripe.events.retrieve(created.id);
    expect(listed.id).toBe(created.id);
  });

  it('rejects a signature made with another secret', async () => {
    await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    await h.stripe.customers.create({});
    await h.fake.flushWebhooks();
    const request = receiver.received[0]!;
    expect(() =>
      h.stripe.webhooks.constructEvent(
        request.body,
        String(request.headers['stripe-signature']),
        'whsec_wrong',
      ),
    ).toThrow(/No signatures found/);
  });

  it('only sends the enabled event types', async () => {
    await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.deleted'] });
    const customer = await h.stripe.customers.create({});
    await h.stripe.customers.del(customer.id);
    await h.fake.flushWebhooks();
    expect(receiver.received.map((request) => (JSON.parse(request.body) as { type: string }).type)).toEqual([
      'customer.deleted',
    ]);
  });

  it('retries a failed attempt on the backoff schedule, re-signing each attempt, in virtual time', async () => {
    const endpoint = await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    statuses = [500, 503];
    await h.stripe.customers.create({});
    await h.fake.flushWebhooks();
    expect(attempts().map((attempt) => attempt.outcome)).toEqual(['retry_scheduled']);
    h.sim.clock.advanceBy(stripeRetryDelaysMs[0]!);
    await h.fake.flushWebhooks();
    h.sim.clock.advanceBy(stripeRetryDelaysMs[1]!);
    await h.fake.flushWebhooks();
    expect(attempts().map((attempt) => [attempt.attempt, attempt.status, attempt.outcome])).toEqual([
      [1, 500, 'retry_scheduled'],
      [2, 503, 'retry_scheduled'],
      [3, 200, 'delivered'],
    ]);
    const bodies = new Set(receiver.received.map((request) => request.body));
    expect(bodies.size).toBe(1);
    for (const request of receiver.received) {
      expect(() =>
        h.stripe.webhooks.constructEvent(
          request.body,
          String(request.headers['stripe-signature']),
          endpoint.secret!,
        ),
      ).not.toThrow();
    }
  });

  it('abandons a delivery after about three days of failures', async () => {
    await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
    statuses = Array.from({ length: 50 }, () => 500);
    await h.stripe.customers.create({});
    await h.fake.flushWebhooks();
    for (const delay of stripeRetryDelaysMs) {
      h.sim.clock.advanceBy(delay);
      await h.fake.flushWebhooks();
    }
    const outcomes = attempts().map((attempt) => attempt.outcome);
    expect(outcomes).toHaveLength(stripeRetryDelaysMs.length + 1);
    expect(outcomes.at(-1)).toBe('abandoned');
    const totalMs = stripeRetryDelaysMs.reduce((sum, delay) => sum + delay, 0);
    expect(totalMs).toBeLessThanOrEqual(3 * 86_400_000);
    expect(totalMs).toBeGreaterThan(2 * 86_400_000);
  });

  // As a long `serve` keeps them too: every event and object in the spill file, one kept as it is.
  const stores = [
    ['in memory', {}],
    ['spilled', { spill: { after: 0, recent: 1 }, freezeState: false }],
  ] as const;

  it.each(stores)(
    'counts each endpoint that took an event off pending_webhooks, and lists by delivery_success (%s)',
    async (_store, options) => {
      const s = await startStripe(1, transportMode, options);
      const flaky = await startWebhookReceiver(() => (flaky.received.length === 1 ? 500 : 200));
      try {
        const events = ['customer.created'] as Stripe.WebhookEndpointCreateParams.EnabledEvent[];
        await s.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: events });
        await s.stripe.webhookEndpoints.create({ url: flaky.url, enabled_events: events });
        const customer = await s.stripe.customers.create({});
        // No endpoint listens for this one: nothing is owed on it.
        await s.stripe.customers.update(customer.id, { name: 'x' });
        const [updated, created] = (await s.stripe.events.list({ limit: 2 })).data;
        expect(updated!.pending_webhooks).toBe(0);
        const owed = async () => ({
          pending: (await s.stripe.events.retrieve(created!.id)).pending_webhooks,
          notDelivered: (await s.stripe.events.list({ delivery_success: false })).data.map(
            (event) => event.id,
          ),
          delivered: (await s.stripe.events.list({ delivery_success: true })).data.map((event) => event.id),
        });
        expect(await owed()).toEqual({ pending: 2, notDelivered: [created!.id], delivered: [updated!.id] });
        await s.fake.flushWebhooks();
        // One endpoint took it; the other answered 500, and its retry waits.
        expect(await owed()).toEqual({ pending: 1, notDelivered: [created!.id], delivered: [updated!.id] });
        s.sim.clock.advanceBy(stripeRetryDelaysMs[0]!);
        await s.fake.flushWebhooks();
        expect(flaky.received).toHaveLength(2);
        expect(await owed()).toEqual({ pending: 0, notDelivered: [], delivered: [updated!.id, created!.id] });
        // The event is otherwise the one the endpoints were sent.
        const sent = JSON.parse(flaky.received[0]!.body) as Stripe.Event;
        expect(await s.stripe.events.retrieve(created!.id)).toEqual({ ...sent, pending_webhooks: 0 });
      } finally {
        await flaky.close();
        await s.close();
      }
    },
  );

  it.each(stores)(
    "counts a connected account's event delivered to a Connect endpoint (%s)",
    async (_store, options) => {
      const s = await startStripe(1, transportMode, options);
      try {
        const account = await s.stripe.accounts.create({ type: 'express' });
        await s.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'], connect: true });
        const tenant = s.client({ stripeAccount: account.id });
        await tenant.customers.create({});
        const [event] = (await tenant.events.list({ limit: 1 })).data;
        expect(event).toMatchObject({ account: account.id, type: 'customer.created', pending_webhooks: 1 });
        await s.fake.flushWebhooks();
        expect((await tenant.events.retrieve(event!.id)).pending_webhooks).toBe(0);
        expect((await tenant.events.list({ delivery_success: false })).data).toEqual([]);
      } finally {
        await s.close();
      }
    },
  );

  it('lists events newest first, filtered by type', async () => {
    const customer = await h.stripe.customers.create({});
    await h.stripe.customers.update(customer.id, { name: 'x' });
    const all = await h.stripe.events.list({ limit: 10 });
    expect(all.data.map((event) => event.type).slice(0, 2)).toEqual(['customer.updated', 'customer.created']);
    const filtered = await h.stripe.events.list({ type: 'customer.created' });
    expect(filtered.data.every((event) => event.type === 'customer.created')).toBe(true);
  });
});
