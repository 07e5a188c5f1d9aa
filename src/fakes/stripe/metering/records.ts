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

/** Where a meter event came in: v1's create, v2's create, or the v2 high-throughput stream. */
export type MeterEventSource = 'v1' | 'v2' | 'v2_stream';

/**
 * One received meter event, as the fake keeps it (a row of {@link MeterEventColumns}): Stripe's
 * `billing.meter_event` has no id, so `index` is its place in the account's log.
 */
export interface MeterEventRow {
  readonly index: number;
  readonly identifier: string;
  readonly eventName: string;
  readonly timestamp: number;
  /** Run-clock seconds at receipt: the 24 h identifier and cancellation windows count from it. */
  readonly receivedAt: number;
  /** The customer's clock at receipt (its test clock if bound): the 1 h grace counts from it. */
  readonly reportedAt: number;
  readonly meter: string | null;
  readonly customer: string | null;
  /** The numeric value scaled by {@link valueScale}, so sums of decimals stay exact. */
  readonly scaledValue: bigint;
  readonly status: MeterEventStatus;
  readonly errorCode: MeterEventErrorCode | null;
  readonly source: MeterEventSource;
}

/** Meter values may carry up to twelve fractional digits; they are summed as scaled integers. */
export const valueFractionDigitsMax = 12;
export const valueScale = 10n ** BigInt(valueFractionDigitsMax);

/** Identifiers are unique over a rolling 24 h of receipt time. */
export const identifierWindowSeconds = 24 * 3600;
/** Usage reported up to an hour after a period closes is still billed for it. */
export const gracePeriodSeconds = 3600;

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
export function aggregate(formula: string, rows: readonly MeterEventRow[]): number {
  if (rows.length === 0) return 0;
  if (formula === 'count') return rows.length;
  if (formula === 'last') {
    // Ties on timestamp go to the later receipt, as rows are kept in arrival order.
    let latest = rows[0]!;
    for (const row of rows) if (row.timestamp >= latest.timestamp) latest = row;
    return unscale(latest.scaledValue);
  }
  return unscale(rows.reduce((total, row) => total + row.scaledValue, 0n));
}
