import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { addIntervals } from '../billing/calendar.ts';
import { stopCollection } from '../billing/collection.ts';
import { endSubscription, type LinePlan } from '../billing/subscription-cycle.ts';
import {
  cadenceOf,
  currentPeriod,
  newSubscription,
  requireRecurringPrice,
  subscriptionItem,
} from '../billing/subscription-objects.ts';
import { afterCreate, applyUpdateExtras, withCreateExtras } from '../billing/subscription-extras.ts';
import { startSubscription } from '../billing/subscription-start.ts';
import { creditUnusedRest, invoiceUpdateNow, prorateItemChanges } from '../billing/prorations.ts';
import { withPauseCollection } from '../billing/pause-collection.ts';
import { applyCancelAt } from '../billing/cancel-at.ts';
import { addInvoiceItems } from '../billing/add-invoice-items.ts';
import { invoiceNewCycle, onNewCycle, startsNewCycle } from '../billing/new-cycle.ts';
import { applyItemChanges, checkDistinctPrices, checkQuantity } from '../billing/subscription-update.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import { expandOnly, mergeMetadata, parseParams } from '../params.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';
import { cancelSchema, createSchema, ended, listSchema, updateSchema } from './subscriptions-params.ts';

function requireSubscription(context: StripeContext, id: string): Stripe.Subscription {
  const subscription = context.tx.get<Stripe.Subscription>('subscription', id);
  if (subscription === undefined) fail({ kind: 'resource_missing', objectName: 'subscription', id });
  return subscription;
}

