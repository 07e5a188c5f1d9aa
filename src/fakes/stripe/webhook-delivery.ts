import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import type { JsonValue } from '../../sim/canonical-json.ts';
import { wallClockSeconds } from '../../sim/wall-clock.ts';
import { stripeRetryDelaysMs } from '../common/retry-schedules.ts';
import type { WebhookDelivery } from '../common/webhook-dispatcher.ts';
import { platformScope, type StripeStore } from './store.ts';

/** What one Stripe delivery is made of: the data a waiting one is kept as, and made again from. */
export interface StripeDeliveryRecord {
  readonly eventId: string;
  readonly eventType: string;
  readonly endpointId: string;
  readonly url: string;
  /** The event as sent, rendered in the endpoint's API version. */
  readonly body: string;
  /** The endpoint's signing secret when the event was sent. */
  readonly secret: string;
  /** The connected account whose event it is; absent for the platform's own. */
  readonly scope?: string;
}

/** One event on its way to one endpoint, signed with the endpoint's secret at each attempt. */
export function stripeDelivery(record: StripeDeliveryRecord): WebhookDelivery {
  const { secret } = record;
  return {
    psp: 'stripe',
    eventId: record.eventId,
    eventType: record.eventType,
    endpointId: record.endpointId,
    url: record.url,
    body: record.body,
    headersFor: (payload, tamper) => ({
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      ...(tamper?.kind === 'unsigned'
        ? {}
        : {
            'stripe-signature': stripeSignatureHeader(
              payload,
              tamper?.kind === 'bad_signature' ? `${secret}_tampered` : secret,
              wallClockSeconds() - (tamper?.kind === 'stale' ? tamper.ageSeconds : 0),
            ),
          }),
    }),
    retryDelaysMs: stripeRetryDelaysMs,
    record: record as unknown as JsonValue,
  };
}

/**
 * An endpoint took an event (a 2xx): Stripe counts it off the event's `pending_webhooks`, which
 * `GET /v1/events?delivery_success=false` reads to list what is still owed to some endpoint.
 */
export function countDelivered(store: StripeStore, delivery: WebhookDelivery): void {
  const { eventId, scope = platformScope } = delivery.record as unknown as StripeDeliveryRecord;
  const event = store.get(scope, 'event', eventId) as Stripe.Event | undefined;
  if (event === undefined || !(event.pending_webhooks > 0)) return;
  const counted: Stripe.Event = { ...event, pending_webhooks: event.pending_webhooks - 1 };
  store.replace(scope, counted);
}

/** {@link stripeDelivery} again, from the record a waiting one was kept as. */
export function reviveStripeDelivery(record: JsonValue): WebhookDelivery {
  return stripeDelivery(record as unknown as StripeDeliveryRecord);
}

/**
 * `Stripe-Signature: t=…,v1=…`: HMAC-SHA256 with the endpoint secret over `${t}.${body}`,
 * computed at each attempt over the exact bytes sent.
 */
export function stripeSignatureHeader(body: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}
