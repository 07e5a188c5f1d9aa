import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { isDeleted } from '../store.ts';
import type { BillingInterval } from './calendar.ts';
import { embeddedList } from './invoice-objects.ts';

/** The legacy Plan view of a recurring price, as subscription items still carry it. */
export function planOf(price: Stripe.Price): Stripe.Plan {
  const recurring = price.recurring!;
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: false,
    metadata: price.metadata,
    meter: recurring.meter,
    nickname: price.nickname,
    product: typeof price.product === 'string' ? price.product : price.product.id,
    tiers_mode: price.tiers_mode,
    transform_usage: null,
    trial_period_days: recurring.trial_period_days,
    usage_type: recurring.usage_type,
  };
}

/** Whether a price bills usage in arrears from a meter. */
export function isMeteredPrice(price: Stripe.Price): boolean {
  return price.recurring?.usage_type === 'metered';
}

/** Loads a recurring price for a subscription item, or fails with the param named. */
export function requireRecurringPrice(context: StripeContext, id: string, param: string): Stripe.Price {
  const price = context.tx.get<Stripe.Price>('price', id);
  if (price === undefined || isDeleted(price)) {
    fail({ kind: 'resource_missing', objectName: 'price', id, param });
  }
  if (price.recurring === null) {
    fail({
      kind: 'invalid_request',
      param,
      message: `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
    });
  }
  if (!price.active)
    fail({ kind: 'invalid_request', param, message: `The price specified is inactive: ${id}.` });
  return price;
}

/** The shared cadence of a subscription's prices; Stripe refuses mixed intervals or currencies. */
export function cadenceOf(prices: readonly Stripe.Price[]): {
  readonly interval: BillingInterval;
  readonly intervalCount: number;
  readonly currency: string;
} {
  const first = prices[0]!;
  for (const price of prices) {
    const field =
      price.currency !== first.currency
        ? 'currency'
        : price.recurring!.interval !== first.recurring!.interval ||
            price.recurring!.interval_count !== first.recurring!.interval_count
          ? 'interval'
          : null;
    if (field !== null) {
      fail({
        kind: 'invalid_request',
        param: 'items',
        message: `Currency and interval fields must match across all plans on this subscription. Found mismatch in ${field} field.`,
      });
    }
  }
  return {
    interval: first.recurring!.interval as BillingInterval,
    intervalCount: first.recurring!.interval_count,
    currency: first.currency,
  };
}

/** What one subscription item holds. */
export interface ItemOptions {
  readonly subscription: string;
  readonly price: Stripe.Price;
  readonly quantity: number;
  readonly metadata: Record<string, string>;
  readonly created: number;
  readonly period: { readonly start: number; readonly end: number };
}

/** A subscription item; periods live on items since basil. Metered items carry no quantity. */
export function subscriptionItem(context: StripeContext, options: ItemOptions): Stripe.SubscriptionItem {
  return {
    id: context.ids.stripe('si_'),
    object: 'subscription_item',
    billing_thresholds: null,
    created: options.created,
    current_period_end: options.period.end,
    current_period_start: options.period.start,
    current_trial: null,
    discounts: [],
    metadata: options.metadata,
    plan: planOf(options.price),
    price: options.price,
    ...(isMeteredPrice(options.price) ? {} : { quantity: options.quantity }),
    subscription: options.subscription,
    tax_rates: [],
  };
}

/** The current period every item of a subscription shares. */
export function currentPeriod(subscription: Stripe.Subscription): {
  readonly start: number;
  readonly end: number;
} {
  const item = subscription.items.data[0];
  return item === undefined
    ? { start: subscription.start_date, end: subscription.start_date }
    : { start: item.current_period_start, end: item.current_period_end };
}

/** The subscription with every item moved to a new period. */
export function withPeriod(
  subscription: Stripe.Subscription,
  start: number,
  end: number,
): Stripe.Subscription {
  const items = subscription.items.data.map((item) => ({
    ...item,
    current_period_start: start,
    current_period_end: end,
  }));
  return { ...subscription, items: embeddedList(items, subscription.items.url) };
}

/** What a new subscription is made of. */
export interface SubscriptionOptions {
  readonly id: string;
  readonly customer: Stripe.Customer;
  readonly items: Stripe.SubscriptionItem[];
  readonly currency: string;
  readonly created: number;
  readonly anchor: number;
  readonly collectionMethod: Stripe.Subscription.CollectionMethod;
  readonly daysUntilDue: number | null;
  readonly defaultPaymentMethod: string | null;
  readonly description: string | null;
  readonly metadata: Record<string, string>;
  readonly trial: { readonly start: number; readonly end: number } | null;
  readonly cancelAtPeriodEnd: boolean;
}

/** A new subscription in status `incomplete`, before its first invoice decides. */
export function newSubscription(options: SubscriptionOptions): Stripe.Subscription {
  return {
    id: options.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: options.anchor,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: options.cancelAtPeriodEnd,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: options.collectionMethod,
    created: options.created,
    currency: options.currency,
    customer: options.customer.id,
    customer_account: null,
    days_until_due: options.daysUntilDue,
    default_payment_method: options.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: options.description,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: embeddedList(options.items, `/v1/subscription_items?subscription=${options.id}`),
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: options.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: options.created,
    status: 'incomplete',
    test_clock: options.customer.test_clock ?? null,
    transfer_data: null,
    trial_end: options.trial?.end ?? null,
    trial_settings: {
      end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' },
    },
    trial_start: options.trial?.start ?? null,
  };
}