/** The first period: a trial, up to a given anchor (prorated unless `none`), or one full interval. */
function firstPeriod(params: z.infer<typeof createSchema>, now: number, prices: readonly Stripe.Price[]) {
  const { interval, intervalCount } = cadenceOf(prices);
  const natural = addIntervals(now, interval, intervalCount);
  const anchor = params.billing_cycle_anchor;
  if (anchor !== undefined && (anchor < now || anchor > natural)) {
    fail({
      kind: 'invalid_request',
      param: 'billing_cycle_anchor',
      message: 'billing_cycle_anchor must be in the future and no later than the next natural billing date.',
    });
  }
  if (params.trial_period_days !== undefined) {
    const end = now + params.trial_period_days * 86_400;
    return { anchor: anchor ?? end, end, trial: { start: now, end } };
  }
  if (anchor === undefined || anchor === now) return { anchor: now, end: natural, trial: null };
  const previous = addIntervals(anchor, interval, -intervalCount);
  const fraction: LinePlan['fraction'] =
    params.proration_behavior === 'none'
      ? { numerator: 0, denominator: 1 }
      : { numerator: anchor - now, denominator: anchor - previous };
  return { anchor, end: anchor, trial: null, fraction };
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const customer = requireCustomer(context, params.customer, 'customer');
  const prices = params.items.map((item, index) => {
    const price = requireRecurringPrice(context, item.price, `items[${index}][price]`);
    checkQuantity(price, item.quantity, `items[${index}][quantity]`);
    return price;
  });
  const currency = cadenceOf(prices).currency;
  if (params.currency !== undefined && params.currency.toLowerCase() !== currency) {
    fail({
      kind: 'invalid_request',
      param: 'currency',
      message: `The price currency ${currency} does not match ${params.currency}.`,
    });
  }
  const method = params.collection_method ?? 'charge_automatically';
  if (method === 'send_invoice' && params.days_until_due === undefined)
    fail({ kind: 'parameter_missing', param: 'days_until_due' });
  const now = context.nowFor(customer.id);
  const first = firstPeriod(params, now, prices);
  const id = context.ids.stripe('sub_');
  const items = params.items.map((item, index) =>
    subscriptionItem(context, {
      subscription: id,
      price: prices[index]!,
      quantity: item.quantity ?? 1,
      metadata: mergeMetadata({}, item.metadata),
      created: now,
      period: { start: now, end: first.end },
    }),
  );
  checkDistinctPrices(items);
  const subscription = newSubscription({
    id,
    customer,
    items,
    currency,
    created: now,
    anchor: first.anchor,
    collectionMethod: method,
    daysUntilDue: method === 'send_invoice' ? (params.days_until_due ?? null) : null,
    defaultPaymentMethod: params.default_payment_method ?? null,
    description: params.description ?? null,
    metadata: mergeMetadata({}, params.metadata),
    trial: first.trial,
    cancelAtPeriodEnd: params.cancel_at_period_end ?? false,
  });
  const withCancel = subscription.cancel_at_period_end
    ? { ...subscription, cancel_at: first.end }
    : subscription;
  addInvoiceItems(context, withCancel, params.add_invoice_items);
  const started = startSubscription(context, withCreateExtras(context, withCancel, params), {
    paymentBehavior: params.payment_behavior ?? 'allow_incomplete',
    ...(first.fraction === undefined ? {} : { fraction: first.fraction }),
  });
  afterCreate(context, started);
  return started;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireSubscription(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireSubscription(context, path.id!);
  if (ended.has(existing.status)) {
    fail({
      kind: 'invalid_request',
      message: `A canceled subscription can only update its cancellation_details and metadata.`,
    });
  }
  let updated = params.items === undefined ? existing : applyItemChanges(context, existing, params.items);
  const newCycle = startsNewCycle(existing, updated, params.billing_cycle_anchor);
  const prorated = newCycle
    ? creditUnusedRest(context, existing, { behavior: params.proration_behavior })
    : prorateItemChanges(context, existing, updated, {
        behavior: params.proration_behavior,
        date: params.proration_date,
      });
  if (newCycle) updated = onNewCycle(context, updated);
  const periodEnd = currentPeriod(updated).end;
  const cancelAtPeriodEnd =
    params.cancel_at_period_end ?? (params.cancel_at === undefined ? existing.cancel_at_period_end : false);
  const cancelAt = cancelAtPeriodEnd
    ? periodEnd
    : params.cancel_at === undefined
      ? params.cancel_at_period_end === false
        ? null
        : existing.cancel_at
      : params.cancel_at === ''
        ? null
        : params.cancel_at;
  updated = {
    ...updated,
    cancel_at_period_end: cancelAtPeriodEnd,
    cancel_at: cancelAt,
    default_payment_method: params.default_payment_method ?? existing.default_payment_method,
    description: params.description ?? existing.description,
    days_until_due: params.days_until_due ?? existing.days_until_due,
    metadata: mergeMetadata(existing.metadata, params.metadata),
  };
  updated = withPauseCollection(context, updated, params.pause_collection);
  const extras = applyUpdateExtras(context, updated, params);
  updated = context.tx.put(extras.subscription);
  const previous = changedAttributes(existing, updated);
  if (Object.keys(previous).length > 0) context.emit('customer.subscription.updated', updated, previous);
  extras.after();
  addInvoiceItems(context, updated, params.add_invoice_items);
  applyCancelAt(context, existing, updated, params.proration_behavior);
  if (newCycle) invoiceNewCycle(context, existing, updated);
  else if (prorated.length > 0 && params.proration_behavior === 'always_invoice')
    invoiceUpdateNow(context, updated, null);
  return context.tx.get<Stripe.Subscription>('subscription', updated.id) ?? updated;
};

/**
 * `DELETE /v1/subscriptions/:id`: ends it now. `prorate` credits the unused rest of the period of
 * each licensed item (pending items for the customer's next invoice); `invoice_now` bills the
 * metered usage so far and those prorations on a last invoice, a negative one crediting the
 * customer balance.
 */
const cancel: StripeHandler = (context, path) => {
  const params = parseParams(cancelSchema, context.params);
  const existing = requireSubscription(context, path.id!);
  if (ended.has(existing.status)) {
    fail({
      kind: 'invalid_request',
      message: `This subscription has already been canceled: ${existing.id}.`,
    });
  }
  const now = context.nowFor(existing.customer as string);
  const usage = params.invoice_now === true ? { start: currentPeriod(existing).start, end: now } : null;
  if (params.prorate === true) creditUnusedRest(context, existing, {});
  const canceled = endSubscription(context, existing, {
    usage,
    reason: 'cancellation_requested',
    invoicePending: params.invoice_now === true,
  });
  stopCollection(context, existing.id);
  if (params.cancellation_details === undefined) return canceled;
  const detailed: Stripe.Subscription = {
    ...canceled,
    cancellation_details: {
      ...canceled.cancellation_details!,
      comment: params.cancellation_details.comment ?? null,
      feedback: (params.cancellation_details.feedback ??
        null) as Stripe.Subscription.CancellationDetails.Feedback | null,
    },
  };
  return context.tx.put(detailed);
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const status = params.status;
  const matches = (subscription: Stripe.Subscription) =>
    (params.customer === undefined || subscription.customer === params.customer) &&
    (params.test_clock === undefined || subscription.test_clock === params.test_clock) &&
    (params.collection_method === undefined || subscription.collection_method === params.collection_method) &&
    (params.price === undefined || subscription.items.data.some((item) => item.price.id === params.price)) &&
    (status === 'all' ||
      (status === undefined
        ? !ended.has(subscription.status)
        : status === 'ended'
          ? ended.has(subscription.status)
          : subscription.status === status));
  const filters = [['customer', params.customer]] as const;
  return listPage(context.tx, params, 'subscription', filters, matches, '/v1/subscriptions');
};

/** What finds a subscription by one of its items. */
export const subscriptionsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/subscriptions', handler: create },
  { method: 'GET', pattern: '/v1/subscriptions', handler: list },
  { method: 'GET', pattern: '/v1/subscriptions/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/subscriptions/:id', handler: update },
  { method: 'DELETE', pattern: '/v1/subscriptions/:id', handler: cancel },
];
