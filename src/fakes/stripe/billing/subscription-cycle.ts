import type Stripe from 'stripe';
import { proportionalShare } from '../../../sim/money.ts';
import type { StripeContext } from '../context.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { meteredQuantity } from '../resources/meters.ts';
import { scheduleAutoFinalize } from './auto-advance.ts';
import { boundaryAfter, type BillingInterval } from './calendar.ts';
import { scheduleAt } from './clocks.ts';
import { draftInvoice, productName, subscriptionLine, withLines } from './invoice-objects.ts';
import { priceLines } from './invoice-pricing.ts';
import { pausedDraft, settlePaused } from './pause-collection.ts';
import { hasPendingItemsOf, sweepPendingItems } from './pending-items.ts';
import { currentPeriod, isMeteredPrice, withPeriod } from './subscription-objects.ts';
import { endedFields, moveSubscription } from './subscription-status.ts';
import { trialEndsWithoutPaymentMethod } from './trials.ts';
import { settleSchedulePhase } from './schedule-runner.ts';
import { customerOf } from '../customer-of.ts';
import { formatUnit, priceAmount } from './price-amount.ts';

/** A period in seconds. */
export interface Period {
  readonly start: number;
  readonly end: number;
}

/** Which periods a subscription invoice bills: licensed items in advance, metered in arrears. */
export interface LinePlan {
  readonly licensed: Period | null;
  readonly metered: Period | null;
  readonly trial: boolean;
  /** Share of a full period billed for licensed items (a first period shortened by an anchor). */
  readonly fraction?: { readonly numerator: number; readonly denominator: number };
}

/**
 * The lines a subscription bills for: each licensed item at unit × quantity for `licensed`,
 * each metered item for `metered` (its quantity is re-read from the meter at finalization).
 */
export function subscriptionLines(
  context: StripeContext,
  subscription: Stripe.Subscription,
  invoice: string,
  plan: LinePlan,
): Stripe.InvoiceLineItem[] {
  return subscription.items.data.flatMap((item) => {
    const price = item.price;
    const metered = isMeteredPrice(price);
    const period = metered ? plan.metered : plan.licensed;
    if (period === null) return [];
    const quantity = metered ? usageOf(context, subscription, price, period) : (item.quantity ?? 1);
    const full = priceAmount(context, price, quantity);
    const amount = plan.trial
      ? 0
      : plan.fraction === undefined || metered
        ? full
        : proportionalShare(full, plan.fraction.numerator, plan.fraction.denominator);
    const name = productName(context, price);
    const description = plan.trial
      ? `Trial period for ${name}`
      : price.billing_scheme === 'tiered'
        ? `${quantity} × ${name} (tiered)`
        : metered
          ? `${name} (usage at ${formatUnit(price)} / unit)`
          : `${quantity} × ${name} (at ${formatUnit(price)} / ${price.recurring!.interval})`;
    return [
      subscriptionLine(context, {
        invoice,
        subscription: subscription.id,
        item: item.id,
        price,
        quantity,
        amount,
        period,
        description,
      }),
    ];
  });
}

/** Usage so far in a period (re-read at finalization, when late events have arrived). */
function usageOf(
  context: StripeContext,
  subscription: Stripe.Subscription,
  price: Stripe.Price,
  period: Period,
): number {
  const meter = price.recurring?.meter;
  if (meter === null || meter === undefined) return 0;
  return meteredQuantity(context, {
    meter,
    customer: customerOf(subscription),
    startSeconds: period.start,
    endSeconds: period.end,
  });
}

function cadence(subscription: Stripe.Subscription): { interval: BillingInterval; count: number } {
  const recurring = subscription.items.data[0]!.price.recurring!;
  return { interval: recurring.interval as BillingInterval, count: recurring.interval_count };
}

/** Schedules the subscription's next renewal at its current period end, on the customer's clock. */
export function scheduleRenewal(context: StripeContext, subscription: Stripe.Subscription): void {
  const end = currentPeriod(subscription).end;
  scheduleAt(context, {
    customer: customerOf(subscription),
    atSeconds: end,
    label: `subscription ${subscription.id} period ends`,
    run: (job) => renewSubscription(job, subscription.id, end),
  });
}

/** The statuses a subscription renews (and invoices) from. */
export const renewable: ReadonlySet<string> = new Set(['active', 'trialing', 'past_due', 'unpaid']);

/** What a draft subscription invoice needs: its reason and the usage period it covers. */
interface CycleInvoice {
  readonly subscription: Stripe.Subscription;
  readonly reason: Stripe.Invoice.BillingReason;
  readonly period: Period;
  readonly plan: LinePlan;
}

/** A subscription's auto-advancing draft, with no lines yet, in its currency and collection method. */
export function subscriptionDraft(
  context: StripeContext,
  subscription: Stripe.Subscription,
  reason: Stripe.Invoice.BillingReason,
  period: Period,
): Stripe.Invoice {
  return draftInvoice(context, {
    customer: context.tx.get<Stripe.Customer>('customer', customerOf(subscription))!,
    currency: subscription.currency,
    billingReason: reason,
    collectionMethod: subscription.collection_method,
    autoAdvance: true,
    daysUntilDue: subscription.days_until_due,
    subscription,
    defaultPaymentMethod: null,
    description: null,
    metadata: {},
    periodStart: period.start,
    periodEnd: period.end,
  });
}

