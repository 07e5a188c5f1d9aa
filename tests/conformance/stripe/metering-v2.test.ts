import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformScope } from '../../../src/fakes/stripe/store.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
let meter: Stripe.Billing.Meter;
let customer: Stripe.Customer;
beforeAll(async () => {
  h = await startStripe();
  meter = await h.stripe.billing.meters.create({
    display_name: 'v2',
    event_name: 'v2_calls',
    default_aggregation: { formula: 'sum' },
  });
  customer = await h.stripe.customers.create({ email: 'v2@example.com' });
});
afterAll(() => h.close());

async function total(): Promise<number> {
  const end = Math.ceil((h.sim.clock.nowSeconds() + 600) / 60) * 60;
  const summaries = await h.stripe.billing.meters.listEventSummaries(meter.id, {
    customer: customer.id,
    start_time: end - 30 * 86_400,
    end_time: end,
  });
  return summaries.data[0]!.aggregated_value;
}

// The SDK sends the stream with the session token as its bearer key, as against Stripe.
let token: string;
async function stream(events: unknown[]): Promise<{ status: number; body: unknown; param?: string }> {
  token ??= (await h.stripe.v2.billing.meterEventSession.create()).authentication_token;
  const params = { events } as Parameters<Stripe['v2']['billing']['meterEventStream']['create']>[0];
  return h.stripe.v2.billing.meterEventStream.create(params, { apiKey: token }).then(
    (body) => ({ status: 200, body }),
    (error: Stripe.errors.StripeError) => ({
      status: error.statusCode ?? 0,
      body: error.raw,
      ...(error.param === undefined ? {} : { param: error.param }),
    }),
  );
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('v2 meter event sessions and streams', () => {
  it('opens a session whose token is valid for 15 minutes of virtual time', async () => {
    const session = await h.stripe.v2.billing.meterEventSession.create();
    expect(session).toMatchObject({ object: 'v2.billing.meter_event_session', livemode: false });
    expect(session.authentication_token).toMatch(/^ek_test_/);
    expect(Date.parse(session.expires_at) - Date.parse(session.created)).toBe(15 * 60_000);
    expect(session.created).toBe(iso(h.sim.clock.nowSeconds()));
  });

  it('accepts up to 100 events with an empty JSON body, dropping duplicate identifiers', async () => {
    const now = h.sim.clock.nowSeconds();
    const events = [1, 2, 2].map((n) => ({
      event_name: 'v2_calls',
      identifier: `stream-${n}`,
      timestamp: iso(now),
      payload: { stripe_customer_id: customer.id, value: '10' },
    }));
    const result = await stream(events);
    expect(result.status).toBe(200);
    expect(await total()).toBe(20);
  });

  it('refuses more than 100 events, and a bad timestamp format, with 400', async () => {
    const event = { event_name: 'v2_calls', payload: { stripe_customer_id: customer.id, value: '1' } };
    expect((await stream(Array.from({ length: 101 }, () => event))).status).toBe(400);
    const bad = await stream([{ ...event, timestamp: 'yesterday' }]);
    expect(bad).toMatchObject({ status: 400, param: 'events[0][timestamp]' });
  });

  it('refuses an API key or an unknown token on the stream, and an expired session with 401', async () => {
    const event = { event_name: 'v2_calls', payload: { stripe_customer_id: customer.id, value: '1' } };
    const params = { events: [event] } as Parameters<
      Stripe['v2']['billing']['meterEventStream']['create']
    >[0];
    const withKey = await h.stripe.v2.billing.meterEventStream.create(params).catch((e: unknown) => e);
    expect(withKey).toMatchObject({ statusCode: 401 });
    const unknown = await h.stripe.v2.billing.meterEventStream
      .create(params, { apiKey: 'ek_test_nosuchsession' })
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 401 });
    const session = await h.stripe.v2.billing.meterEventSession.create();
    h.sim.clock.advanceBy(15 * 60_000);
    const expired = await h.stripe.v2.billing.meterEventStream
      .create(params, { apiKey: session.authentication_token })
      .catch((e: unknown) => e);
    expect(expired).toMatchObject({ statusCode: 401, code: 'billing_meter_event_session_expired' });
    token = (await h.stripe.v2.billing.meterEventSession.create()).authentication_token;
  });

  it('reports a stream event outside the time window asynchronously instead of refusing it', async () => {
    const before = await total();
    const old = iso(h.sim.clock.nowSeconds() - 40 * 86_400);
    const result = await stream([
      { event_name: 'v2_calls', timestamp: old, payload: { stripe_customer_id: customer.id, value: '5' } },
    ]);
    expect(result.status).toBe(200);
    h.sim.clock.advanceBy(60_000);
    const reports = (
      h.fake.runtime.store.values(platformScope, 'event') as unknown as ReadonlyArray<{
        type: string;
        data: { object: { reason: { error_types: Array<{ code: string }> } } };
      }>
    ).filter((event) => event.type === 'v1.billing.meter.error_report_triggered');
    expect(reports.at(-1)!.data.object.reason.error_types[0]!.code).toBe('timestamp_too_far_in_past');
    expect(await total()).toBe(before);
  });
});

describe('v2 single meter events and adjustments', () => {
  it('creates a v2 meter event synchronously and renders RFC 3339 times', async () => {
    const before = await total();
    const event = await h.stripe.v2.billing.meterEvents.create({
      event_name: 'v2_calls',
      identifier: 'v2-single',
      payload: { stripe_customer_id: customer.id, value: '3' },
    });
    expect(event).toMatchObject({ object: 'v2.billing.meter_event', identifier: 'v2-single' });
    expect(event.timestamp).toBe(iso(h.sim.clock.nowSeconds()));
    expect(await total()).toBe(before + 3);
    const again = await h.stripe.v2.billing.meterEvents
      .create({
        event_name: 'v2_calls',
        identifier: 'v2-single',
        payload: { stripe_customer_id: customer.id, value: '3' },
      })
      .catch((caught: unknown) => caught);
    expect(again).toMatchObject({ statusCode: 400 });
  });

  it('cancels through a v2 adjustment', async () => {
    await h.stripe.v2.billing.meterEvents.create({
      event_name: 'v2_calls',
      identifier: 'v2-cancel',
      payload: { stripe_customer_id: customer.id, value: '4' },
    });
    const before = await total();
    const adjustment = await h.stripe.v2.billing.meterEventAdjustments.create({
      event_name: 'v2_calls',
      type: 'cancel',
      cancel: { identifier: 'v2-cancel' },
    });
    expect(adjustment).toMatchObject({ object: 'v2.billing.meter_event_adjustment', status: 'pending' });
    expect(adjustment.id).toMatch(/^mtradj_/);
    expect(await total()).toBe(before - 4);
  });
});
