import type { JsonValue } from '../../sim/canonical-json.ts';
import type { PspEvent } from '../common/psp-core.ts';
import { razorpayRetryDelaysMs } from '../common/retry-schedules.ts';
import type { WebhookDelivery } from '../common/webhook-dispatcher.ts';
import { eventBody, subjectOf } from './events.ts';
import type { EventDraft, RazorpayRuntime, WorkCause, WebhookEndpoint } from './runtime.ts';
import { webhookSignature, wrongSecret } from './signing.ts';

export { razorpayRetryDelaysMs } from '../common/retry-schedules.ts';

/**
 * One delivery of an event to a webhook. Razorpay signs the body alone, with no timestamp: a
 * `stale` tamper has nothing to spoil, so that attempt is signed correctly; `bad_signature`
 * signs with a wrong secret. The event id header stays the same on every redelivery.
 */
export function deliveryFor(
  endpoint: Pick<WebhookEndpoint, 'id' | 'url' | 'secret'>,
  eventId: string,
  event: string,
  body: string,
): WebhookDelivery {
  const record: DeliveryRecord = {
    endpoint: { id: endpoint.id, url: endpoint.url, secret: endpoint.secret },
    eventId,
    event,
    body,
  };
  return {
    psp: 'razorpay',
    eventId,
    eventType: event,
    endpointId: endpoint.id,
    url: endpoint.url,
    body,
    headersFor: (sent, tamper) => ({
      'content-type': 'application/json',
      'user-agent': 'Razorpay-Webhook/v1',
      'x-razorpay-event-id': eventId,
      ...(tamper?.kind === 'unsigned'
        ? {}
        : {
            'x-razorpay-signature': webhookSignature(
              sent,
              tamper?.kind === 'bad_signature' ? wrongSecret(endpoint.secret) : endpoint.secret,
            ),
          }),
    }),
    retryDelaysMs: razorpayRetryDelaysMs,
    onExhausted: 'disable-endpoint',
    record: record as unknown as JsonValue,
  };
}

/** What one delivery is made of: the data a waiting one is kept as, and made again from. */
interface DeliveryRecord {
  readonly endpoint: Pick<WebhookEndpoint, 'id' | 'url' | 'secret'>;
  readonly eventId: string;
  readonly event: string;
  readonly body: string;
}

/** {@link deliveryFor} again, from the record a waiting delivery was kept as. */
export function reviveDelivery(kept: JsonValue): WebhookDelivery {
  const { endpoint, eventId, event, body } = kept as unknown as DeliveryRecord;
  return deliveryFor(endpoint, eventId, event, body);
}

const subscribed = (endpoint: WebhookEndpoint, event: string): boolean =>
  endpoint.events === null || endpoint.events.includes(event);

/**
 * Sends an event: stores it with its exact body, journals it (after the request or action that
 * caused it), and queues one signed delivery per subscribed webhook on Razorpay's schedule.
 */
export function publish(runtime: RazorpayRuntime, draft: EventDraft, cause: WorkCause): PspEvent {
  const id = runtime.ids.razorpay('evt_');
  const createdAt = runtime.sim.clock.nowSeconds();
  const body = eventBody(runtime.accountId, draft, createdAt);
  const objectId = subjectOf(draft);
  const endpoints = runtime.webhooks.filter((endpoint) => subscribed(endpoint, draft.event));
  runtime.store.events.set(id, {
    id,
    event: draft.event,
    objectId,
    paymentId: draft.payment?.id ?? null,
    requestId: cause.requestId,
    idempotencyKey: cause.idempotencyKey,
    createdAt,
    body,
  });
  runtime.sim.journal.append({
    kind: 'event',
    psp: 'razorpay',
    // Keys in canonical order already, so the journal need not sort them.
    data: {
      endpoints: endpoints.length,
      id,
      objectId,
      paymentId: draft.payment?.id ?? null,
      type: draft.event,
    },
  });
  const text = JSON.stringify(body);
  for (const endpoint of endpoints) runtime.dispatcher.enqueue(deliveryFor(endpoint, id, draft.event, text));
  return { psp: 'razorpay', id, type: draft.event, payload: body };
}
