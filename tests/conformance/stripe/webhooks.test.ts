import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stripeRetryDelaysMs } from '../../../src/fakes/stripe/engine.ts';
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

  it('lists events newest first, filtered by type', async () => {
    const customer = await h.stripe.customers.create({});
    await h.stripe.customers.update(customer.id, { name: 'x' });
    const all = await h.stripe.events.list({ limit: 10 });
    expect(all.data.map((event) => event.type).slice(0, 2)).toEqual(['customer.updated', 'customer.created']);
    const filtered = await h.stripe.events.list({ type: 'customer.created' });
    expect(filtered.data.every((event) => event.type === 'customer.created')).toBe(true);
  });
});
