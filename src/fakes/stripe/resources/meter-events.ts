import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeHandler } from '../context.ts';
import { expand, int, oneOf, parseParams } from '../params.ts';
import { cancelMeterEvent } from '../metering/adjustments.ts';
import { checkBatch, ingestBatch } from '../metering/ingest.ts';

/** Shape rules shared by every way of sending a meter event. */
export const eventNameSchema = z.string().min(1).max(100);
export const identifierSchema = z.string().min(1).max(100);
export const payloadSchema = z.record(z.string().min(1).max(100), z.string().max(100));

const createSchema = z.strictObject({
  event_name: eventNameSchema,
  payload: payloadSchema,
  identifier: identifierSchema.optional(),
  timestamp: int({ min: 0 }).optional(),
  expand,
});

const adjustmentSchema = z.strictObject({
  event_name: eventNameSchema,
  type: oneOf('type', ['cancel']),
  cancel: z.strictObject({ identifier: identifierSchema }),
  expand,
});

/**
 * `POST /v1/billing/meter_events`: shape, timestamp window and identifier dedupe are checked
 * synchronously (400s); meter, customer and value problems are reported asynchronously.
 */
const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const input = {
    event_name: params.event_name,
    payload: params.payload,
    identifier: params.identifier,
    timestamp: params.timestamp,
  };
  checkBatch(context, [input], (_index, field) => field);
  const [record] = ingestBatch(context, [input], { mode: 'synchronous', source: 'v1' });
  return record!.event;
};

const createAdjustment: StripeHandler = (context) => {
  const params = parseParams(adjustmentSchema, context.params);
  const adjustment = cancelMeterEvent(context, {
    eventName: params.event_name,
    identifier: params.cancel.identifier,
    param: 'cancel[identifier]',
    source: 'v1',
  });
  const rendered: Stripe.Billing.MeterEventAdjustment = {
    object: 'billing.meter_event_adjustment',
    cancel: { identifier: adjustment.identifier },
    event_name: adjustment.eventName,
    livemode: false,
    status: adjustment.status,
    type: 'cancel',
  };
  return rendered;
};

export const meterEventsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/billing/meter_events', handler: create },
  { method: 'POST', pattern: '/v1/billing/meter_event_adjustments', handler: createAdjustment },
];
