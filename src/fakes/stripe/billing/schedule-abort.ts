import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { customerOf } from '../customer-of.ts';

/**
 * A running schedule whose subscription ended on its own (unpaid first invoice, dunning) is
 * canceled with it: `subscription_schedule.aborted`.
 */
export function abortScheduleOf(context: StripeContext, subscription: Stripe.Subscription): void {
  const id =
    subscription.schedule === null
      ? null
      : typeof subscription.schedule === 'string'
        ? subscription.schedule
        : subscription.schedule.id;
  if (id === null) return;
  const schedule = context.tx.get<Stripe.SubscriptionSchedule>('subscription_schedule', id);
  if (schedule?.status !== 'active') return;
  const aborted: Stripe.SubscriptionSchedule = {
    ...schedule,
    status: 'canceled',
    canceled_at: context.nowFor(customerOf(schedule)),
    current_phase: null,
  };
  context.tx.put(aborted);
  context.emit('subscription_schedule.aborted', aborted);
}
