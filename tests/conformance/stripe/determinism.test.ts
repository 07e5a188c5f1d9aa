import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripe, startWebhookReceiver } from '../../support/stripe-harness.ts';

// One receiver for every run, so the SUT's webhook URL is the same in each.
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let statuses: number[] = [];
beforeAll(async () => (receiver = await startWebhookReceiver(() => statuses.shift() ?? 200)));
afterAll(() => receiver.close());

// A scripted run through the official SDK, which mints random idempotency keys: the journal
// must depend on nothing but the seed and what the SUT does.
async function scriptedRun(seed: number, receiverStatuses: number[]) {
  statuses = [...receiverStatuses];
  const h = await startStripe(seed);
  try {
    await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    const customer = await h.stripe.customers.create({ email: 'd@example.com', metadata: { n: '1' } });
    await h.stripe.customers.update(customer.id, { name: 'Det' });
    await h.stripe.customers.list({ limit: 3 });
    await h.fake.flushWebhooks();
    h.sim.clock.advanceBy(3_600_000);
    await h.fake.flushWebhooks();
    return { hash: h.sim.journal.hash(), customerId: customer.id, jsonl: h.sim.journal.toJsonl() };
  } finally {
    await h.close();
  }
}

describe('determinism', () => {
  it('gives the same journal, byte for byte, for the same seed; another seed gives another', async () => {
    const first = await scriptedRun(11, [500]);
    const second = await scriptedRun(11, [500]);
    const other = await scriptedRun(12, [500]);
    expect(second.jsonl).toBe(first.jsonl);
    expect(second.hash).toBe(first.hash);
    expect(other.hash).not.toBe(first.hash);
    expect(other.customerId).not.toBe(first.customerId);
  });

  it('changes the hash when the receiver behaves differently', async () => {
    const failing = await scriptedRun(11, [500]);
    const healthy = await scriptedRun(11, []);
    expect(healthy.hash).not.toBe(failing.hash);
  });
});
