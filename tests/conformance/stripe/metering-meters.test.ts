import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformScope } from '../../../src/fakes/stripe/store.ts';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

const eventTypes = () =>
  h.fake.runtime.store.values(platformScope, 'event') as unknown as ReadonlyArray<{
    type: string;
    data: { object: { id?: string } };
  }>;

describe('billing meters through the official SDK', () => {
  it('creates a meter with Stripe defaults and emits billing.meter.created', async () => {
    const meter = await h.stripe.billing.meters.create({
      display_name: 'API calls',
      event_name: 'api_calls',
      default_aggregation: { formula: 'sum' },
    });
    expectStripeShape('billing.meter', meter);
    expect(meter.id).toMatch(/^mtr_/);
    expect(meter).toMatchObject({
      status: 'active',
      customer_mapping: { type: 'by_id', event_payload_key: 'stripe_customer_id' },
      value_settings: { event_payload_key: 'value' },
      event_time_window: null,
      status_transitions: { deactivated_at: null },
    });
    expect(
      eventTypes().some(
        (event) => event.type === 'billing.meter.created' && event.data.object.id === meter.id,
      ),
    ).toBe(true);
  });

  it('updates only display_name; other fields are unknown parameters', async () => {
    const meter = await h.stripe.billing.meters.create({
      display_name: 'Tokens',
      event_name: 'tokens',
      default_aggregation: { formula: 'count' },
    });
    const updated = await h.stripe.billing.meters.update(meter.id, { display_name: 'LLM tokens' });
    expect(updated.display_name).toBe('LLM tokens');
    const error = await h.stripe.billing.meters
      .update(meter.id, { event_name: 'other' } as never)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'event_name' });
  });

  it('deactivates and reactivates, lists by status, and refuses a repeated transition', async () => {
    const meter = await h.stripe.billing.meters.create({
      display_name: 'Storage',
      event_name: 'storage_gb',
      default_aggregation: { formula: 'last' },
    });
    const inactive = await h.stripe.billing.meters.deactivate(meter.id);
    expect(inactive.status).toBe('inactive');
    expect(inactive.status_transitions.deactivated_at).toBe(h.sim.clock.nowSeconds());
    const listed = await h.stripe.billing.meters.list({ status: 'inactive' });
    expect(listed.data.map((item) => item.id)).toContain(meter.id);
    const again = await h.stripe.billing.meters.deactivate(meter.id).catch((caught: unknown) => caught);
    expect(again).toMatchObject({ statusCode: 400 });
    const active = await h.stripe.billing.meters.reactivate(meter.id);
    expect(active).toMatchObject({ status: 'active', status_transitions: { deactivated_at: null } });
    const types = eventTypes()
      .filter((event) => event.data.object.id === meter.id)
      .map((event) => event.type);
    expect(types).toEqual([
      'billing.meter.created',
      'billing.meter.deactivated',
      'billing.meter.reactivated',
    ]);
  });

  it('refuses a second active meter for the same event_name', async () => {
    await h.stripe.billing.meters.create({
      display_name: 'A',
      event_name: 'dup_name',
      default_aggregation: { formula: 'sum' },
    });
    const error = await h.stripe.billing.meters
      .create({ display_name: 'B', event_name: 'dup_name', default_aggregation: { formula: 'sum' } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, param: 'event_name' });
  });

  it('validates the formula and required fields with 400s', async () => {
    const formula = await h.stripe.billing.meters
      .create({ display_name: 'x', event_name: 'bad_formula', default_aggregation: { formula: 'max' } })
      .catch((caught: unknown) => caught);
    expect(formula).toMatchObject({ statusCode: 400, param: 'default_aggregation[formula]' });
    const missing = await h.stripe.billing.meters
      .create({ display_name: 'x', default_aggregation: { formula: 'sum' } } as never)
      .catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'event_name' });
    const unknown = await h.stripe.billing.meters.retrieve('mtr_missing').catch((caught: unknown) => caught);
    expect(unknown).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('meter event summaries', () => {
  it('sums events over a minute-aligned window and groups by hour', async () => {
    const meter = await h.stripe.billing.meters.create({
      display_name: 'Summaries',
      event_name: 'summary_calls',
      default_aggregation: { formula: 'sum' },
    });
    const customer = await h.stripe.customers.create({ email: 's@example.com' });
    const now = h.sim.clock.nowSeconds();
    const hour = Math.floor(now / 3600) * 3600;
    const at = [hour - 3600 + 60, hour - 3600 + 120, hour + 1];
    for (const [index, timestamp] of at.entries()) {
      await h.stripe.billing.meterEvents.create({
        event_name: 'summary_calls',
        timestamp,
        payload: { stripe_customer_id: customer.id, value: String(index + 1) },
      });
    }
    const whole = await h.stripe.billing.meters.listEventSummaries(meter.id, {
      customer: customer.id,
      start_time: hour - 3600,
      end_time: hour + 3600,
    });
    expect(whole.data).toHaveLength(1);
    expectStripeShape('billing.meter_event_summary', whole.data[0]);
    expect(whole.data[0]).toMatchObject({
      aggregated_value: 6,
      meter: meter.id,
      start_time: hour - 3600,
      end_time: hour + 3600,
    });
    const hourly = await h.stripe.billing.meters.listEventSummaries(meter.id, {
      customer: customer.id,
      start_time: hour - 3600,
      end_time: hour + 3600,
      value_grouping_window: 'hour',
    });
    expect(hourly.data.map((summary) => [summary.start_time, summary.aggregated_value])).toEqual([
      [hour, 3],
      [hour - 3600, 3],
    ]);
  });

  it('refuses a start_time that is not minute-aligned', async () => {
    const meter = await h.stripe.billing.meters.create({
      display_name: 'Align',
      event_name: 'align_calls',
      default_aggregation: { formula: 'sum' },
    });
    const customer = await h.stripe.customers.create({});
    const error = await h.stripe.billing.meters
      .listEventSummaries(meter.id, { customer: customer.id, start_time: 61, end_time: 3600 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, param: 'start_time' });
  });
});
