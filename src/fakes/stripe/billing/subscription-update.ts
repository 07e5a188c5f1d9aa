import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { mergeMetadata } from '../params.ts';
import { embeddedList } from './invoice-objects.ts';
import {
  cadenceOf,
  currentPeriod,
  isMeteredPrice,
  planOf,
  requireRecurringPrice,
  subscriptionItem,
} from './subscription-objects.ts';

/** One entry of `items[]` on a subscription update. */
export interface ItemChange {
  readonly id?: string | undefined;
  readonly price?: string | undefined;
  readonly quantity?: number | undefined;
  readonly deleted?: boolean | undefined;
  readonly metadata?: string | Record<string, string> | undefined;
}

/** Refuses a quantity on a metered price, as Stripe does. */
export function checkQuantity(price: Stripe.Price, quantity: number | undefined, param: string): void {
  if (isMeteredPrice(price) && quantity !== undefined) {
    fail({
      kind: 'invalid_request',
      param,
      message: 'Quantity should not be specified where usage_type is `metered`.',
    });
  }
}

/** Refuses two items on one price. */
export function checkDistinctPrices(items: readonly Stripe.SubscriptionItem[]): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.price.id)) {
      fail({
        kind: 'invalid_request',
        param: 'items',
        message: `Cannot add multiple subscription items with the same price: ${item.price.id}`,
      });
    }
    seen.add(item.price.id);
  }
}

function changeItem(
  context: StripeContext,
  item: Stripe.SubscriptionItem,
  change: ItemChange,
  param: string,
) {
  const price =
    change.price === undefined ? item.price : requireRecurringPrice(context, change.price, `${param}[price]`);
  checkQuantity(price, change.quantity, `${param}[quantity]`);
  const quantity = isMeteredPrice(price) ? {} : { quantity: change.quantity ?? item.quantity ?? 1 };
  const { quantity: _dropped, ...rest } = item;
  return {
    ...rest,
    ...quantity,
    price,
    plan: planOf(price),
    metadata: mergeMetadata(item.metadata, change.metadata),
  };
}

/**
 * Applies `items[]` of an update: `{id, …}` changes or (`deleted`) removes an item, an entry
 * without `id` adds one on the current period. Prorations for the change are made by the
 * caller (see prorateItemChanges).
 */
export function applyItemChanges(
  context: StripeContext,
  subscription: Stripe.Subscription,
  changes: readonly ItemChange[],
): Stripe.Subscription {
  let items = [...subscription.items.data];
  const period = currentPeriod(subscription);
  changes.forEach((change, index) => {
    const param = `items[${index}]`;
    if (change.id === undefined) {
      if (change.price === undefined) fail({ kind: 'parameter_missing', param: `${param}[price]` });
      const price = requireRecurringPrice(context, change.price, `${param}[price]`);
      checkQuantity(price, change.quantity, `${param}[quantity]`);
      items.push(
        subscriptionItem(context, {
          subscription: subscription.id,
          price,
          quantity: change.quantity ?? 1,
          metadata: mergeMetadata({}, change.metadata),
          created: context.nowFor(subscription.customer as string),
          period,
        }),
      );
      return;
    }
    const existing = items.find((item) => item.id === change.id);
    if (existing === undefined) {
      fail({
        kind: 'invalid_request',
        param: `${param}[id]`,
        message: `Subscription item ${change.id} does not belong to subscription ${subscription.id}.`,
      });
    }
    items =
      change.deleted === true
        ? items.filter((item) => item.id !== change.id)
        : items.map((item) => (item.id === change.id ? changeItem(context, item, change, param) : item));
  });
  if (items.length === 0) {
    fail({
      kind: 'invalid_request',
      param: 'items',
      message: 'A subscription must have at least one active plan.',
    });
  }
  checkDistinctPrices(items);
  cadenceOf(items.map((item) => item.price));
  return { ...subscription, items: embeddedList(items, subscription.items.url) };
}
