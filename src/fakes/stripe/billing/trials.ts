import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { scheduleAt } from './clocks.ts';
import { defaultSourcePaymentMethod } from '../resources/customer-sources.ts';
import { endedFields, moveSubscription } from './subscription-status.ts';
import { customerOf } from '../customer-of.ts';

/** Stripe warns `customer.subscription.trial_will_end` three days before a trial ends. */
export const trialWarningSeconds = 3 * 86_400;

/**
 * Sends `customer.subscription.trial_will_end` three days before the trial ends, on the
 * customer's clock; a trial shorter than that is warned about at once.
 */
export function scheduleTrialWillEnd(context: StripeContext, subscription: Stripe.Subscription): void {
  const end = subscription.trial_end;
  if (subscription.status !== 'trialing' || end === null) return;
  const at = end - trialWarningSeconds;
  if (at <= context.nowFor(customerOf(subscription))) {
    context.emit('customer.subscription.trial_will_end', subscription);
    return;
  }
  scheduleAt(context, {
    customer: customerOf(subscription),
    atSeconds: at,
    label: `subscription ${subscription.id} trial will end`,
    run: (job) => {
      const current = job.tx.get<Stripe.Subscription>('subscription', subscription.id);
      // Stale: the trial ended early, was extended, or the subscription ended.
      if (current?.status !== 'trialing' || current.trial_end !== end) return;
      job.emit('customer.subscription.trial_will_end', current);
    },
  });
}

/**
 * At a trial's end with no payment method on file, `trial_settings.end_behavior` decides:
 * `pause` pauses the subscription (`customer.subscription.paused`), `cancel` cancels it, and
 * `create_invoice` (the default) bills as usual. Returns whether the trial end was handled here.
 */
export function trialEndsWithoutPaymentMethod(
  context: StripeContext,
  subscription: Stripe.Subscription,
): boolean {
  const behavior = subscription.trial_settings?.end_behavior.missing_payment_method ?? 'create_invoice';
  if (behavior === 'create_invoice') return false;
  const customer = context.tx.get<Stripe.Customer>('customer', customerOf(subscription));
  const hasMethod =
    subscription.default_payment_method !== null ||
    (customer?.invoice_settings.default_payment_method ?? null) !== null ||
    defaultSourcePaymentMethod(context, customerOf(subscription)) !== null;
  if (hasMethod) return false;
  const now = context.nowFor(customerOf(subscription));
  if (behavior === 'cancel') {
    moveSubscription(context, subscription.id, 'canceled', endedFields(now, 'cancellation_requested'));
    return true;
  }
  const paused = moveSubscription(context, subscription.id, 'paused', { trial_end: now });
  if (paused !== undefined && paused.status === 'paused')
    context.emit('customer.subscription.paused', paused);
  return true;
}
