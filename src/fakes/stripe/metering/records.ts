import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import type { StripeObject } from '../store.ts';

/**
 * What became of a meter event once Stripe's asynchronous pipeline looked at it: `accepted`
 * events aggregate; `rejected` ones were reported as errors; `cancelled` ones were adjusted away.
 */
export type MeterEventStatus = 'accepted' | 'rejected' | 'cancelled';

/** The asynchronous error codes Stripe reports for meter events (its v2 thin events). */
export type MeterEventErrorCode =
  | 'no_meter'
  | 'archived_meter'
  | 'meter_event_no_customer_defined'
  | 'meter_event_customer_not_found'
  | 'meter_event_invalid_value'
  | 'meter_event_value_too_many_digits'
  | 'timestamp_in_future'
  | 'timestamp_too_far_in_past';

/**
 * One received meter event, as the fake keeps it. Stripe's `billing.meter_event` has no id, so
 * the record carries one of its own; `event` is the object as rendered to the caller.
 */
export interface MeterEventRecord extends StripeObject {
  readonly object: 'fakepsp.meter_event';
  readonly event: Stripe.Billing.MeterEvent;
  /** Run-clock seconds at receipt: the 24 h identifier and cancellation windows count from it. */
  readonly receivedAt: number;
  /** The customer's clock at receipt (its test clock if bound): the 1 h grace counts from it. */
  readonly reportedAt: number;
  readonly meter: string | null;
  readonly customer: string | null;
  /** The numeric value scaled by {@link valueScale}, so sums of decimals stay exact. */
  readonly scaledValue: string;
  readonly status: MeterEventStatus;
  readonly errorCode: MeterEventErrorCode | null;
  readonly source: 'v1' | 'v2' | 'v2_stream';
}

/** Points an identifier at the latest event that used it, for O(1) dedupe. */
export interface IdentifierRecord extends StripeObject {
  readonly object: 'fakepsp.meter_event_identifier';
  readonly record: string;
  readonly receivedAt: number;
}

/** Meter values may carry up to twelve fractional digits; they are summed as scaled integers. */
export const valueFractionDigitsMax = 12;
export const valueScale = 10n ** BigInt(valueFractionDigitsMax);

/** Identifiers are unique over a rolling 24 h of receipt time. */
export const identifierWindowSeconds = 24 * 3600;
/** Usage reported up to an hour after a period closes is still billed for it. */
export const gracePeriodSeconds = 3600;

export function identifierKey(identifier: string): string {
  return `meter_event_identifier:${identifier}`;
}

/** The record that last used `identifier`, if it was received within the dedupe window. */
export function recentIdentifierUse(
  context: StripeContext,
  identifier: string,
): MeterEventRecord | undefined {
  const index = context.tx.get<IdentifierRecord>('fakepsp.meter_event_identifier', identifierKey(identifier));
  if (index === undefined || context.nowSeconds - index.receivedAt >= identifierWindowSeconds)
    return undefined;
  return context.tx.get<MeterEventRecord>('fakepsp.meter_event', index.record);
}

/**
 * Parses a meter value: a non-negative decimal with at most twelve fractional digits, scaled
 * to an integer. Anything else is an asynchronous error, never an HTTP error.
 */
export function parseMeterValue(
  raw: string | undefined,
): { readonly scaled: bigint } | { readonly error: MeterEventErrorCode } {
  if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw)) return { error: 'meter_event_invalid_value' };
  const [whole = '0', fraction = ''] = raw.split('.');
  if (fraction.length > valueFractionDigitsMax || whole.replace(/^0+/, '').length > 15) {
    return { error: 'meter_event_value_too_many_digits' };
  }
  return { scaled: BigInt(whole) * valueScale + BigInt(fraction.padEnd(valueFractionDigitsMax, '0')) };
}

/** A scaled value back to a number (exact for integers; decimals keep twelve digits). */
export function unscale(scaled: bigint): number {
  const whole = scaled / valueScale;
  const fraction = scaled % valueScale;
  return Number(whole) + Number(fraction) / Number(valueScale);
}

/** Aggregates scaled values by a meter formula; `last` takes the latest event timestamp. */
export function aggregate(formula: string, records: readonly MeterEventRecord[]): number {
  if (records.length === 0) return 0;
  if (formula === 'count') return records.length;
  if (formula === 'last') {
    // Ties on timestamp go to the later receipt, as records are kept in arrival order.
    let latest = records[0]!;
    for (const record of records) if (record.event.timestamp >= latest.event.timestamp) latest = record;
    return unscale(BigInt(latest.scaledValue));
  }
  return unscale(records.reduce((total, record) => total + BigInt(record.scaledValue), 0n));
}
