import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import {
  bool,
  expand,
  expandOnly,
  int,
  listParams,
  mergeMetadata,
  metadata,
  parseParams,
  text,
} from '../params.ts';
import { requireCoupon } from './coupons.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';

/** What a code is found by when taken is checked: Stripe compares codes without case. */
const lowerCaseCode = (code: Stripe.PromotionCode) => code.code.toLowerCase();

const restrictions = z.strictObject({
  first_time_transaction: bool().optional(),
  minimum_amount: int({ min: 1 }).optional(),
  minimum_amount_currency: text().optional(),
  currency_options: z.record(z.string(), z.strictObject({ minimum_amount: int({ min: 1 }) })).optional(),
});
const createSchema = z.strictObject({
  promotion: z.strictObject({ type: z.literal('coupon'), coupon: text() }).optional(),
  // Accounts on API versions before clover name the coupon at the top level (the CLI does).
  coupon: text().optional(),
  active: bool().optional(),
  code: z
    .string()
    .regex(/^[a-zA-Z0-9-]{1,500}$/, 'Invalid code: only letters, digits and dashes')
    .optional(),
  customer: text().optional(),
  expires_at: int({ min: 0 }).optional(),
  max_redemptions: int({ min: 1 }).optional(),
  metadata: metadata.optional(),
  restrictions: restrictions.optional(),
  expand,
});
const updateSchema = z.strictObject({
  active: bool().optional(),
  metadata: metadata.optional(),
  restrictions: z.strictObject({ currency_options: restrictions.shape.currency_options }).optional(),
  expand,
});
const listSchema = z.strictObject({
  ...listParams,
  active: bool().optional(),
  code: text().optional(),
  coupon: text().optional(),
  customer: text().optional(),
});

/** Whether a promotion code can be redeemed now. */
export function promotionCodeUsable(code: Stripe.PromotionCode, nowSeconds: number): boolean {
  if (!code.active) return false;
  if (code.expires_at !== null && code.expires_at <= nowSeconds) return false;
  return code.max_redemptions === null || code.times_redeemed < code.max_redemptions;
}

/** Loads a redeemable promotion code by id (`promo_…`) or by its customer-facing code. */
export function requirePromotionCode(
  context: StripeContext,
  idOrCode: string,
  param: string,
): Stripe.PromotionCode {
  const found =
    context.tx.get<Stripe.PromotionCode>('promotion_code', idOrCode) ??
    context.tx
      .where<Stripe.PromotionCode>('promotion_code', 'code', idOrCode)
      .find((code) => code.code === idOrCode && code.active);
  if (found === undefined)
    fail({ kind: 'resource_missing', objectName: 'promotion_code', id: idOrCode, param });
  if (!promotionCodeUsable(found, context.nowSeconds)) {
    fail({
      kind: 'invalid_request',
      param,
      message: `This promotion code cannot be redeemed: ${found.code}.`,
    });
  }
  return found;
}

/** Counts one redemption; a code used up becomes inactive. */
export function redeemPromotionCode(
  context: StripeContext,
  code: Stripe.PromotionCode,
): Stripe.PromotionCode {
  const times = code.times_redeemed + 1;
  const spent = code.max_redemptions !== null && times >= code.max_redemptions;
  return context.tx.put<Stripe.PromotionCode>({
    ...code,
    times_redeemed: times,
    active: spent ? false : code.active,
  });
}

function requireCode(context: StripeContext, id: string): Stripe.PromotionCode {
  const found = context.tx.get<Stripe.PromotionCode>('promotion_code', id);
  if (found === undefined) fail({ kind: 'resource_missing', objectName: 'promotion_code', id });
  return found;
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const couponId = params.promotion?.coupon ?? params.coupon;
  if (couponId === undefined) fail({ kind: 'parameter_missing', param: 'promotion[coupon]' });
  const coupon = requireCoupon(
    context,
    couponId,
    params.coupon === undefined ? 'promotion[coupon]' : 'coupon',
  );
  if (params.customer !== undefined) requireCustomer(context, params.customer, 'customer');
  const code = params.code ?? context.ids.custom('', 8).toUpperCase();
  const taken = context.tx
    .where<Stripe.PromotionCode>('promotion_code', lowerCaseCode, code.toLowerCase())
    .some((existing) => existing.active && existing.code.toLowerCase() === code.toLowerCase());
  if (taken) {
    fail({
      kind: 'invalid_request',
      param: 'code',
      message: 'An active promotion code with `code` already exists.',
    });
  }
  const promotion: Stripe.PromotionCode = {
    id: context.ids.stripe('promo_'),
    object: 'promotion_code',
    active: params.active ?? true,
    code,
    created: context.nowSeconds,
    customer: params.customer ?? null,
    customer_account: null,
    expires_at: params.expires_at ?? null,
    livemode: false,
    max_redemptions: params.max_redemptions ?? null,
    metadata: mergeMetadata({}, params.metadata),
    promotion: { coupon: coupon.id, type: 'coupon' },
    restrictions: {
      first_time_transaction: params.restrictions?.first_time_transaction ?? false,
      minimum_amount: params.restrictions?.minimum_amount ?? null,
      minimum_amount_currency: params.restrictions?.minimum_amount_currency ?? null,
    },
    times_redeemed: 0,
  };
  context.tx.put(promotion);
  context.emit('promotion_code.created', promotion);
  return promotion;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireCode(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireCode(context, path.id!);
  const updated: Stripe.PromotionCode = {
    ...existing,
    active: params.active ?? existing.active,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
  };
  context.tx.put(updated);
  context.emit('promotion_code.updated', updated, changedAttributes(existing, updated));
  return updated;
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (code: Stripe.PromotionCode) =>
    (params.active === undefined || code.active === params.active) &&
    (params.code === undefined || code.code === params.code) &&
    (params.coupon === undefined || code.promotion.coupon === params.coupon) &&
    (params.customer === undefined || code.customer === params.customer);
  return listPage(context.tx, params, 'promotion_code', [], matches, '/v1/promotion_codes');
};

export const promotionCodesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/promotion_codes', handler: create },
  { method: 'GET', pattern: '/v1/promotion_codes', handler: list },
  { method: 'GET', pattern: '/v1/promotion_codes/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/promotion_codes/:id', handler: update },
];
