import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { planOf } from '../billing/subscription-objects.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import {
  bool,
  expand,
  expandOnly,
  int,
  listParams,
  mergeMetadata,
  metadata,
  oneOf,
  parseParams,
  text,
} from '../params.ts';
import type { StripeObject } from '../store.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { insertPrice } from './prices.ts';

/** Marks a plan deleted: its price stays (archived) for the subscriptions that bill it. */
interface DeletedPlanMarker extends StripeObject {
  readonly object: 'fakepsp.deleted_plan';
}
const markerId = (id: string) => `${id}:deleted_plan`;

const createSchema = z.strictObject({
  currency: text(),
  interval: oneOf('interval', ['day', 'month', 'week', 'year']),
  amount: int({ min: 0 }).optional(),
  amount_decimal: text().optional(),
  product: z.union([
    text(),
    z.strictObject({
      name: text(),
      active: bool().optional(),
      metadata: metadata.optional(),
      statement_descriptor: text().optional(),
      unit_label: text().optional(),
    }),
  ]),
  interval_count: int({ min: 1 }).optional(),
  usage_type: oneOf('usage_type', ['licensed', 'metered']).optional(),
  meter: text().optional(),
  nickname: text().optional(),
  metadata: metadata.optional(),
  active: bool().optional(),
  trial_period_days: int({ min: 0 }).optional(),
  expand,
});
const updateSchema = z.strictObject({
  active: bool().optional(),
  metadata: metadata.optional(),
  nickname: text().optional(),
  trial_period_days: int({ min: 0 }).optional(),
  expand,
});

function requirePlanPrice(context: StripeContext, id: string): Stripe.Price {
  const price = context.tx.get<Stripe.Price>('price', id);
  const deleted = context.tx.get<DeletedPlanMarker>('fakepsp.deleted_plan', markerId(id)) !== undefined;
  if (price === undefined || price.recurring === null || deleted)
    fail({ kind: 'resource_missing', objectName: 'plan', id });
  return price;
}

/** `POST /v1/plans`: a plan is a recurring price seen through the legacy Plan shape. */
const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const product = params.product;
  const price = insertPrice(context, {
    currency: params.currency,
    ...(params.amount === undefined ? {} : { unit_amount: params.amount }),
    ...(params.amount_decimal === undefined ? {} : { unit_amount_decimal: params.amount_decimal }),
    ...(typeof product === 'string' ? { product } : { product_data: product }),
    recurring: {
      interval: params.interval,
      ...(params.interval_count === undefined ? {} : { interval_count: params.interval_count }),
      ...(params.usage_type === undefined ? {} : { usage_type: params.usage_type }),
      ...(params.meter === undefined ? {} : { meter: params.meter }),
      ...(params.trial_period_days === undefined ? {} : { trial_period_days: params.trial_period_days }),
    },
    ...(params.nickname === undefined ? {} : { nickname: params.nickname }),
    ...(params.metadata === undefined ? {} : { metadata: params.metadata }),
    ...(params.active === undefined ? {} : { active: params.active }),
  } as Parameters<typeof insertPrice>[1]);
  const plan = planOf(price);
  context.emit('plan.created', plan);
  return plan;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return planOf(requirePlanPrice(context, path.id!));
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requirePlanPrice(context, path.id!);
  const price: Stripe.Price = {
    ...existing,
    active: params.active ?? existing.active,
    metadata: mergeMetadata(existing.metadata, params.metadata),
    nickname: params.nickname ?? existing.nickname,
    recurring: {
      ...existing.recurring!,
      trial_period_days: params.trial_period_days ?? existing.recurring!.trial_period_days,
    },
  };
  context.tx.put(price);
  const before = planOf(existing);
  const plan = planOf(price);
  context.emit('plan.updated', plan, changedAttributes(before, plan));
  return plan;
};

const remove: StripeHandler = (context, path) => {
  const price = requirePlanPrice(context, path.id!);
  context.tx.put({ ...price, active: false });
  context.tx.put<DeletedPlanMarker>({ id: markerId(price.id), object: 'fakepsp.deleted_plan' });
  context.emit('plan.deleted', planOf(price));
  return { id: price.id, object: 'plan', deleted: true };
};

const listQuery = z.strictObject({ ...listParams, active: bool().optional(), product: text().optional() });

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const plans = context.tx
    .values<Stripe.Price>('price')
    .filter((price) => price.recurring !== null)
    .filter((price) => context.tx.get('fakepsp.deleted_plan', markerId(price.id)) === undefined)
    .filter((price) => params.active === undefined || price.active === params.active)
    .filter((price) => params.product === undefined || price.product === params.product)
    .map(planOf);
  return paginate(params, plans, '/v1/plans');
};

export const plansRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/plans', handler: create },
  { method: 'GET', pattern: '/v1/plans', handler: list },
  { method: 'GET', pattern: '/v1/plans/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/plans/:id', handler: update },
  { method: 'DELETE', pattern: '/v1/plans/:id', handler: remove },
];
