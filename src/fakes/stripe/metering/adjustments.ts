import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import type { StripeObject } from '../store.ts';
import { meterEvents } from './event-log.ts';
import { identifierWindowSeconds } from './records.ts';

/** Stripe processes a cancellation asynchronously; the fake marks it complete after this. */
export const adjustmentCompletionDelayMs = 60_000;

/** A cancellation as the fake keeps it (v1's `billing.meter_event_adjustment` has no id). */
export interface AdjustmentRecord extends StripeObject {
  readonly object: 'fakepsp.meter_event_adjustment';
  readonly eventName: string;
  readonly identifier: string;
  readonly status: 'pending' | 'complete';
  readonly receivedAt: number;
  readonly source: 'v1' | 'v2';
}

/**
 * Cancels the meter event `identifier` of `eventName`: allowed only within 24 h of Stripe
 * receiving it. The event stops counting at once; the adjustment reads `pending` and turns
 * `complete` a minute later in virtual time.
 */
export function cancelMeterEvent(
  context: StripeContext,
  options: {
    readonly eventName: string;
    readonly identifier: string;
    readonly param: string;
    readonly source: 'v1' | 'v2';
  },
): AdjustmentRecord {
  const events = meterEvents(context);
  const record = events.latestWithIdentifier(options.identifier);
  if (record === undefined || record.eventName !== options.eventName) {
    fail({
      kind: 'invalid_request',
      param: options.param,
      message: `No meter event with identifier ${options.identifier} and event_name ${options.eventName} was found.`,
    });
  }
  if (context.nowSeconds - record.receivedAt >= identifierWindowSeconds) {
    fail({
      kind: 'invalid_request',
      param: options.param,
      message: `The meter event ${options.identifier} can no longer be cancelled: events can only be cancelled within 24 hours of being received.`,
    });
  }
  if (record.status === 'cancelled') {
    fail({
      kind: 'invalid_request',
      param: options.param,
      message: `The meter event ${options.identifier} is already cancelled.`,
    });
  }
  // A rejected event never counted; cancelling it is accepted and changes nothing.
  if (record.status === 'accepted') events.setStatus(record, 'cancelled');
  const adjustment: AdjustmentRecord = {
    id: context.ids.stripe('mtradj_'),
    object: 'fakepsp.meter_event_adjustment',
    eventName: options.eventName,
    identifier: options.identifier,
    status: 'pending',
    receivedAt: context.nowSeconds,
    source: options.source,
  };
  context.tx.put(adjustment);
  context.later({
    label: `meter event adjustment ${adjustment.id} completes`,
    delayMs: adjustmentCompletionDelayMs,
    run: (job) => {
      const current = job.tx.get<AdjustmentRecord>('fakepsp.meter_event_adjustment', adjustment.id);
      if (current !== undefined) job.tx.put<AdjustmentRecord>({ ...current, status: 'complete' });
    },
  });
  return adjustment;
}
