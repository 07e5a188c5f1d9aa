import { describe, expect, it } from 'vitest';
import { WebhookDispatcher, type WebhookDelivery } from '../../src/fakes/common/webhook-dispatcher.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { bareDelivery } from './webhook-support.ts';

/**
 * A receiver whose answers come back in the reverse of the order the attempts went out (each
 * waits for the one sent after it), answering 500 for the events `failing` names.
 */
function setUp(inFlight: number | undefined, failing: readonly string[] = []) {
  const sim = createSimulation({ seed: 1 });
  let open = 0;
  let mostOpen = 0;
  const waiting: Array<() => void> = [];
  const dispatcher = new WebhookDispatcher({
    clock: sim.clock,
    journal: sim.journal,
    ...(inFlight === undefined ? {} : { inFlight }),
    send: async ({ body }) => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      // The latest attempt answers first; each answer releases the one sent before it.
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        setImmediate(() => waiting.pop()?.());
      });
      open--;
      return { status: failing.includes(body) ? 500 : 200 };
    },
  });
  const delivery = (eventId: string): WebhookDelivery => bareDelivery(eventId, [60_000]);
  const attempts = () =>
    sim.journal
      .records()
      .filter((record) => record.kind === 'webhook_attempt')
      .map((record) => {
        const data = record.data as { eventId: string; attempt: number; outcome: string };
        return `${data.eventId}#${data.attempt} ${data.outcome}`;
      });
  return { sim, dispatcher, delivery, attempts, mostOpen: () => mostOpen };
}

const events = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];

describe('webhook attempts in flight at once', () => {
  it('sends one at a time by default', async () => {
    const run = setUp(undefined);
    for (const id of events) run.dispatcher.enqueue(run.delivery(id));
    expect(await run.dispatcher.flush()).toBe(events.length);
    expect(run.mostOpen()).toBe(1);
  });

  it('sends up to the limit at once, and journals and retries each in the order it started', async () => {
    const run = setUp(3, ['B', 'F']);
    for (const id of events) run.dispatcher.enqueue(run.delivery(id));
    expect(await run.dispatcher.flush()).toBe(events.length);
    expect(run.mostOpen()).toBe(3);
    const firstRound = events.map(
      (id) => `${id}#1 ${['B', 'F'].includes(id) ? 'retry_scheduled' : 'delivered'}`,
    );
    expect(run.attempts()).toEqual(firstRound);
    // The failed ones come back on schedule, as they would one at a time.
    run.sim.clock.advanceBy(60_000);
    expect(await run.dispatcher.flush()).toBe(2);
    expect(run.attempts()).toEqual([...firstRound, 'B#2 abandoned', 'F#2 abandoned']);
  });

  it('journals the same records in flight as one at a time, for the same answers', async () => {
    const one = setUp(undefined, ['C']);
    const many = setUp(4, ['C']);
    for (const run of [one, many]) {
      for (const id of events) run.dispatcher.enqueue(run.delivery(id));
      await run.dispatcher.flush();
    }
    expect(many.attempts()).toEqual(one.attempts());
    expect(many.sim.journal.hash()).toBe(one.sim.journal.hash());
  });
});
