import type { JsonValue } from '../../sim/canonical-json.ts';
import type { PspEvent } from '../common/psp-core.ts';
import { adyenRetryDelaysMs } from '../common/retry-schedules.ts';
import type { WebhookDelivery } from '../common/webhook-dispatcher.ts';
import { signItem } from './hmac.ts';
import { eventIdOf, notificationBody, notificationItem, type ItemDraft } from './notifications.ts';
import type { AdyenRuntime, NotificationCause, WebhookEndpoint } from './runtime.ts';
import { isoAt, type NotificationItem } from './wire.ts';

export { adyenRetryDelaysMs } from '../common/retry-schedules.ts';

// A well-formed key that is not the merchant's: items signed with it fail verification.
const forgedKeyHex = 'DEADBEEF'.repeat(8);

/**
 * One notification on its way to one webhook, signed with the webhook's HMAC key. Adyen signs
 * inside the body (`additionalData.hmacSignature`), so a `bad_signature` fault gets other bytes:
 * the same items signed with a key that is not the merchant's. Adyen's HMAC has no timestamp,
 * so a `stale` tamper has nothing to spoil and is signed correctly; an `unsigned` one leaves
 * `hmacSignature` out.
 */
export function deliveryFor(
  endpoint: WebhookEndpoint,
  eventId: string,
  item: NotificationItem,
): WebhookDelivery {
  const body = notificationBody(signItem(item, endpoint.hmacKeyHex));
  const record: DeliveryRecord = {
    endpoint: { id: endpoint.id, url: endpoint.url, hmacKeyHex: endpoint.hmacKeyHex },
    eventId,
    item,
  };
  return {
    psp: 'adyen',
    eventId,
    eventType: item.eventCode,
    endpointId: endpoint.id,
    url: endpoint.url,
    body,
    bodyFor: (tamper) =>
      tamper?.kind === 'bad_signature'
        ? notificationBody(signItem(item, forgedKeyHex))
        : tamper?.kind === 'unsigned'
          ? notificationBody(item)
          : body,
    headersFor: () => ({ 'content-type': 'application/json', 'user-agent': 'Adyen HttpClient 1.0' }),
    retryDelaysMs: adyenRetryDelaysMs,
    // Adyen's per-endpoint retry queue: the next notification waits for the oldest.
    ordering: 'queue',
    record: record as unknown as JsonValue,
  };
}

/** What one delivery is made of: the data a waiting one is kept as, and made again from. */
interface DeliveryRecord {
  readonly endpoint: WebhookEndpoint;
  readonly eventId: string;
  readonly item: NotificationItem;
}

/** {@link deliveryFor} again, from the record a waiting delivery was kept as: the same bytes, signed again. */
export function reviveDelivery(kept: JsonValue): WebhookDelivery {
  const { endpoint, eventId, item } = kept as unknown as DeliveryRecord;
  return deliveryFor(endpoint, eventId, item);
}

function uniqueEventId(runtime: AdyenRuntime, item: NotificationItem): string {
  const base = eventIdOf(item);
  let id = base;
  for (let copy = 2; runtime.store.events.has(id); copy++) id = `${base}#${copy}`;
  return id;
}

/**
 * Sends a notification: dates and stores it, journals it, and queues one signed delivery per
 * registered webhook on Adyen's retry schedule. Returns it as the core's event.
 */
export function notify(
  runtime: AdyenRuntime,
  draft: ItemDraft,
  objectId: string,
  cause: NotificationCause,
): PspEvent {
  const nowMs = runtime.sim.clock.nowMs();
  const item = notificationItem(draft, nowMs);
  const id = uniqueEventId(runtime, item);
  runtime.store.events.set(id, {
    id,
    eventCode: item.eventCode,
    item,
    objectId,
    requestId: cause.requestId,
    idempotencyKey: cause.idempotencyKey,
    at: isoAt(nowMs),
  });
  runtime.sim.journal.append({
    kind: 'event',
    psp: 'adyen',
    // Keys in canonical order already, so the journal need not sort them.
    data: {
      endpoints: runtime.webhooks.length,
      id,
      objectId,
      originalReference: item.originalReference ?? null,
      pspReference: item.pspReference,
      success: item.success,
      type: item.eventCode,
    },
  });
  for (const endpoint of runtime.webhooks) runtime.dispatcher.enqueue(deliveryFor(endpoint, id, item));
  const payload = { live: 'false', notificationItems: [{ NotificationRequestItem: item }] };
  return { psp: 'adyen', id, type: item.eventCode, payload: payload as JsonValue };
}
