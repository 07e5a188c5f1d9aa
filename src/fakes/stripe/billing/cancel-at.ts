import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { customerOf } from '../customer-of.ts';
import { scheduleAt } from './clocks.ts';
import { isPending } from './pending-items.ts';
import { chargeBackRest, creditUnusedRest, type ProrationBehavior } from './prorations.ts';
import { endSubscription } from './subscription-cycle.ts';
import { currentPeriod } from './subscription-objects.ts';

// A cancellation date strictly inside the current period: one the period's end does not carry out.
function insidePeriod(subscription: Stripe.Subscription, at: number | null): at is number {
  const period = currentPeriod(subscription);
  return at !== null && at > period.start && at < period.end;
}

/**
 * What setting (or moving, or clearing) `cancel_at` does. A date inside the current period credits
 * each licensed item's rest of the period from then (unless `none`), a credit taken back when the
 * date moves again; the subscription then ends at that date, with a last invoice for its usage so
 * far and those prorations. A date at a period's end is carried out by the renewal, and one in a
 * later period bills that period's share at its renewal.
 */
export function applyCancelAt(
  context: StripeContext,
  before: Stripe.Subscription,
  after: Stripe.Subscription,
  behavior: ProrationBehavior | undefined,
): void {
  if (before.cancel_at === after.cancel_at) return;
  if (insidePeriod(before, before.cancel_at) && creditedFrom(context, before, before.cancel_at))
    chargeBackRest(context, after, { behavior, date: before.cancel_at });
  if (after.cancel_at === null) return;
  if (insidePeriod(after, after.cancel_at))
    creditUnusedRest(context, after, { behavior, date: after.cancel_at });
  const at = after.cancel_at;
  scheduleAt(context, {
    customer: customerOf(after),
    atSeconds: at,
    label: `subscription ${after.id} cancels at cancel_at`,
    run: (job) => cancelAtDate(job, after.id, at),
  });
}

// Whether a cancellation date was credited (its prorations still wait for an invoice).
function creditedFrom(context: StripeContext, subscription: Stripe.Subscription, at: number): boolean {
  return context.tx
    .where<Stripe.InvoiceItem>('invoiceitem', 'customer', customerOf(subscription))
    .some(
      (item) =>
        isPending(item) &&
        item.proration &&
        item.amount < 0 &&
        item.period.start === at &&
        item.parent?.subscription_details?.subscription === subscription.id,
    );
}

function cancelAtDate(context: StripeContext, subscriptionId: string, at: number): void {
  const subscription = context.tx.get<Stripe.Subscription>('subscription', subscriptionId);
  // Stale: the date moved, or the subscription ended or renewed past it meanwhile.
  if (subscription === undefined || subscription.cancel_at !== at || !insidePeriod(subscription, at)) return;
  if (subscription.status === 'canceled' || subscription.status === 'incomplete_expired') return;
  const usage = { start: currentPeriod(subscription).start, end: at };
  endSubscription(context, subscription, { usage, reason: 'cancellation_requested', invoicePending: true });
}
