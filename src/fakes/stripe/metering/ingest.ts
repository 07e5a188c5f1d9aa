import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { isDeleted } from '../store.ts';
import { scheduleErrorReports } from './error-reports.ts';
import { meterEvents, recentIdentifierUse } from './event-log.ts';
import {
  parseMeterValue,
  type MeterEventErrorCode,
  type MeterEventRow,
  type MeterEventSource,
} from './records.ts';

/** A meter event as a caller sends it, already shape-checked. */
export interface IncomingMeterEvent {
  readonly event_name: string;
  readonly payload: Readonly<Record<string, string>>;
  readonly identifier?: string | undefined;
  readonly timestamp?: number | undefined;
}

/** An event received: the row kept, and the `billing.meter_event` rendered to the caller. */
export interface IngestedEvent {
  readonly row: MeterEventRow;
  readonly event: Stripe.Billing.MeterEvent;
}

/** How window and duplicate problems surface: v1 and v2 answer 400; the stream reports later. */
export type IngestMode = 'synchronous' | 'stream';

export const pastWindowSeconds = 35 * 86_400;
export const futureWindowSeconds = 5 * 60;

/** The meter an event name routes to: the active one, else an inactive one (archived_meter). */
export function meterForEventName(
  context: StripeContext,
  eventName: string,
): Stripe.Billing.Meter | undefined {
  const meters = context.tx
    .values<Stripe.Billing.Meter>('billing.meter')
    .filter((meter) => meter.event_name === eventName);
  return meters.find((meter) => meter.status === 'active') ?? meters.at(-1);
}

/** `meterForEventName` for one batch: meters do not change while a batch is read. */
function batchMeters(context: StripeContext): (eventName: string) => Stripe.Billing.Meter | undefined {
  const found = new Map<string, Stripe.Billing.Meter | undefined>();
  return (eventName) => {
    if (!found.has(eventName)) found.set(eventName, meterForEventName(context, eventName));
    return found.get(eventName);
  };
}

interface Resolution {
  readonly meter: string | null;
  readonly customer: string | null;
  readonly scaledValue: bigint;
  readonly errorCode: MeterEventErrorCode | null;
}

/** What Stripe's asynchronous pipeline decides about an event: its meter, customer and value. */
function resolve(
  context: StripeContext,
  input: IncomingMeterEvent,
  meter: Stripe.Billing.Meter | undefined,
): Resolution {
  if (meter === undefined) return { meter: null, customer: null, scaledValue: 0n, errorCode: 'no_meter' };
  const rejected = (errorCode: MeterEventErrorCode, customer: string | null = null): Resolution => ({
    meter: meter.id,
    customer,
    scaledValue: 0n,
    errorCode,
  });
  if (meter.status !== 'active') return rejected('archived_meter');
  const customerId = input.payload[meter.customer_mapping.event_payload_key];
  if (customerId === undefined || customerId === '') return rejected('meter_event_no_customer_defined');
  const customer = context.tx.get<Stripe.Customer>('customer', customerId);
  if (customer === undefined || isDeleted(customer)) {
    return rejected('meter_event_customer_not_found', customerId);
  }
  // A count meter counts events; its value key is not read.
  if (meter.default_aggregation.formula === 'count') {
    return { meter: meter.id, customer: customerId, scaledValue: 0n, errorCode: null };
  }
  const value = parseMeterValue(input.payload[meter.value_settings.event_payload_key]);
  if ('error' in value) return rejected(value.error, customerId);
  return { meter: meter.id, customer: customerId, scaledValue: value.scaled, errorCode: null };
}

/** The customer an event names, by the mapping key of the meter it routes to (if any). */
function claimedCustomer(
  input: IncomingMeterEvent,
  meter: Stripe.Billing.Meter | undefined,
): string | undefined {
  return input.payload[meter?.customer_mapping.event_payload_key ?? 'stripe_customer_id'];
}

type WindowProblem = 'timestamp_in_future' | 'timestamp_too_far_in_past';

function windowProblem(timestamp: number, now: number): WindowProblem | undefined {
  if (timestamp > now + futureWindowSeconds) return 'timestamp_in_future';
  if (timestamp < now - pastWindowSeconds) return 'timestamp_too_far_in_past';
  return undefined;
}

const windowMessages: Readonly<Record<WindowProblem, string>> = {
  timestamp_in_future: 'Timestamp must not be more than 5 minutes in the future.',
  timestamp_too_far_in_past: 'Timestamp must be within the past 35 calendar days.',
};

/**
 * Checks a batch before anything is written: in synchronous mode a timestamp outside
 * [now − 35 days, now + 5 min] on the customer's clock, or an identifier used in the last
 * 24 h (or twice in the batch), is a 400 naming `param(index, field)`.
 */
export function checkBatch(
  context: StripeContext,
  inputs: readonly IncomingMeterEvent[],
  param: (index: number, field: string) => string,
): void {
  const seen = new Set<string>();
  const meterOf = batchMeters(context);
  for (const [index, input] of inputs.entries()) {
    const meter = meterOf(input.event_name);
    const now = context.nowFor(claimedCustomer(input, meter));
    const problem = input.timestamp === undefined ? undefined : windowProblem(input.timestamp, now);
    if (problem !== undefined) {
      fail({ kind: 'parameter_invalid', param: param(index, 'timestamp'), message: windowMessages[problem] });
    }
    if (input.identifier === undefined) continue;
    if (seen.has(input.identifier) || recentIdentifierUse(context, input.identifier) !== undefined) {
      fail({
        kind: 'invalid_request',
        param: param(index, 'identifier'),
        message: `An event already exists with identifier ${input.identifier}.`,
      });
    }
    seen.add(input.identifier);
  }
}

/**
 * Records a checked batch. Each event is resolved now (meter, customer, value) and its errors
 * are reported asynchronously; in stream mode a duplicate identifier is silently dropped and a
 * timestamp out of window becomes an error report instead of a 400.
 */
export function ingestBatch(
  context: StripeContext,
  inputs: readonly IncomingMeterEvent[],
  options: { readonly mode: IngestMode; readonly source: MeterEventSource },
): IngestedEvent[] {
  const ingested: IngestedEvent[] = [];
  const view = meterEvents(context);
  const meterOf = batchMeters(context);
  for (const input of inputs) {
    if (input.identifier !== undefined && recentIdentifierUse(context, input.identifier) !== undefined)
      continue;
    const meter = meterOf(input.event_name);
    const now = context.nowFor(claimedCustomer(input, meter));
    const timestamp = input.timestamp ?? now;
    const resolution = resolve(context, input, meter);
    const late = options.mode === 'stream' ? windowProblem(timestamp, now) : undefined;
    const errorCode = late ?? resolution.errorCode;
    const identifier = input.identifier ?? context.ids.custom('', 32);
    const row = view.add({
      identifier,
      eventName: input.event_name,
      timestamp,
      receivedAt: context.nowSeconds,
      reportedAt: now,
      meter: resolution.meter,
      customer: resolution.customer,
      scaledValue: resolution.scaledValue,
      status: errorCode === null ? 'accepted' : 'rejected',
      errorCode,
      source: options.source,
    });
    const event: Stripe.Billing.MeterEvent = {
      object: 'billing.meter_event',
      created: now,
      event_name: input.event_name,
      identifier,
      livemode: false,
      payload: { ...input.payload },
      timestamp,
    };
    ingested.push({ row, event });
  }
  scheduleErrorReports(
    context,
    ingested.filter(({ row }) => row.status === 'rejected').map(({ row }) => row),
  );
  return ingested;
}
