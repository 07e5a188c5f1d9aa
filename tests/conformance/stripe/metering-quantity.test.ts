import { describe, expect, it } from 'vitest';
import { runWork } from '../../../src/fakes/stripe/engine.ts';
import { createStripeFake, type StripeFake } from '../../../src/fakes/stripe/index.ts';
import { meteredQuantity } from '../../../src/fakes/stripe/resources/meters.ts';
import { platformScope } from '../../../src/fakes/stripe/store.ts';
import { createSimulation, type Simulation } from '../../../src/sim/simulation.ts';

function setup() {
  const sim = createSimulation({ seed: 1 });
  const fake = createStripeFake(sim);
  const call = (path: string, body: string) => {
    const result = fake.core.handleNow({
      method: 'POST',
      path,
      query: '',
      rawBody: body,
      headers: { authorization: 'Bearer sk_test_unit', 'content-type': 'application/x-www-form-urlencoded' },
    });
    return {
      status: result.response.status,
      body: JSON.parse(result.response.body) as Record<string, unknown>,
    };
  };
  return { sim, fake, call };
}

function meterAndCustomer(call: ReturnType<typeof setup>['call'], formula: string, extra = '') {
  const meter = call(
    '/v1/billing/meters',
    `display_name=m&event_name=ev_${formula}&default_aggregation[formula]=${formula}${extra}`,
  ).body.id as string;
  const customer = call('/v1/customers', 'email=q@example.com').body.id as string;
  return { meter, customer };
}

const quantity = (
  fake: StripeFake,
  sim: Simulation,
  meter: string,
  customer: string,
  start: number,
  end: number,
) =>
  runWork(
    fake.runtime,
    { scope: platformScope, label: 'bill', nowSeconds: sim.clock.nowSeconds() },
    (context) => meteredQuantity(context, { meter, customer, startSeconds: start, endSeconds: end }),
  );

describe('meteredQuantity', () => {
  it('sums accepted events by timestamp over [start, end), excluding cancelled ones', () => {
    const { sim, fake, call } = setup();
    const { meter, customer } = meterAndCustomer(call, 'sum');
    const now = sim.clock.nowSeconds();
    const send = (value: string, timestamp: number, identifier: string) =>
      call(
        '/v1/billing/meter_events',
        `event_name=ev_sum&payload[stripe_customer_id]=${customer}&payload[value]=${value}&timestamp=${timestamp}&identifier=${identifier}`,
      );
    expect(send('2.5', now - 100, 'a').status).toBe(200);
    expect(send('4', now - 50, 'b').status).toBe(200);
    expect(send('8', now, 'c').status).toBe(200);
    expect(send('100', now - 200, 'd').status).toBe(200);
    call('/v1/billing/meter_event_adjustments', 'event_name=ev_sum&type=cancel&cancel[identifier]=b');
    expect(quantity(fake, sim, meter, customer, now - 150, now)).toBe(2.5);
    expect(quantity(fake, sim, meter, customer, now - 300, now + 1)).toBe(110.5);
    expect(quantity(fake, sim, 'mtr_unknown', customer, now - 300, now + 1)).toBe(0);
  });

  it('counts an event reported within 1 h after the period closed, but not later', () => {
    const { sim, fake, call } = setup();
    const { meter, customer } = meterAndCustomer(call, 'count');
    const periodEnd = sim.clock.nowSeconds();
    const send = (timestamp: number) =>
      call(
        '/v1/billing/meter_events',
        `event_name=ev_count&payload[stripe_customer_id]=${customer}&timestamp=${timestamp}`,
      );
    sim.clock.advanceBy(3_600_000);
    expect(send(periodEnd - 10).status).toBe(200);
    sim.clock.advanceBy(1_000);
    expect(send(periodEnd - 20).status).toBe(200);
    expect(quantity(fake, sim, meter, customer, periodEnd - 3600, periodEnd)).toBe(1);
    expect(fake.runtime.meterEvents.columns(platformScope).size).toBe(2);
  });

  it('takes the value of the latest event for a last meter', () => {
    const { sim, fake, call } = setup();
    const { meter, customer } = meterAndCustomer(call, 'last');
    const now = sim.clock.nowSeconds();
    for (const [value, offset] of [
      ['5', 30],
      ['9', 10],
      ['7', 20],
    ] as const) {
      call(
        '/v1/billing/meter_events',
        `event_name=ev_last&payload[stripe_customer_id]=${customer}&payload[value]=${value}&timestamp=${now - offset}`,
      );
    }
    expect(quantity(fake, sim, meter, customer, now - 60, now)).toBe(9);
  });

  it('keeps only the newest event per hour for a pre-aggregated meter', () => {
    const { sim, fake, call } = setup();
    const { meter, customer } = meterAndCustomer(call, 'sum', '&event_time_window=hour');
    const hourStart = Math.floor(sim.clock.nowSeconds() / 3600) * 3600;
    for (const value of ['3', '4']) {
      call(
        '/v1/billing/meter_events',
        `event_name=ev_sum&payload[stripe_customer_id]=${customer}&payload[value]=${value}&timestamp=${hourStart}`,
      );
    }
    expect(quantity(fake, sim, meter, customer, hourStart, hourStart + 3600)).toBe(4);
  });
});
