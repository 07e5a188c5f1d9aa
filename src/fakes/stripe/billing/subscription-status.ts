import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { subscriptionMayMove } from './invoice-transitions.ts';
import { abortScheduleOf } from './schedule-abort.ts';

/** The subscription an invoice belongs to, if any (basil+: `parent.subscription_details`). */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const subscription = invoice.parent?.subscription_details?.subscription;
  if (subscription === undefined || subscription === null) return null;
  return typeof subscription === 'string' ? subscription : subscription.id;
}

/**
 * Moves a subscription to `status` (with extra changed fields) if the status table allows it,
 * emitting `customer.subscription.updated`, or `.deleted` when it ends. An illegal move is
 * ignored: background work never fails on a subscription someone already ended.
 */
export function moveSubscription(
  context: StripeContext,
  subscriptionId: string,
  status: Stripe.Subscription.Status,
  patch: Partial<Stripe.Subscription> = {},
): Stripe.Subscription | undefined {
  const existing = context.tx.get<Stripe.Subscription>('subscription', subscriptionId);
  if (existing === undefined || !subscriptionMayMove(existing.status, status)) return existing;
  const updated: Stripe.Subscription = { ...existing, ...patch, status };
  const previous = changedAttributes(existing, updated);
  if (Object.keys(previous).length === 0) return existing;
  context.tx.put(updated);
  const ended = status === 'canceled' || status === 'incomplete_expired';
  if (ended && existing.status !== status) {
    context.emit('customer.subscription.deleted', updated, previous);
    abortScheduleOf(context, updated);
  } else context.emit('customer.subscription.updated', updated, previous);
  return updated;
}

/** The fields an ending subscription gets: when it was canceled and why. */
export function endedFields(
  nowSeconds: number,
  reason: Stripe.Subscription.CancellationDetails.Reason,
): Partial<Stripe.Subscription> {
  return {
    canceled_at: nowSeconds,
    ended_at: nowSeconds,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason },
  } as Partial<Stripe.Subscription>;
}

/** A paused subscription active again, as `customer.subscription.resumed` says (after `.updated`). */
export function markResumed(context: StripeContext, subscriptionId: string): void {
  const resumed = moveSubscription(context, subscriptionId, 'active');
  if (resumed?.status === 'active') context.emit('customer.subscription.resumed', resumed);
}
