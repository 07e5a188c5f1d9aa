import type { StripeContext } from '../context.ts';
import type { StripeObject } from '../store.ts';
import { meterEvents } from './event-log.ts';
import type { MeterEventErrorCode, MeterEventRow } from './records.ts';

/**
 * Stripe validates meter events asynchronously and reports errors per validation window; the
 * fake's windows are UTC minutes of receipt, reported as each minute closes.
 */
export const errorWindowSeconds = 60;
// Stripe samples a few failing events per error type rather than listing them all.
const samplesMax = 5;

const messages: Readonly<Record<MeterEventErrorCode, string>> = {
  no_meter: 'No active meter was found for the event name.',
  archived_meter: 'The meter for this event name is inactive.',
  meter_event_no_customer_defined:
    "The payload does not name a customer under the meter's customer mapping key.",
  meter_event_customer_not_found: 'The customer named in the payload does not exist.',
  meter_event_invalid_value: 'The value must be a non-negative number.',
  meter_event_value_too_many_digits: 'The value has too many digits.',
  timestamp_in_future: 'The timestamp is more than 5 minutes in the future.',
  timestamp_too_far_in_past: 'The timestamp is more than 35 days in the past.',
};

/**
 * The report carried by a `v1.billing.meter.error_report_triggered` (meter known) or
 * `v1.billing.meter.no_meter_found` event. Stripe sends these as v2 thin events; the fake emits
 * them as ordinary v1 events whose `data.object` has the v2 event's `data` fields plus the meter.
 */
export interface MeterErrorReport extends StripeObject {
  readonly object: 'billing.meter_error_report';
  readonly meter: string | null;
  readonly related_object: {
    readonly id: string;
    readonly type: 'billing.meter';
    readonly url: string;
  } | null;
  readonly developer_message_summary: string;
  readonly reason: {
    readonly error_count: number;
    readonly error_types: ReadonlyArray<{
      readonly code: string;
      readonly error_count: number;
      readonly sample_errors: ReadonlyArray<{
        readonly error_message: string;
        readonly request: { readonly identifier: string };
      }>;
    }>;
  };
  readonly validation_start: string;
  readonly validation_end: string;
}

/** Marks that a validation window already has its report scheduled. */
interface ReportWindowRecord extends StripeObject {
  readonly object: 'fakepsp.meter_error_window';
}

/**
 * Schedules the error reports for the validation window (a UTC minute of receipt) holding these
 * rejected events: one report per meter, and one for events with no meter, covering every event
 * rejected in that minute, sent a minute after the window closes.
 */
export function scheduleErrorReports(context: StripeContext, rejected: readonly MeterEventRow[]): void {
  if (rejected.length === 0) return;
  const windowStart = Math.floor(context.nowSeconds / errorWindowSeconds) * errorWindowSeconds;
  const marker = `meter_error_window:${windowStart}`;
  if (context.tx.get<ReportWindowRecord>('fakepsp.meter_error_window', marker) !== undefined) return;
  context.tx.put<ReportWindowRecord>({ id: marker, object: 'fakepsp.meter_error_window' });
  const windowEnd = windowStart + errorWindowSeconds;
  context.later({
    label: `meter event error reports for ${windowStart}`,
    delayMs: (windowEnd - context.nowSeconds) * 1000,
    run: (job) => {
      const byMeter = new Map<string | null, MeterEventRow[]>();
      for (const row of meterEvents(job).failedBetween(windowStart, windowEnd))
        byMeter.set(row.meter, [...(byMeter.get(row.meter) ?? []), row]);
      for (const [meter, records] of byMeter) {
        const report = buildReport(job, meter, records, windowStart, windowEnd);
        job.tx.put(report);
        job.emit(
          meter === null ? 'v1.billing.meter.no_meter_found' : 'v1.billing.meter.error_report_triggered',
          report,
        );
      }
    },
  });
}

function buildReport(
  context: StripeContext,
  meter: string | null,
  records: readonly MeterEventRow[],
  windowStart: number,
  windowEnd: number,
): MeterErrorReport {
  const byCode = new Map<string, MeterEventRow[]>();
  for (const record of records) {
    const code = record.errorCode ?? 'no_meter';
    byCode.set(code, [...(byCode.get(code) ?? []), record]);
  }
  const errorTypes = [...byCode].map(([code, failing]) => ({
    code,
    error_count: failing.length,
    sample_errors: failing.slice(0, samplesMax).map((record) => ({
      error_message: messages[code as MeterEventErrorCode] ?? code,
      request: { identifier: record.identifier },
    })),
  }));
  return {
    id: context.ids.stripe('mtrerr_'),
    object: 'billing.meter_error_report',
    meter,
    related_object:
      meter === null ? null : { id: meter, type: 'billing.meter', url: `/v1/billing/meters/${meter}` },
    developer_message_summary: `${records.length} meter event${records.length === 1 ? '' : 's'} failed validation: ${[
      ...byCode.keys(),
    ].join(', ')}.`,
    reason: { error_count: records.length, error_types: errorTypes },
    validation_start: new Date(windowStart * 1000).toISOString(),
    validation_end: new Date(windowEnd * 1000).toISOString(),
  };
}
