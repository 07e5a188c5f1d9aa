import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { callEndpoint } from '../internal-call.ts';
import { paginate } from '../list.ts';
import { bool, expand, expandOnly, int, metadata, parseParams, text, type Params } from '../params.ts';
import { listItemsParams, prorationBehavior } from './subscriptions-params.ts';

const itemIdsOf = (subscription: Stripe.Subscription) => subscription.items.data.map((item) => item.id);

function findItem(context: StripeContext, id: string): Stripe.SubscriptionItem {
  for (const subscription of context.tx.where<Stripe.Subscription>('subscription', itemIdsOf, id)) {
    const item = subscription.items.data.find((candidate) => candidate.id === id);
    if (item !== undefined) return item;
  }
  fail({ kind: 'resource_missing', objectName: 'subscription_item', id });
}

const retrieveItem: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return findItem(context, path.id!);
};

const listItems: StripeHandler = (context) => {
  const params = parseParams(listItemsParams, context.params);
  const subscription = context.tx.get<Stripe.Subscription>('subscription', params.subscription);
  if (subscription === undefined) {
    fail({
      kind: 'resource_missing',
      objectName: 'subscription',
      id: params.subscription,
      param: 'subscription',
    });
  }
  return paginate(params, [...subscription.items.data].reverse(), '/v1/subscription_items');
};

// How a change prorates, as on the subscription itself.
const prorations = {
  proration_behavior: prorationBehavior.optional(),
  proration_date: int({ min: 0 }).optional(),
};
const createSchema = z.strictObject({
  subscription: text(),
  price: text(),
  quantity: int({ min: 0 }).optional(),
  metadata: metadata.optional(),
  ...prorations,
  expand,
});
const updateSchema = z.strictObject({
  price: text().optional(),
  quantity: int({ min: 0 }).optional(),
  metadata: metadata.optional(),
  ...prorations,
  expand,
});
// `clear_usage` clears legacy usage records; the fake's metered prices bill meter events, which stay.
const deleteSchema = z.strictObject({ clear_usage: bool().optional(), ...prorations });

/** The subscription update an item endpoint stands for: the same checks, prorations and events. */
function updateSubscription(
  context: StripeContext,
  subscription: string,
  item: Params,
  params: { readonly proration_behavior?: string | undefined; readonly proration_date?: number | undefined },
): Stripe.Subscription {
  const { proration_behavior: behavior, proration_date: date } = params;
  return callEndpoint<Stripe.Subscription>(context, 'POST', `/v1/subscriptions/${subscription}`, {
    items: [item],
    ...(behavior === undefined ? {} : { proration_behavior: behavior }),
    ...(date === undefined ? {} : { proration_date: date }),
  });
}

/** Drops `undefined` members: an internal call sends only what was asked. */
const given = (fields: Record<string, unknown>): Params =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Params;

/** `POST /v1/subscription_items`: an item added to a subscription, prorated as an update adds one. */
const createItem: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  if (context.tx.get('subscription', params.subscription) === undefined)
    fail({
      kind: 'resource_missing',
      objectName: 'subscription',
      id: params.subscription,
      param: 'subscription',
    });
  const item = given({ price: params.price, quantity: params.quantity, metadata: params.metadata });
  const updated = updateSubscription(context, params.subscription, item, params);
  return updated.items.data.find((each) => each.price.id === params.price)!;
};

/** `POST /v1/subscription_items/:id`: its price, quantity or metadata changed, prorated as an update. */
const updateItem: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = findItem(context, path.id!);
  const item = given({
    id: existing.id,
    price: params.price,
    quantity: params.quantity,
    metadata: params.metadata,
  });
  const updated = updateSubscription(context, existing.subscription, item, params);
  return updated.items.data.find((each) => each.id === existing.id)!;
};

/** `DELETE /v1/subscription_items/:id`: the item leaves its subscription, credited as an update removes one. */
const deleteItem: StripeHandler = (context, path) => {
  const params = parseParams(deleteSchema, context.params);
  const existing = findItem(context, path.id!);
  updateSubscription(context, existing.subscription, { id: existing.id, deleted: true }, params);
  return { id: existing.id, object: 'subscription_item', deleted: true };
};

export const subscriptionItemsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/subscription_items', handler: createItem },
  { method: 'GET', pattern: '/v1/subscription_items', handler: listItems },
  { method: 'GET', pattern: '/v1/subscription_items/:id', handler: retrieveItem },
  { method: 'POST', pattern: '/v1/subscription_items/:id', handler: updateItem },
  { method: 'DELETE', pattern: '/v1/subscription_items/:id', handler: deleteItem },
];
