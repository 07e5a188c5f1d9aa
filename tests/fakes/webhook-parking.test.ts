import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  WebhookDispatcher,
  type WebhookDelivery,
  type WebhookSender,
} from '../../src/fakes/common/webhook-dispatcher.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation, type Simulation } from '../../src/sim/simulation.ts';
import { cardBody, directAdyen } from './adyen/direct.ts';
import { directRazorpay } from './razorpay/direct.ts';
import { bareDelivery } from './webhook-support.ts';

// As `serve` keeps what waits, but a chunk of one: every attempt waiting for its time or its turn
// is written to the file and made again from there.
const parked = { spill: { after: 1, recent: 1 }, freezeState: false } as const;
const secret = 'whsec_parking';

/** What the endpoint got, in order; Stripe's signature checked and its timestamp left out. */
interface Received {
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/**
 * An endpoint that fails the first two attempts of every event, and every attempt of each third
 * event it sees (those are retried to the end of their PSP's schedule).
 */
function flakyEndpoint() {
  const received: Received[] = [];
  const seen: string[] = [];
  const send: WebhookSender = async ({ url, headers, body }) => {
    const { 'stripe-signature': signature, ...rest }: Record<string, string> = headers;
    if (signature !== undefined) {
      const [t, v1] = signature.split(',').map((part) => part.slice(part.indexOf('=') + 1));
      const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
      rest['stripe-signature'] = v1 === expected ? 'valid' : 'invalid';
    }
    received.push({ url, body, headers: rest });
    if (!seen.includes(body)) seen.push(body);
    const attempts = received.filter((earlier) => earlier.body === body).length;
    return { status: seen.indexOf(body) % 3 === 2 || attempts <= 2 ? 500 : 200 };
  };
  return { send, received };
}

/** Flushes, then moves the clock timer by timer until every attempt has run; the most that waited. */
async function settle(
  sim: Simulation,
  fake: { flushWebhooks(): Promise<number> },
  dispatcher: WebhookDispatcher,
) {
  let keptChunks = 0;
  await fake.flushWebhooks();
  for (let step = 0; step < 5_000; step++) {
    keptChunks = Math.max(keptChunks, dispatcher.waiting().keptChunks);
    const next = sim.clock.nextDueAtMs();
    if (next === undefined) return { keptChunks, waiting: dispatcher.waiting().attempts };
    sim.clock.advanceTo(next);
    await fake.flushWebhooks();
  }
  throw new Error('the retries never ended');
}

async function stripeRun(options: typeof parked | Record<string, never>) {
  const sim = createSimulation({ seed: 3 });
  const endpoint = flakyEndpoint();
  const fake = createStripeFake(sim, { ...options, send: endpoint.send });
  fake.registerWebhook({ url: 'http://127.0.0.1:9/stripe', secret });
  for (let n = 0; n < 4; n++) {
    await fake.core.handle({
      method: 'POST',
      path: '/v1/customers',
      query: '',
      headers: { authorization: 'Bearer sk_test_123', 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: `email=c${n}%40example.com`,
    });
  }
  const settled = await settle(sim, fake, fake.runtime.dispatcher);
  return { ...settled, received: endpoint.received, hash: sim.journal.hash() };
}

async function adyenRun(options: typeof parked | Record<string, never>) {
  const endpoint = flakyEndpoint();
  const adyen = directAdyen(3, { ...options, send: endpoint.send });
  adyen.fake.registerWebhook({ url: 'http://127.0.0.1:9/adyen', hmacKeyHex: '44782DEF'.repeat(8) });
  for (let n = 0; n < 4; n++)
    await adyen.call('POST', '/v72/payments', cardBody({ reference: `order-${n}` }));
  const settled = await settle(adyen.sim, adyen.fake, adyen.fake.runtime.dispatcher);
  return { ...settled, received: endpoint.received, hash: adyen.sim.journal.hash() };
}

async function razorpayRun(options: typeof parked | Record<string, never>) {
  const endpoint = flakyEndpoint();
  const r = directRazorpay(3, { ...options, send: endpoint.send });
  r.fake.registerWebhook({ url: 'http://127.0.0.1:9/razorpay', secret });
  for (let n = 0; n < 4; n++) {
    const order = await r.call('POST', '/v1/orders', {
      amount: 1_000 * (n + 1),
      currency: 'INR',
      receipt: `r-${n}`,
    });
    r.act('checkout', { order_id: order.body.id });
  }
  const settled = await settle(r.sim, r.fake, r.fake.runtime.dispatcher);
  return { ...settled, received: endpoint.received, hash: r.sim.journal.hash() };
}

describe('webhook deliveries waiting off the heap (a `serve` whose endpoint fails)', () => {
  it('Stripe sends the same signed bytes on the same schedule as when they wait in memory', async () => {
    const kept = await stripeRun({});
    const off = await stripeRun(parked);
    expect(kept.keptChunks).toBe(0);
    expect(off.keptChunks).toBeGreaterThanOrEqual(3);
    // 4 events (customer.created) and their retries: the third fails all ten of its attempts.
    expect(kept.received.length).toBe(3 * 3 + 10);
    expect(kept.received.every(({ headers }) => headers['stripe-signature'] === 'valid')).toBe(true);
    expect(off.received).toEqual(kept.received);
    expect(off.hash).toBe(kept.hash);
    expect([kept.waiting, off.waiting]).toEqual([0, 0]);
  });

  it("Adyen's queue sends one notification at a time in the same order, each signed the same", async () => {
    const kept = await adyenRun({});
    const off = await adyenRun(parked);
    expect(off.keptChunks).toBeGreaterThanOrEqual(3);
    expect(kept.received.length).toBeGreaterThan(12);
    expect(off.received).toEqual(kept.received);
    expect(off.hash).toBe(kept.hash);
  });

  it('Razorpay disables the endpoint an event exhausted, parked or not', async () => {
    const kept = await razorpayRun({});
    const off = await razorpayRun(parked);
    expect(off.keptChunks).toBeGreaterThanOrEqual(3);
    expect(kept.received.length).toBeGreaterThan(12);
    expect(off.received).toEqual(kept.received);
    expect(off.hash).toBe(kept.hash);
  });
});

describe('attempts waiting on lanes', () => {
  // X and Y wait 1,000 ms to retry, Z 500 ms: Y (failed at 100) and Z (failed at 600) both come
  // due at 1,100. Y was scheduled first, so it goes first, as a timer of its own would have (all three
  // are sent at 1,100, the next flush).
  it('fire in the order they were scheduled, whatever lane they wait on, parked or not', async () => {
    for (const parking of [undefined, { revive: (record: unknown) => delivery(record as string) }]) {
      const sim = createSimulation({ seed: 1 });
      const arrived: string[] = [];
      const dispatcher = new WebhookDispatcher({
        clock: sim.clock,
        journal: sim.journal,
        send: async ({ body }) => {
          arrived.push(`${body}@${sim.clock.nowMs() - startMs}`);
          return { status: arrived.filter((line) => line.startsWith(body)).length === 1 ? 500 : 200 };
        },
        ...(parking === undefined ? {} : { parking: { ...parking, chunkLength: 1, keeper: memoryKeeper() } }),
      });
      const startMs = sim.clock.nowMs();
      for (const [atMs, eventId] of [
        [0, 'X'],
        [100, 'Y'],
        [600, 'Z'],
      ] as const) {
        sim.clock.advanceTo(startMs + atMs);
        dispatcher.enqueue(delivery(eventId));
        await dispatcher.flush();
      }
      sim.clock.advanceTo(startMs + 1_100);
      await dispatcher.flush();
      expect(arrived).toEqual(['X@0', 'Y@100', 'Z@600', 'X@1100', 'Y@1100', 'Z@1100']);
    }
  });
});

function delivery(eventId: string): WebhookDelivery {
  return { ...bareDelivery(eventId, eventId === 'Z' ? [500] : [1_000]), record: eventId };
}

function memoryKeeper() {
  const kept: Buffer[] = [];
  return {
    keep: (bytes: Buffer) => kept.push(Buffer.from(bytes)) - 1,
    read: (at: number) => kept[at]!,
  };
}
