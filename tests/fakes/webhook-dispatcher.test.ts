import { describe, expect, it } from 'vitest';
import {
  adyenRetryDelaysMs,
  razorpayRetryDelaysMs,
  stripeRetryDelaysMs,
} from '../../src/fakes/common/retry-schedules.ts';
import { FaultInjector } from '../../src/fakes/common/faults.ts';
import { WebhookDispatcher, type WebhookDelivery } from '../../src/fakes/common/webhook-dispatcher.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { bareDelivery } from './webhook-support.ts';

const day = 86_400_000;
const sum = (delays: readonly number[]) => delays.reduce((total, delay) => total + delay, 0);

// A receiver that answers from a script (per event id), recording what arrived in order.
function setUp(answers: Record<string, number[]>) {
  const sim = createSimulation({ seed: 1 });
  const arrived: string[] = [];
  const dispatcher = new WebhookDispatcher({
    clock: sim.clock,
    journal: sim.journal,
    send: async ({ body }) => {
      arrived.push(body);
      return { status: answers[body]?.shift() ?? 200 };
    },
  });
  const delivery = (eventId: string, extra: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
    psp: 'adyen',
    eventId,
    eventType: 'AUTHORISATION',
    endpointId: 'endpoint_1',
    url: 'http://127.0.0.1:9/hook',
    body: eventId,
    headersFor: () => ({}),
    retryDelaysMs: [1_000, 2_000],
    ...extra,
  });
  return { sim, dispatcher, arrived, delivery };
}

describe('webhook delivery orderings', () => {
  it('independent (Stripe): a failing event does not hold back the next', async () => {
    const { sim, dispatcher, arrived, delivery } = setUp({ A: [500] });
    dispatcher.enqueue(delivery('A'));
    dispatcher.enqueue(delivery('B'));
    await dispatcher.flush();
    sim.clock.advanceBy(1_000);
    await dispatcher.flush();
    expect(arrived).toEqual(['A', 'B', 'A']);
  });

  it('queue (Adyen): the endpoint waits for the oldest delivery before sending the next', async () => {
    const { sim, dispatcher, arrived, delivery } = setUp({ A: [500, 500] });
    dispatcher.enqueue(delivery('A', { ordering: 'queue' }));
    dispatcher.enqueue(delivery('B', { ordering: 'queue' }));
    await dispatcher.flush();
    expect(arrived).toEqual(['A']);
    sim.clock.advanceBy(1_000);
    await dispatcher.flush();
    expect(arrived).toEqual(['A', 'A']);
    sim.clock.advanceBy(2_000);
    await dispatcher.flush();
    expect(arrived).toEqual(['A', 'A', 'A', 'B']);
  });

  it('queue: an abandoned head lets the next delivery go', async () => {
    const { sim, dispatcher, arrived, delivery } = setUp({ A: [500, 500, 500] });
    dispatcher.enqueue(delivery('A', { ordering: 'queue' }));
    dispatcher.enqueue(delivery('B', { ordering: 'queue' }));
    sim.clock.runUntilIdle();
    await dispatcher.flush();
    for (let round = 0; round < 5; round++) {
      sim.clock.advanceBy(2_000);
      await dispatcher.flush();
    }
    expect(arrived).toEqual(['A', 'A', 'A', 'B']);
  });

  it('disable-endpoint (Razorpay): after retries run out the endpoint gets nothing more', async () => {
    const { sim, dispatcher, arrived, delivery } = setUp({ A: [500, 500, 500] });
    dispatcher.enqueue(delivery('A', { psp: 'razorpay', onExhausted: 'disable-endpoint' }));
    await dispatcher.flush();
    for (let round = 0; round < 3; round++) {
      sim.clock.advanceBy(2_000);
      await dispatcher.flush();
    }
    expect(dispatcher.disabledEndpoints()).toEqual(['endpoint_1']);
    dispatcher.enqueue(delivery('B', { psp: 'razorpay', onExhausted: 'disable-endpoint' }));
    await dispatcher.flush();
    expect(arrived).toEqual(['A', 'A', 'A']);
    const skipped = sim.journal
      .records()
      .filter((record) => (record.data as { outcome?: string }).outcome === 'endpoint_disabled');
    expect(skipped).toHaveLength(1);
  });
});

describe('deliveries taken', () => {
  it('are told once each: after a retry succeeds, never for copies, replays or abandoned ones', async () => {
    const sim = createSimulation({ seed: 1 });
    const faults = new FaultInjector(sim.stream('faults'), sim.journal);
    // A's first attempt is sent three times; B's is replayed a second later.
    faults.load({
      webhooks: [
        { match: { nth: 1 }, effect: { kind: 'duplicate', copies: 2 } },
        { match: { nth: 2 }, effect: { kind: 'replay', afterMs: 1_000 } },
      ],
    });
    const answers: Record<string, number[]> = { C: [500], D: [500, 500, 500] };
    const taken: string[] = [];
    const sent: string[] = [];
    const dispatcher = new WebhookDispatcher({
      clock: sim.clock,
      journal: sim.journal,
      faults,
      send: async ({ body }) => {
        sent.push(body);
        return { status: answers[body]?.shift() ?? 200 };
      },
      delivered: (delivery) => taken.push(delivery.eventId),
    });
    for (const eventId of ['A', 'B', 'C', 'D']) dispatcher.enqueue(bareDelivery(eventId, [1_000, 1_000]));
    await dispatcher.flush();
    expect(taken).toEqual(['A', 'B']);
    for (let round = 0; round < 4; round++) {
      sim.clock.advanceBy(1_000);
      await dispatcher.flush();
    }
    // A thrice (two copies), B twice (the replay), C twice (a retry), D thrice, then abandoned.
    expect(['A', 'B', 'C', 'D'].map((id) => sent.filter((body) => body === id).length)).toEqual([3, 2, 2, 3]);
    const outcomes = sim.journal
      .records()
      .map((record) => record.data as { eventId?: string; outcome?: string });
    expect(outcomes.filter((data) => data.eventId === 'D').map((data) => data.outcome)).toContain(
      'abandoned',
    );
    expect(taken).toEqual(['A', 'B', 'C']);
  });
});

describe('retry schedules', () => {
  it('Stripe retries for up to three days', () => {
    expect(sum(stripeRetryDelaysMs)).toBeLessThanOrEqual(3 * day);
    expect(sum(stripeRetryDelaysMs)).toBeGreaterThan(2 * day);
  });

  it('Adyen makes three quick retries, then queues up to 8 h apart for up to 30 days', () => {
    expect(adyenRetryDelaysMs.slice(0, 3).every((delay) => delay <= 30_000)).toBe(true);
    expect(Math.max(...adyenRetryDelaysMs)).toBe(8 * 3_600_000);
    expect(sum(adyenRetryDelaysMs)).toBeLessThanOrEqual(30 * day);
    expect(sum(adyenRetryDelaysMs)).toBeGreaterThan(29 * day);
  });

  it('Razorpay backs off for 24 hours', () => {
    expect(sum(razorpayRetryDelaysMs)).toBeLessThanOrEqual(day);
    expect(sum(razorpayRetryDelaysMs)).toBeGreaterThan(20 * 3_600_000);
    expect([...razorpayRetryDelaysMs].sort((a, b) => a - b)).toEqual(razorpayRetryDelaysMs);
  });
});
