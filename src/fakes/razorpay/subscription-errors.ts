import type { ErrorParts } from './error-parts.ts';

/**
 * The errors of Razorpay's billing products: Subscriptions (plans, subscriptions, add-ons) and
 * Payment Links. Wording from the API reference's error sections where it has one; where it
 * documents none the text is fakepsp's, in Razorpay's style, and marked so.
 */
export type SubscriptionErrorKind =
  | { readonly kind: 'plan_interval_too_small'; readonly min: number }
  | { readonly kind: 'offer_not_found' }
  | { readonly kind: 'start_at_past' }
  | { readonly kind: 'total_count_too_large'; readonly max: number }
  | { readonly kind: 'subscription_not_cancellable'; readonly status: string }
  | { readonly kind: 'subscription_not_updatable' }
  | { readonly kind: 'subscription_not_pausable'; readonly status: string }
  | { readonly kind: 'subscription_not_resumable'; readonly status: string }
  | { readonly kind: 'no_scheduled_changes' }
  | { readonly kind: 'proration_too_small' }
  | { readonly kind: 'update_charge_failed' }
  | { readonly kind: 'addon_not_allowed'; readonly status: string }
  | { readonly kind: 'addon_currency_mismatch' }
  | { readonly kind: 'addon_invoiced' }
  | { readonly kind: 'link_reference_taken' }
  | { readonly kind: 'link_expiry_too_soon' }
  | { readonly kind: 'link_upi_test_mode' }
  | { readonly kind: 'link_not_cancellable'; readonly status: string }
  | { readonly kind: 'link_not_payable'; readonly status: string };

const subscriptionKinds: ReadonlySet<string> = new Set<SubscriptionErrorKind['kind']>([
  'plan_interval_too_small',
  'offer_not_found',
  'start_at_past',
  'total_count_too_large',
  'subscription_not_cancellable',
  'subscription_not_updatable',
  'subscription_not_pausable',
  'subscription_not_resumable',
  'no_scheduled_changes',
  'proration_too_small',
  'update_charge_failed',
  'addon_not_allowed',
  'addon_currency_mismatch',
  'addon_invoiced',
  'link_reference_taken',
  'link_expiry_too_soon',
  'link_upi_test_mode',
  'link_not_cancellable',
  'link_not_payable',
]);

/** Whether an error is one of the Subscriptions' own. */
export function isSubscriptionError(error: { readonly kind: string }): error is SubscriptionErrorKind {
  return subscriptionKinds.has(error.kind);
}

/** The status, description and field of a Subscriptions error (`razorpayError` renders it). */
export function subscriptionErrorParts(error: SubscriptionErrorKind): ErrorParts {
  switch (error.kind) {
    case 'plan_interval_too_small':
      // fakepsp wording: the docs say only "for daily plans, the minimum value should be 7".
      return {
        description: `The interval must be at least ${error.min} for daily plans.`,
        field: 'interval',
      };
    case 'offer_not_found':
      return { description: 'Offer Not Found', field: 'offer_id' };
    case 'start_at_past':
      // fakepsp wording.
      return { description: 'start_at cannot be lesser than the current time', field: 'start_at' };
    case 'total_count_too_large':
      // fakepsp wording: the docs cap a subscription at 100 years.
      return { description: `The total count may not be greater than ${error.max}.`, field: 'total_count' };
    case 'subscription_not_cancellable':
      return { description: `Subscription is not cancellable in ${error.status} status.`, field: 'status' };
    case 'subscription_not_updatable':
      return {
        description: "Can't update Subscription when Subscription is not in Authenticated or Active state",
      };
    case 'subscription_not_pausable':
      // fakepsp wording, after the cancel error's.
      return { description: `Subscription is not pausable in ${error.status} status.`, field: 'status' };
    case 'subscription_not_resumable':
      // fakepsp wording, after the cancel error's.
      return { description: `Subscription is not resumable in ${error.status} status.`, field: 'status' };
    case 'no_scheduled_changes':
      // fakepsp wording.
      return { description: 'Subscription does not have any scheduled changes' };
    case 'proration_too_small':
      return {
        description: 'The prorated amount difference between the plans must be at least 50 currency subunits',
      };
    case 'update_charge_failed':
      // fakepsp wording: the docs say only that a failed charge leaves the subscription as it was.
      return { description: 'Subscription was not updated as the charge for the difference amount failed' };
    case 'addon_not_allowed':
      // fakepsp wording.
      return { description: `Add-ons cannot be created for a subscription in ${error.status} status.` };
    case 'addon_currency_mismatch':
      // fakepsp wording: the docs say the currency "has to match the plan currency".
      return { description: 'The add-on currency must match the plan currency', field: 'currency' };
    case 'addon_invoiced':
      // fakepsp wording: the docs say an invoiced add-on "cannot be deleted".
      return { description: 'An add-on linked to an invoice cannot be deleted' };
    case 'link_reference_taken':
      return {
        description: 'payment link creation with reference ID already attempted',
        field: 'reference_id',
      };
    case 'link_expiry_too_soon':
      return { description: 'timestamp must be atleast 15 minutes in future', field: 'expire_by' };
    case 'link_upi_test_mode':
      return {
        description:
          'UPI Payment Links is not supported in Test Mode. Please experience the product in Live Mode.',
      };
    case 'link_not_cancellable':
      // fakepsp wording.
      return { description: `Payment Link cannot be cancelled in ${error.status} status` };
    case 'link_not_payable':
      // fakepsp wording.
      return { description: `Payment Link cannot be paid in ${error.status} status` };
  }
}
