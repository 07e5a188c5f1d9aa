import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { meterEvents } from './event-log.ts';
import { gracePeriodSeconds, type MeterEventRow } from './records.ts';

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
export function selectEvents(context: StripeContext, window: EventWindow): MeterEventRow[] {
  const selected = meterEvents(context).acceptedIn({
    meter: window.meter.id,
    customer: window.customer,
    startSeconds: window.startSeconds,
    endSeconds: window.endSeconds,
    reportedBy: window.withGrace ? window.endSeconds + gracePeriodSeconds : undefined,
  });
  const size =
    window.meter.event_time_window === null ? undefined : windowSeconds[window.meter.event_time_window];
  if (size === undefined) return selected;
  const newest = new Map<number, MeterEventRow>();
  for (const row of selected) newest.set(Math.floor(row.timestamp / size), row);
  return selected.filter((row) => newest.get(Math.floor(row.timestamp / size)) === row);
}
