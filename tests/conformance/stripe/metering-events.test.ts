import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { platformScope } from '../../../src/fakes/stripe/store.ts';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
let meter: Stripe.Billing.Meter;
let customer: Stripe.Customer;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

let eventName = '';
let counter = 0;
beforeEach(async () => {
  eventName = `calls_${++counter}`;
  meter = await h.stripe.billing.meters.create({
    display_name: eventName,
    event_name: eventName,
    default_aggregation: { formula: 'sum' },
  });
  customer = await h.stripe.customers.create({ email: `${eventName}@example.com` });
});

const hour = 3_600_000;
const send = (value: string, extra: Partial<Stripe.Billing.MeterEventCreateParams> = {}) =>
  h.stripe.billing.meterEvents.create({
    event_name: eventName,
    payload: { stripe_customer_id: customer.id, value },
    ...extra,
  });

async function total(): Promise<number> {
  const end = Math.ceil((h.sim.clock.nowSeconds() + 600) / 60) * 60;
  const summaries = await h.stripe.billing.meters.listEventSummaries(meter.id, {
    customer: customer.id,
    start_time: end - 40 * 86_400,
    end_time: end,
  });
  return summaries.data[0]!.aggregated_value;
}

type StoredEvent = { type: string; data: { object: Record<string, unknown> } };
const storedEvents = (type: string) =>
  (h.fake.runtime.store.values(platformScope, 'event') as unknown as readonly StoredEvent[]).filter(
    (event) => event.type === type,
  );

describe('meter events v1', () => {
  it('accepts an event, defaulting timestamp and identifier, and aggregates it', async () => {
    const event = await send('7');
    expectStripeShape('billing.meter_event', event);
    expect(event).toMatchObject({
      event_name: eventName,
      timestamp: h.sim.clock.nowSeconds(),
      livemode: false,
    });
    expect(event.identifier.length).toBeGreaterThan(0);
    expect(await total()).toBe(7);
  });

  it('answers a duplicate identifier within 24 h with 400 and counts it once', async () => {
    await send('5', { identifier: `${eventName}-once` });
    const error = await send('5', { identifier: `${eventName}-once` }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      param: 'identifier',
      message: `An event already exists with identifier ${eventName}-once.`,
    });
    expect(await total()).toBe(5);
  });

  it('accepts the same identifier again once 24 h of virtual time have passed', async () => {
    await send('1', { identifier: `${eventName}-daily` });
    h.sim.clock.advanceBy(24 * hour);
    await send('2', { identifier: `${eventName}-daily` });
    expect(await total()).toBe(3);
  });

  it('answers a timestamp beyond +5 min or before −35 days with 400 naming timestamp', async () => {
    const now = h.sim.clock.nowSeconds();
    const future = await send('1', { timestamp: now + 301 }).catch((caught: unknown) => caught);
    expect(future).toMatchObject({ statusCode: 400, param: 'timestamp' });
    const past = await send('1', { timestamp: now - 35 * 86_400 - 1 }).catch((caught: unknown) => caught);
    expect(past).toMatchObject({ statusCode: 400, param: 'timestamp' });
    await send('4', { timestamp: now + 300 });
    await send('6', { timestamp: now - 35 * 86_400 });
    expect(await total()).toBe(4 + 6);
  });

  it('reports an unknown customer and a bad value asynchronously, not as HTTP errors', async () => {
    const ghost = await h.stripe.billing.meterEvents.create({
      event_name: eventName,
      payload: { stripe_customer_id: 'cus_ghost', value: '3' },
      identifier: `${eventName}-ghost`,
    });
    expect(ghost.identifier).toBe(`${eventName}-ghost`);
    await send('lots', { identifier: `${eventName}-nan` });
    const before = storedEvents('v1.billing.meter.error_report_triggered').length;
    h.sim.clock.advanceBy(60_000);
    const reports = storedEvents('v1.billing.meter.error_report_triggered').slice(before);
    expect(reports).toHaveLength(1);
    const report = reports[0]!.data.object as {
      meter: string;
      reason: {
        error_count: number;
        error_types: Array<{ code: string; sample_errors: Array<{ request: { identifier: string } }> }>;
      };
    };
    expect(report.meter).toBe(meter.id);
    expect(report.reason.error_count).toBe(2);
    expect(report.reason.error_types.map((type) => type.code).sort()).toEqual([
      'meter_event_customer_not_found',
      'meter_event_invalid_value',
    ]);
    expect(await total()).toBe(0);
  });

  it('reports an event name with no meter as v1.billing.meter.no_meter_found', async () => {
    await h.stripe.billing.meterEvents.create({
      event_name: `${eventName}_nobody`,
      payload: { stripe_customer_id: customer.id, value: '1' },
    });
    const before = storedEvents('v1.billing.meter.no_meter_found').length;
    h.sim.clock.advanceBy(60_000);
    const reports = storedEvents('v1.billing.meter.no_meter_found').slice(before);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.data.object).toMatchObject({ meter: null, reason: { error_count: 1 } });
  });

  it('answers a payload that is not a hash of strings with 400', async () => {
    const error = await h.stripe.billing.meterEvents
      .create({ event_name: eventName, payload: 'x' as never })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, param: 'payload' });
  });
});

describe('meter event adjustments', () => {
  it('cancels an event within 24 h of receipt: pending, and it stops counting', async () => {
    await send('9', { identifier: `${eventName}-cancel` });
    await send('1');
    const adjustment = await h.stripe.billing.meterEventAdjustments.create({
      event_name: eventName,
      type: 'cancel',
      cancel: { identifier: `${eventName}-cancel` },
    });
    expectStripeShape('billing.meter_event_adjustment', adjustment);
    expect(adjustment).toMatchObject({
      status: 'pending',
      type: 'cancel',
      cancel: { identifier: `${eventName}-cancel` },
    });
    expect(await total()).toBe(1);
    const twice = await h.stripe.billing.meterEventAdjustments
      .create({ event_name: eventName, type: 'cancel', cancel: { identifier: `${eventName}-cancel` } })
      .catch((caught: unknown) => caught);
    expect(twice).toMatchObject({ statusCode: 400, param: 'cancel[identifier]' });
  });

  it('refuses to cancel once 24 h have passed since receipt', async () => {
    await send('9', { identifier: `${eventName}-late` });
    h.sim.clock.advanceBy(24 * hour);
    const error = await h.stripe.billing.meterEventAdjustments
      .create({ event_name: eventName, type: 'cancel', cancel: { identifier: `${eventName}-late` } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, param: 'cancel[identifier]' });
    expect(await total()).toBe(9);
  });

  it('refuses an unknown identifier and a mismatched event_name', async () => {
    await send('2', { identifier: `${eventName}-mine` });
    const unknown = await h.stripe.billing.meterEventAdjustments
      .create({ event_name: eventName, type: 'cancel', cancel: { identifier: 'nope' } })
      .catch((caught: unknown) => caught);
    expect(unknown).toMatchObject({ statusCode: 400 });
    const mismatched = await h.stripe.billing.meterEventAdjustments
      .create({ event_name: 'other_name', type: 'cancel', cancel: { identifier: `${eventName}-mine` } })
      .catch((caught: unknown) => caught);
    expect(mismatched).toMatchObject({ statusCode: 400 });
    expect(await total()).toBe(2);
  });
});
