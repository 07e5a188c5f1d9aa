import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultPlan } from '../../src/fakes/common/faults.ts';
import { startStripe, startWebhookReceiver, type StripeHarness } from '../support/stripe-harness.ts';

let h: StripeHarness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let secret: string;

async function setUp(seed = 1) {
  h = await startStripe(seed);
  receiver = await startWebhookReceiver();
  secret = (
    await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] })
  ).secret!;
}
beforeEach(() => setUp());
afterEach(async () => {
  await receiver.close();
  await h.close();
});

const received = () =>
  receiver.received.map(
    (request) => (JSON.parse(request.body) as { data: { object: { email: string } } }).data.object.email,
  );

async function createCustomers(emails: string[]) {
  for (const email of emails) await h.stripe.customers.create({ email });
}

describe('webhook faults', () => {
  it('duplicate: the same event, byte for byte, arrives twice', async () => {
    h.fake.runtime.faults.load({ webhooks: [{ match: { nth: 1 }, effect: { kind: 'duplicate' } }] });
    await createCustomers(['a@x.test', 'b@x.test']);
    await h.fake.flushWebhooks();
    expect(received()).toEqual(['a@x.test', 'a@x.test', 'b@x.test']);
    expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body);
  });

  it('drop: the attempt is lost and Stripe retries it on schedule', async () => {
    h.fake.runtime.faults.load({ webhooks: [{ match: { nth: 1 }, effect: { kind: 'drop' } }] });
    await createCustomers(['a@x.test', 'b@x.test']);
    await h.fake.flushWebhooks();
    expect(received()).toEqual(['b@x.test']);
    h.sim.clock.advanceBy(60_000);
    await h.fake.flushWebhooks();
    expect(received()).toEqual(['b@x.test', 'a@x.test']);
  });

  it('delay: an event arrives after later ones', async () => {
    h.fake.runtime.faults.load({
      webhooks: [{ match: { nth: 1 }, effect: { kind: 'delay', delayMs: 5_000 } }],
    });
    await createCustomers(['a@x.test', 'b@x.test', 'c@x.test']);
    await h.fake.flushWebhooks();
    expect(received()).toEqual(['b@x.test', 'c@x.test']);
    h.sim.clock.advanceBy(5_000);
    await h.fake.flushWebhooks();
    expect(received()).toEqual(['b@x.test', 'c@x.test', 'a@x.test']);
  });

  it('reorder: events within the window arrive in a seeded order, the same for the same seed', async () => {
    const plan: FaultPlan = { webhooks: [{ match: {}, effect: { kind: 'reorder', windowMs: 10_000 } }] };
    const orderFor = async () => {
      h.fake.runtime.faults.load(plan);
      await createCustomers(['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'e@x.test']);
      await h.fake.flushWebhooks();
      h.sim.clock.advanceBy(10_000);
      await h.fake.flushWebhooks();
      return received();
    };
    const first = await orderFor();
    expect([...first].sort()).toEqual(['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'e@x.test']);
    expect(first).not.toEqual(['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'e@x.test']);
    await receiver.close();
    await h.close();
    await setUp(1);
    expect(await orderFor()).toEqual(first);
  });

  it('outage: attempts fail while the endpoint is down, then retries get through', async () => {
    const now = h.sim.clock.nowMs();
    h.fake.runtime.faults.load({ outages: [{ fromMs: now, toMs: now + 10 * 60_000 }] });
    await createCustomers(['a@x.test']);
    await h.fake.flushWebhooks();
    h.sim.clock.advanceBy(60_000);
    await h.fake.flushWebhooks();
    expect(received()).toEqual([]);
    h.sim.clock.advanceBy(5 * 60_000);
    await h.fake.flushWebhooks();
    expect(received()).toEqual([]);
    h.sim.clock.advanceBy(30 * 60_000);
    await h.fake.flushWebhooks();
    expect(received()).toEqual(['a@x.test']);
    const attempts = h.sim.journal
      .records()
      .filter((record) => record.kind === 'webhook_attempt' && 'outcome' in (record.data as object))
      .map((record) => (record.data as { outcome: string }).outcome);
    expect(attempts).toEqual(['retry_scheduled', 'retry_scheduled', 'retry_scheduled', 'delivered']);
  });

  it('bad signature and stale timestamp: constructEvent rejects them; the journal marks them', async () => {
    h.fake.runtime.faults.load({
      webhooks: [
        { match: { nth: 1 }, effect: { kind: 'bad_signature' } },
        { match: { nth: 2 }, effect: { kind: 'stale_timestamp', ageSeconds: 600 } },
      ],
    });
    await createCustomers(['a@x.test', 'b@x.test', 'c@x.test']);
    await h.fake.flushWebhooks();
    const verify = (index: number) => () =>
      h.stripe.webhooks.constructEvent(
        receiver.received[index]!.body,
        String(receiver.received[index]!.headers['stripe-signature']),
        secret,
      );
    expect(verify(0)).toThrow(/No signatures found/);
    expect(verify(1)).toThrow(/Timestamp outside the tolerance zone/);
    expect(verify(2)).not.toThrow();
    const tampered = h.sim.journal
      .records()
      .filter((record) => (record.data as { fault?: string }).fault !== undefined);
    expect(tampered.map((record) => (record.data as { fault: string }).fault)).toEqual([
      'bad_signature',
      'stale_timestamp',
    ]);
  });

  it('unsigned: the Stripe-Signature header is left out; the journal marks the attempt', async () => {
    h.fake.runtime.faults.load({ webhooks: [{ match: { nth: 1 }, effect: { kind: 'unsigned' } }] });
    await createCustomers(['a@x.test', 'b@x.test']);
    await h.fake.flushWebhooks();
    expect(receiver.received[0]!.headers['stripe-signature']).toBeUndefined();
    expect(receiver.received[1]!.headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const marked = h.sim.journal
      .records()
      .filter((record) => (record.data as { fault?: string }).fault === 'unsigned');
    expect(marked).toHaveLength(1);
  });

  it('replay: an old event is sent again later', async () => {
    h.fake.runtime.faults.load({
      webhooks: [{ match: { nth: 1 }, effect: { kind: 'replay', afterMs: 3_600_000 } }],
    });
    await createCustomers(['a@x.test']);
    await h.fake.flushWebhooks();
    h.sim.clock.advanceBy(3_600_000);
    await h.fake.flushWebhooks();
    expect(received()).toEqual(['a@x.test', 'a@x.test']);
  });
});
