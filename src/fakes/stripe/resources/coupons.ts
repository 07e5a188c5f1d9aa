import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import {
  expand,
  expandOnly,
  int,
  listOnly,
  mergeMetadata,
  metadata,
  oneOf,
  parseParams,
  text,
} from '../params.ts';
import { isDeleted } from '../store.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCurrency } from './payment-amounts.ts';

const createSchema = z.strictObject({
  id: z.string().min(1).max(200).optional(),
  amount_off: int({ min: 1 }).optional(),
  currency: text().optional(),
  currency_options: z.record(z.string(), z.strictObject({ amount_off: int({ min: 1 }) })).optional(),
  duration: oneOf('duration', ['forever', 'once', 'repeating']).optional(),
  duration_in_months: int({ min: 1, max: 120 }).optional(),
  max_redemptions: int({ min: 1 }).optional(),
  metadata: metadata.optional(),
  name: z.string().max(40).optional(),
  percent_off: z
    .union([z.string(), z.number()])
    .transform(Number)
    .refine(
      (value) => value > 0 && value <= 100,
      'Invalid percent_off: must be greater than 0 and at most 100',
    )
    .optional(),
  redeem_by: int({ min: 0 }).optional(),
  applies_to: z.strictObject({ products: z.array(text()) }).optional(),
  expand,
});
const updateSchema = z.strictObject({
  metadata: metadata.optional(),
  name: z.string().max(40).optional(),
  currency_options: z.record(z.string(), z.strictObject({ amount_off: int({ min: 1 }) })).optional(),
  expand,
});

/** Whether a coupon can still be redeemed now: not deleted, not past `redeem_by`, not used up. */
export function couponValid(coupon: Stripe.Coupon, nowSeconds: number): boolean {
  if (coupon.redeem_by !== null && coupon.redeem_by <= nowSeconds) return false;
  return coupon.max_redemptions === null || coupon.times_redeemed < coupon.max_redemptions;
}

/** Loads a coupon of the current account (deleted ones too: discounts outlive them). */
export function findCoupon(context: StripeContext, id: string): Stripe.Coupon | undefined {
  return context.tx.get<Stripe.Coupon>('coupon', id);
}

/** Loads a live coupon or fails with Stripe's 404 naming `param`. */
export function requireCoupon(context: StripeContext, id: string, param = 'id'): Stripe.Coupon {
  const coupon = findCoupon(context, id);
  if (coupon === undefined || isDeleted(coupon))
    fail({ kind: 'resource_missing', objectName: 'coupon', id, param });
  return coupon;
}

function checkTerms(params: z.infer<typeof createSchema>): void {
  if ((params.amount_off === undefined) === (params.percent_off === undefined)) {
    fail({
      kind: 'invalid_request',
      message: 'You must pass exactly one of `amount_off` or `percent_off`.',
      param: params.amount_off === undefined ? 'percent_off' : 'amount_off',
    });
  }
  if (params.amount_off !== undefined && params.currency === undefined) {
    fail({
      kind: 'invalid_request',
      param: 'currency',
      message: 'You must pass currency when passing amount_off.',
    });
  }
  if (params.duration === 'repeating' && params.duration_in_months === undefined) {
    fail({ kind: 'parameter_missing', param: 'duration_in_months' });
  }
  if (params.duration !== 'repeating' && params.duration_in_months !== undefined) {
    fail({
      kind: 'invalid_request',
      param: 'duration_in_months',
      message: 'You can only specify duration_in_months when duration is repeating.',
    });
  }
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  checkTerms(params);
  if (params.id !== undefined && findCoupon(context, params.id) !== undefined) {
    fail({
      kind: 'invalid_request',
      param: 'id',
      code: 'resource_already_exists',
      message: 'Coupon already exists.',
    });
  }
  const coupon: Stripe.Coupon = {
    id: params.id ?? context.ids.custom('', 8),
    object: 'coupon',
    amount_off: params.amount_off ?? null,
    ...(params.applies_to === undefined ? {} : { applies_to: { products: params.applies_to.products } }),
    created: context.nowSeconds,
    currency: params.currency === undefined ? null : requireCurrency(params.currency),
    duration: params.duration ?? 'once',
    duration_in_months: params.duration_in_months ?? null,
    livemode: false,
    max_redemptions: params.max_redemptions ?? null,
    metadata: mergeMetadata({}, params.metadata),
    name: params.name ?? null,
    percent_off: params.percent_off ?? null,
    redeem_by: params.redeem_by ?? null,
    times_redeemed: 0,
    valid: true,
  };
  context.tx.put(coupon);
  context.emit('coupon.created', coupon);
  return coupon;
};

/** A coupon as seen now: `valid` is derived, as Stripe derives it. */
function asOf(coupon: Stripe.Coupon, nowSeconds: number): Stripe.Coupon {
  const valid = couponValid(coupon, nowSeconds);
  return valid === coupon.valid ? coupon : { ...coupon, valid };
}

/** Counts one redemption of a coupon. */
export function redeemCoupon(context: StripeContext, coupon: Stripe.Coupon): Stripe.Coupon {
  const redeemed: Stripe.Coupon = { ...coupon, times_redeemed: coupon.times_redeemed + 1 };
  return context.tx.put(asOf(redeemed, context.nowSeconds));
}

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return asOf(requireCoupon(context, path.id!), context.nowSeconds);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireCoupon(context, path.id!);
  const updated: Stripe.Coupon = {
    ...existing,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
    name: params.name ?? existing.name,
  };
  context.tx.put(updated);
  context.emit('coupon.updated', updated, changedAttributes(existing, updated));
  return updated;
};

/** Deleting a coupon stops new redemptions; discounts already made from it keep applying. */
const remove: StripeHandler = (context, path) => {
  const existing = requireCoupon(context, path.id!);
  context.tx.put({ ...existing, deleted: true } as unknown as Stripe.Coupon);
  context.emit('coupon.deleted', existing);
  return { id: existing.id, object: 'coupon', deleted: true };
};

const list: StripeHandler = (context) => {
  const params = parseParams(listOnly, context.params);
  const page = listPage(
    context.tx,
    params,
    'coupon',
    [],
    (coupon: Stripe.Coupon) => !isDeleted(coupon),
    '/v1/coupons',
  );
  return { ...page, data: page.data.map((coupon) => asOf(coupon, context.nowSeconds)) };
};

export const couponsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/coupons', handler: create },
  { method: 'GET', pattern: '/v1/coupons', handler: list },
  { method: 'GET', pattern: '/v1/coupons/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/coupons/:id', handler: update },
  { method: 'DELETE', pattern: '/v1/coupons/:id', handler: remove },
];
