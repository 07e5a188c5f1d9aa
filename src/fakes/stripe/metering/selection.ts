import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { gracePeriodSeconds, type MeterEventRecord } from './records.ts';

/** Which of a meter's events to aggregate. */
export interface EventWindow {
  readonly meter: Stripe.Billing.Meter;
  readonly customer: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** Drop events reported more than the 1 h grace after `endSeconds` (billing, not summaries). */
  readonly withGrace: boolean;
}

const windowSeconds: Readonly<Record<string, number>> = { hour: 3600, day: 86_400 };

/**
 * The accepted, uncancelled events of a meter and customer whose timestamps fall in
 * [start, end), in arrival order. A meter with `event_time_window` is pre-aggregated: only the
 * newest event received per UTC hour or day counts.
 */
export function selectEvents(context: StripeContext, window: EventWindow): MeterEventRecord[] {
  const cutoff = window.endSeconds + gracePeriodSeconds;
  const selected = context.tx
    .values<MeterEventRecord>('fakepsp.meter_event')
    .filter(
      (record) =>
        record.status === 'accepted' &&
        record.meter === window.meter.id &&
        record.customer === window.customer &&
        record.event.timestamp >= window.startSeconds &&
        record.event.timestamp < window.endSeconds &&
        (!window.withGrace || record.reportedAt <= cutoff),
    );
  const size =
    window.meter.event_time_window === null ? undefined : windowSeconds[window.meter.event_time_window];
  if (size === undefined) return selected;
  const newest = new Map<number, MeterEventRecord>();
  for (const record of selected) newest.set(Math.floor(record.event.timestamp / size), record);
  return selected.filter((record) => newest.get(Math.floor(record.event.timestamp / size)) === record);
}
