import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { parseParams } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { cancelMeterEvent } from '../metering/adjustments.ts';
import { checkBatch, ingestBatch, type IncomingMeterEvent } from '../metering/ingest.ts';
import { eventNameSchema, identifierSchema, payloadSchema } from './meter-events.ts';

/** Session tokens for the high-throughput stream are valid for 15 minutes. */
export const sessionLifetimeSeconds = 15 * 60;
/** The stream takes at most 100 events per request. */
export const streamEventsMax = 100;

/** A meter event session as the fake keeps it: the v2 object plus its expiry in seconds. */
interface SessionRecord extends StripeObject {
  readonly object: 'fakepsp.meter_event_session';
  readonly session: Stripe.V2.Billing.MeterEventSession;
  readonly expiresAtSeconds: number;
}

const rfc3339 = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/, {
    error: 'Invalid timestamp: must be RFC 3339',
  })
  .transform((text) => Math.floor(Date.parse(text) / 1000));

const v2EventSchema = z.strictObject({
  event_name: eventNameSchema,
  payload: payloadSchema,
  identifier: identifierSchema.optional(),
  timestamp: rfc3339.optional(),
});
const streamSchema = z.strictObject({ events: z.array(v2EventSchema).min(1).max(streamEventsMax) });
const adjustmentSchema = z.strictObject({
  event_name: eventNameSchema,
  type: z.literal('cancel'),
  cancel: z.strictObject({ identifier: identifierSchema }),
});

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

function tokenKey(token: string): string {
  return `meter_event_session_token:${token}`;
}

const createSessionParams = z.strictObject({});

const createSession: StripeHandler = (context) => {
  parseParams(createSessionParams, context.params);
  const now = context.nowSeconds;
  const token = `ek_test_${context.ids.custom('', 48)}`;
  const session: Stripe.V2.Billing.MeterEventSession = {
    id: context.ids.stripe('mes_'),
    object: 'v2.billing.meter_event_session',
    authentication_token: token,
    created: iso(now),
    expires_at: iso(now + sessionLifetimeSeconds),
    livemode: false,
  };
  context.tx.put<SessionRecord>({
    id: tokenKey(token),
    object: 'fakepsp.meter_event_session',
    session,
    expiresAtSeconds: now + sessionLifetimeSeconds,
  });
  return session;
};

/**
 * The stream authenticates with a session token, not an API key (the core lets `ek_test_`
 * tokens through on this path only, as `context.apiKey`).
 */
function checkSessionToken(context: StripeContext): void {
  const key = context.apiKey;
  if (key === undefined) return;
  const session = context.tx.get<SessionRecord>('fakepsp.meter_event_session', tokenKey(key));
  if (session === undefined) fail({ kind: 'api_key_invalid', key });
  if (context.nowSeconds >= session.expiresAtSeconds) fail({ kind: 'temporary_session_expired' });
}

/** `POST /v2/billing/meter_event_stream`: up to 100 events, validated asynchronously; `{}` back. */
const stream: StripeHandler = (context) => {
  checkSessionToken(context);
  const params = parseParams(streamSchema, context.params);
  ingestBatch(context, params.events.map(toIncoming), { mode: 'stream', source: 'v2_stream' });
  return {};
};

function toIncoming(event: z.infer<typeof v2EventSchema>): IncomingMeterEvent {
  return {
    event_name: event.event_name,
    payload: event.payload,
    identifier: event.identifier,
    timestamp: event.timestamp,
  };
}

/** `POST /v2/billing/meter_events`: one event, checked synchronously like v1, rendered as v2. */
const createEvent: StripeHandler = (context) => {
  const params = parseParams(v2EventSchema, context.params);
  const input = toIncoming(params);
  checkBatch(context, [input], (_index, field) => field);
  const [record] = ingestBatch(context, [input], { mode: 'synchronous', source: 'v2' });
  const event = record!.event;
  const rendered: Stripe.V2.Billing.MeterEvent = {
    object: 'v2.billing.meter_event',
    created: iso(event.created),
    event_name: event.event_name,
    identifier: event.identifier,
    livemode: false,
    payload: event.payload,
    timestamp: iso(event.timestamp),
  };
  return rendered;
};

const createAdjustment: StripeHandler = (context) => {
  const params = parseParams(adjustmentSchema, context.params);
  const adjustment = cancelMeterEvent(context, {
    eventName: params.event_name,
    identifier: params.cancel.identifier,
    param: 'cancel.identifier',
    source: 'v2',
  });
  const rendered: Stripe.V2.Billing.MeterEventAdjustment = {
    id: adjustment.id,
    object: 'v2.billing.meter_event_adjustment',
    cancel: { identifier: adjustment.identifier },
    created: iso(adjustment.receivedAt),
    event_name: adjustment.eventName,
    livemode: false,
    status: adjustment.status,
    type: 'cancel',
  };
  return rendered;
};

export const meterEventsV2Routes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v2/billing/meter_event_session', handler: createSession },
  { method: 'POST', pattern: '/v2/billing/meter_event_stream', handler: stream },
  { method: 'POST', pattern: '/v2/billing/meter_events', handler: createEvent },
  { method: 'POST', pattern: '/v2/billing/meter_event_adjustments', handler: createAdjustment },
];
