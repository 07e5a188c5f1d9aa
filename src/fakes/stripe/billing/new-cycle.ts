import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { customerOf } from '../customer-of.ts';
import { fail } from '../errors.ts';
import { addIntervals } from './calendar.ts';
import { invoiceUpdateNow } from './prorations.ts';
import { scheduleRenewal } from './subscription-cycle.ts';
import { cadenceOf, currentPeriod, withPeriod } from './subscription-objects.ts';

const cadence = (subscription: Stripe.Subscription) =>
  cadenceOf(subscription.items.data.map((item) => item.price));

/**
 * Whether an update starts a new billing cycle now: asked (`billing_cycle_anchor=now`), or forced,
 * as Stripe forces it, by a change of billing interval.
 */
export function startsNewCycle(
  before: Stripe.Subscription,
  after: Stripe.Subscription,
  anchor: 'now' | 'unchanged' | undefined,
): boolean {
  const was = cadence(before);
  const is = cadence(after);
  const intervalChanged = was.interval !== is.interval || was.intervalCount !== is.intervalCount;
  if (!intervalChanged && anchor !== 'now') return false;
  if (anchor === 'unchanged') {
    fail({
      kind: 'invalid_request',
      param: 'billing_cycle_anchor',
      message: 'A change of billing interval resets the billing cycle anchor: it cannot stay unchanged.',
    });
  }
  if (before.status === 'trialing') {
    fail({
      kind: 'invalid_request',
      param: 'billing_cycle_anchor',
      message:
        'fakepsp does not model resetting the billing cycle of a trialing subscription: end the trial first (trial_end=now).',
    });
  }
  return true;
}

/** The subscription on a cycle from now: each item's period and the anchor. */
export function onNewCycle(context: StripeContext, subscription: Stripe.Subscription): Stripe.Subscription {
  const now = context.nowFor(customerOf(subscription));
  const { interval, intervalCount } = cadence(subscription);
  return {
    ...withPeriod(subscription, now, addIntervals(now, interval, intervalCount)),
    billing_cycle_anchor: now,
  };
}

/**
 * Bills a cycle started now, at once: the new period's licensed items in advance, the metered
 * usage of the period it cut short, and the credit for that period's unused rest; the renewal
 * moves to the new period's end.
 */
export function invoiceNewCycle(
  context: StripeContext,
  before: Stripe.Subscription,
  after: Stripe.Subscription,
): void {
  const cutShort = { start: currentPeriod(before).start, end: currentPeriod(after).start };
  invoiceUpdateNow(context, after, { licensed: currentPeriod(after), metered: cutShort, trial: false });
  scheduleRenewal(context, context.tx.get<Stripe.Subscription>('subscription', after.id) ?? after);
}