/** Creates an auto-advancing draft for a subscription (finalized 1 h later) with pending items swept in. */
export function createCycleInvoice(context: StripeContext, options: CycleInvoice): Stripe.Invoice {
  const { subscription } = options;
  const draft = subscriptionDraft(context, subscription, options.reason, options.period);
  const lines = [
    ...subscriptionLines(context, subscription, draft.id, options.plan),
    ...sweepPendingItems(context, draft, subscription.id),
  ];
  const dated = dueDated(draft, subscription.days_until_due);
  const invoice = pausedDraft(subscription, withLines(dated, priceLines(context, dated, lines)));
  context.tx.put(invoice);
  context.emit('invoice.created', invoice);
  if (!settlePaused(context, subscription, invoice)) scheduleAutoFinalize(context, invoice);
  return invoice;
}

/** A send_invoice draft carries its due date from the start. */
export function dueDated(invoice: Stripe.Invoice, daysUntilDue: number | null): Stripe.Invoice {
  if (invoice.collection_method !== 'send_invoice') return invoice;
  return { ...invoice, due_date: invoice.created + (daysUntilDue ?? 30) * 86_400 };
}

/**
 * The renewal at a period end: the next period starts on every item, and an invoice bills the
 * licensed items for it and the metered usage of the period that just closed. A subscription
 * set to cancel ends instead, with a last invoice for its usage.
 */
export function renewSubscription(context: StripeContext, subscriptionId: string, expectedEnd: number): void {
  settleSchedulePhase(context, subscriptionId, expectedEnd);
  const subscription = context.tx.get<Stripe.Subscription>('subscription', subscriptionId);
  // Stale: ended, or its period moved since this job was scheduled.
  if (subscription === undefined || !renewable.has(subscription.status)) return;
  const closing = currentPeriod(subscription);
  if (closing.end !== expectedEnd) return;
  const wasTrial = subscription.status === 'trialing';
  if (wasTrial && trialEndsWithoutPaymentMethod(context, subscription)) return;
  if (
    subscription.cancel_at_period_end ||
    (subscription.cancel_at !== null && subscription.cancel_at <= expectedEnd)
  ) {
    endSubscription(context, subscription, {
      usage: wasTrial ? null : closing,
      reason: 'cancellation_requested',
    });
    return;
  }
  const { interval, count } = cadence(subscription);
  const nextEnd = boundaryAfter(subscription.billing_cycle_anchor, interval, count, expectedEnd);
  const next: Period = { start: expectedEnd, end: nextEnd };
  let renewed = withPeriod(subscription, next.start, next.end);
  const invoice = createCycleInvoice(context, {
    subscription: renewed,
    reason: 'subscription_cycle',
    period: closing,
    plan: { licensed: next, metered: wasTrial ? null : closing, trial: false, ...cutShortBy(renewed, next) },
  });
  renewed = { ...renewed, latest_invoice: invoice.id, status: wasTrial ? 'active' : renewed.status };
  context.tx.put(renewed);
  context.emit('customer.subscription.updated', renewed, changedAttributes(subscription, renewed));
  scheduleRenewal(context, renewed);
}

/** How a subscription ends: `usage` is the period a last invoice bills metered usage for. */
export interface Ending {
  readonly usage: Period | null;
  readonly reason: Stripe.Subscription.CancellationDetails.Reason;
  /** `invoice_now`: the subscription's own pending items (its prorations) make a last invoice too. */
  readonly invoicePending?: boolean;
}

/** A period that `cancel_at` ends early bills its licensed items for the share it lasts. */
function cutShortBy(subscription: Stripe.Subscription, period: Period): Pick<LinePlan, 'fraction'> {
  const at = subscription.cancel_at;
  if (at === null || at <= period.start || at >= period.end) return {};
  return { fraction: { numerator: at - period.start, denominator: period.end - period.start } };
}

/**
 * Ends a subscription now: with `usage`, a last invoice bills the metered usage of that period
 * (and the subscription's pending items), then it is canceled.
 */
export function endSubscription(
  context: StripeContext,
  subscription: Stripe.Subscription,
  options: Ending,
): Stripe.Subscription {
  const now = context.nowFor(customerOf(subscription));
  let latest = subscription.latest_invoice;
  const metered = subscription.items.data.some((item) => isMeteredPrice(item.price));
  const pending = options.invoicePending === true && hasPendingItemsOf(context, subscription);
  if (options.usage !== null && (metered || pending)) {
    latest = createCycleInvoice(context, {
      subscription,
      reason: 'subscription_cycle',
      period: options.usage,
      plan: { licensed: null, metered: options.usage, trial: false },
    }).id;
  }
  return (
    moveSubscription(context, subscription.id, 'canceled', {
      ...endedFields(now, options.reason),
      latest_invoice: latest,
    }) ?? subscription
  );
}
