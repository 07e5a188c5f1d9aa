import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adyenRetryDelaysMs } from '../../../src/fakes/adyen/webhooks.ts';
import {
  cardPayment,
  hmacKeyHex,
  startAdyen,
  startAdyenWebhookReceiver,
  type AdyenHarness,
} from '../../support/adyen-harness.ts';

let h: AdyenHarness;
let receiver: Awaited<ReturnType<typeof startAdyenWebhookReceiver>>;
let statuses: number[];

beforeEach(async () => {
  h = await startAdyen();
  statuses = [];
  receiver = await startAdyenWebhookReceiver(hmacKeyHex, () => statuses.shift() ?? 200);
  h.fake.registerWebhook({ url: receiver.url, hmacKeyHex });
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

describe('standard webhooks', () => {
  it('sends one item per POST as JSON, and any 2xx acknowledges', async () => {
    statuses = [202];
    await h.payments.payments(cardPayment({ reference: 'a' }));
    await h.payments.payments(cardPayment({ reference: 'b' }));
    expect(await h.fake.flushWebhooks()).toBe(2);
    expect(receiver.received.map((request) => request.items.length)).toEqual([1, 1]);
    expect(receiver.received[0]!.headers['content-type']).toBe('application/json');
    expect(attempts().map((attempt) => attempt.outcome)).toEqual(['delivered', 'delivered']);
  });

  it('retries a non-2xx on Adyen schedule, holding the queue: the next item waits for the oldest', async () => {
    statuses = [500, 503];
    const first = await h.payments.payments(cardPayment({ reference: 'first' }));
    expect(await h.fake.flushWebhooks()).toBe(1);
    await h.payments.payments(cardPayment({ reference: 'second' }));
    expect(await h.fake.flushWebhooks()).toBe(0);
    h.sim.clock.advanceBy(adyenRetryDelaysMs[0]!);
    expect(await h.fake.flushWebhooks()).toBe(1);
    h.sim.clock.advanceBy(adyenRetryDelaysMs[1]!);
    expect(await h.fake.flushWebhooks()).toBe(2);
    expect(receiver.items().map((item) => item.merchantReference)).toEqual([
      'first',
      'first',
      'first',
      'second',
    ]);
    const log = attempts();
    expect(log.map((attempt) => [attempt.attempt, attempt.status, attempt.outcome])).toEqual([
      [1, 500, 'retry_scheduled'],
      [2, 503, 'retry_scheduled'],
      [3, 200, 'delivered'],
      [1, 200, 'delivered'],
    ]);
    // Redeliveries of one notification keep its event id: pspReference, eventCode, success.
    expect(new Set(log.slice(0, 3).map((attempt) => attempt.eventId))).toEqual(
      new Set([`${first.pspReference}:AUTHORISATION:true`]),
    );
  });

  it('a bad_signature fault forges the in-body HMAC; a receiver that rejects it gets a good retry', async () => {
    await receiver.close();
    receiver = await startAdyenWebhookReceiver(hmacKeyHex, (verified) => (verified ? 200 : 401));
    await h.close();
    h = await startAdyen();
    h.fake.registerWebhook({ url: receiver.url, hmacKeyHex });
    h.fake.runtime.faults.load({
      webhooks: [{ psp: 'adyen', match: { nth: 1 }, effect: { kind: 'bad_signature' } }],
    });
    await h.payments.payments(cardPayment());
    await h.fake.flushWebhooks();
    h.sim.clock.advanceBy(adyenRetryDelaysMs[0]!);
    await h.fake.flushWebhooks();
    expect(receiver.received.map((request) => request.verified)).toEqual([[false], [true]]);
    expect(receiver.received[0]!.headers['x-fakepsp-forge-signature']).toBeUndefined();
    expect(attempts().map((attempt) => [attempt.fault ?? null, attempt.status])).toEqual([
      ['bad_signature', 401],
      [null, 200],
    ]);
  });

  it('journals each event with the object it is about, after the request that caused it', async () => {
    const response = await h.payments.payments(cardPayment());
    const records = h.sim.journal.records();
    const event = records.find((record) => record.kind === 'event')!;
    expect(event.data).toMatchObject({
      type: 'AUTHORISATION',
      objectId: response.pspReference,
      success: 'true',
    });
    const request = records.filter((record) => record.kind === 'request').at(-1)!;
    expect(request.seq).toBeLessThan(event.seq);
    expect((request.data as { requestId: string }).requestId).toBe(response.pspReference);
    expect(h.fake.dump().events[0]).toMatchObject({
      requestId: response.pspReference,
      objectId: response.pspReference,
    });
  });

  it('sends nothing for events before the webhook was configured', async () => {
    await h.close();
    h = await startAdyen();
    await h.payments.payments(cardPayment());
    expect(await h.fake.flushWebhooks()).toBe(0);
    expect(h.fake.dump().events).toHaveLength(1);
    expect(() => h.fake.registerWebhook({ url: receiver.url, hmacKeyHex: 'not-hex' })).toThrow(/hex/);
  });
});
