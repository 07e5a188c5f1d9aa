import type Stripe from 'stripe';
import * as z from 'zod';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { text } from '../params.ts';
import { couponValid, findCoupon, redeemCoupon, requireCoupon } from '../resources/coupons.ts';
import { redeemPromotionCode, requirePromotionCode } from '../resources/promotion-codes.ts';
import { isDeleted } from '../store.ts';
import { addIntervals } from './calendar.ts';
import { scheduleAt } from './clocks.ts';

/** One entry of a `discounts` param: a coupon, a promotion code, or an existing discount. */
export const discountParam = z.strictObject({
  coupon: text().optional(),
  discount: text().optional(),
  promotion_code: text().optional(),
});

/** The `discounts` param of invoices, subscriptions and items: a list, or `""` to clear it. */
export const discountsParam = z.union([z.literal(''), z.array(discountParam).max(20)]);

/** Where a new discount belongs. */
export interface DiscountOwner {
  readonly customer: string | null;
  readonly subscription?: string | null;
  readonly invoice?: string | null;
  readonly invoiceItem?: string | null;
}

/** Loads a discount (ended ones too), or fails naming `param`. */
export function requireDiscount(context: StripeContext, id: string, param: string): Stripe.Discount {
  const found = context.tx.get<Stripe.Discount>('discount', id);
  if (found === undefined) fail({ kind: 'resource_missing', objectName: 'discount', id, param });
  return found;
}

/**
 * Redeems a coupon (directly or through a promotion code) into a new discount: the coupon's
 * `times_redeemed` grows, and a `repeating` coupon's discount ends after its months.
 */
export function redeem(
  context: StripeContext,
  source: { readonly coupon?: string | undefined; readonly promotionCode?: string | undefined },
  owner: DiscountOwner,
  param: string,
): Stripe.Discount {
  const promotion =
    source.promotionCode === undefined
      ? undefined
      : requirePromotionCode(context, source.promotionCode, param);
  const couponId = promotion === undefined ? source.coupon! : couponOfPromotion(promotion);
  const coupon = requireCoupon(context, couponId, param);
  const start = context.nowFor(owner.customer);
  if (!couponValid(coupon, start)) {
    fail({ kind: 'invalid_request', param, message: `Coupon ${coupon.id} is no longer valid.` });
  }
  redeemCoupon(context, coupon);
  if (promotion !== undefined) redeemPromotionCode(context, promotion);
  const discount: Stripe.Discount = {
    id: context.ids.stripe('di_'),
    object: 'discount',
    checkout_session: null,
    customer: owner.customer,
    customer_account: null,
    end:
      coupon.duration === 'repeating' && coupon.duration_in_months !== null
        ? addIntervals(start, 'month', coupon.duration_in_months)
        : null,
    invoice: owner.invoice ?? null,
    invoice_item: owner.invoiceItem ?? null,
    promotion_code: promotion?.id ?? null,
    source: { coupon: coupon.id, type: 'coupon' },
    start,
    subscription: owner.subscription ?? null,
    subscription_item: null,
  };
  context.tx.put(discount);
  if (discount.end !== null && owner.customer !== null) {
    // A repeating coupon's months are over: the discount leaves its customer or subscription.
    scheduleAt(context, {
      customer: owner.customer,
      atSeconds: discount.end,
      label: `discount ${discount.id} ends`,
      run: (job) => detachDiscount(job, job.tx.get<Stripe.Discount>('discount', discount.id)!),
    });
  }
  return discount;
}

function couponOfPromotion(promotion: Stripe.PromotionCode): string {
  const coupon = promotion.promotion.coupon;
  return typeof coupon === 'string' ? coupon : coupon!.id;
}

/** Turns a `discounts` param into discount ids, redeeming coupons and promotion codes named in it. */
export function resolveDiscounts(
  context: StripeContext,
  entries: z.infer<typeof discountsParam>,
  owner: DiscountOwner,
  param = 'discounts',
): string[] {
  if (entries === '') return [];
  return entries.map((entry, index) => {
    const named = `${param}[${index}]`;
    const given = [entry.coupon, entry.discount, entry.promotion_code].filter((value) => value !== undefined);
    if (given.length !== 1) {
      fail({
        kind: 'invalid_request',
        param: named,
        message: 'You must specify exactly one of coupon, discount, or promotion_code.',
      });
    }
    if (entry.discount !== undefined)
      return requireDiscount(context, entry.discount, `${named}[discount]`).id;
    const field = entry.coupon === undefined ? 'promotion_code' : 'coupon';
    return redeem(
      context,
      { coupon: entry.coupon, promotionCode: entry.promotion_code },
      owner,
      `${named}[${field}]`,
    ).id;
  });
}

/** Whether a discount still applies at `atSeconds` (a repeating coupon's months not yet over). */
export function discountActive(discount: Stripe.Discount, atSeconds: number): boolean {
  return !isDeleted(discount) && (discount.end === null || discount.end > atSeconds);
}

/**
 * The discounts a new invoice starts with: its subscription's, else the customer's, as long as
 * they are still active.
 */
export function invoiceDiscountIds(
  context: StripeContext,
  customer: Stripe.Customer,
  subscription: Stripe.Subscription | null,
): string[] {
  const now = context.nowFor(customer.id);
  const own = (subscription?.discounts ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.id));
  const candidates = own.length > 0 ? own : customer.discount ? [customer.discount.id] : [];
  return candidates.filter((id) => {
    const discount = context.tx.get<Stripe.Discount>('discount', id);
    return discount !== undefined && discountActive(discount, now);
  });
}

function idsOf(entries: ReadonlyArray<string | { readonly id: string }> | null | undefined): string[] {
  return (entries ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.id));
}

/** The coupon behind a discount (kept even after the coupon is deleted). */
export function couponOf(context: StripeContext, discount: Stripe.Discount): Stripe.Coupon | undefined {
  const coupon = discount.source.coupon;
  return coupon === null ? undefined : findCoupon(context, typeof coupon === 'string' ? coupon : coupon.id);
}

function appliesTo(coupon: Stripe.Coupon, line: Stripe.InvoiceLineItem): boolean {
  const products = coupon.applies_to?.products;
  if (products === undefined || products.length === 0) return true;
  const product = line.pricing?.price_details?.product;
  return product !== undefined && products.includes(product);
}

/**
 * Computes every line's `discount_amounts` from scratch: the invoice's discounts apply to all
 * discountable lines, a line's own discounts to it alone. A percentage is taken of what is
 * left of each line; a fixed amount is spread over the lines in proportion, never below zero.
 */
export function discountLines(
  context: StripeContext,
  invoice: Stripe.Invoice,
  lines: readonly Stripe.InvoiceLineItem[],
): Stripe.InvoiceLineItem[] {
  const invoiceLevel = idsOf(invoice.discounts);
  const left = lines.map((line) => line.amount);
  const amounts: Stripe.InvoiceLineItem.DiscountAmount[][] = lines.map(() => []);
  const ownIds = lines.map((line) => idsOf(line.discounts));
  const all = [...new Set([...invoiceLevel, ...ownIds.flat()])];
  for (const id of all) {
    const discount = context.tx.get<Stripe.Discount>('discount', id);
    const coupon = discount === undefined ? undefined : couponOf(context, discount);
    if (coupon === undefined) continue;
    const eligible = lines
      .map((line, index) => index)
      .filter((index) => {
        const line = lines[index]!;
        const named = invoiceLevel.includes(id) ? line.discountable : ownIds[index]!.includes(id);
        return named && left[index]! > 0 && appliesTo(coupon, line);
      });
    const shares = shareOf(
      coupon,
      invoice.currency,
      eligible.map((index) => left[index]!),
    );
    eligible.forEach((index, position) => {
      const amount = shares[position]!;
      left[index]! -= amount;
      amounts[index]!.push({ amount, discount: id });
    });
  }
  return lines.map((line, index) => ({ ...line, discount_amounts: amounts[index]! }));
}

function shareOf(coupon: Stripe.Coupon, currency: string, bases: readonly number[]): number[] {
  if (coupon.percent_off !== null) return bases.map((base) => Math.round((base * coupon.percent_off!) / 100));
  const total = bases.reduce((sum, base) => sum + base, 0);
  const off = coupon.currency === currency ? Math.min(coupon.amount_off ?? 0, total) : 0;
  let given = 0;
  return bases.map((base, index) => {
    const share = index === bases.length - 1 ? off - given : Math.floor((off * base) / total);
    given += share;
    return share;
  });
}

/** What a line's discounts take off it. */
export function lineDiscount(line: Stripe.InvoiceLineItem): number {
  return (line.discount_amounts ?? []).reduce((sum, entry) => sum + entry.amount, 0);
}

/**
 * After an invoice is finalized: a `once` coupon has been used, so its discount ends and leaves
 * the customer (`customer.discount.deleted`) or the subscription.
 */
export function endOnceDiscounts(context: StripeContext, invoice: Stripe.Invoice): void {
  const used = new Set(
    invoice.lines.data.flatMap((line) => (line.discount_amounts ?? []).map((d) => idsOf([d.discount])[0]!)),
  );
  for (const id of used) {
    const discount = context.tx.get<Stripe.Discount>('discount', id);
    if (discount === undefined || discount.invoice !== null || discount.invoice_item !== null) continue;
    if (couponOf(context, discount)?.duration !== 'once') continue;
    const ended = context.tx.put<Stripe.Discount>({
      ...discount,
      end: context.nowFor(invoice.customer as string),
    });
    detachDiscount(context, ended);
  }
}

/** Takes an ended or removed discount off its customer or subscription, with their events. */
export function detachDiscount(context: StripeContext, discount: Stripe.Discount): void {
  const customerId = idsOf(discount.customer === null ? [] : [discount.customer as string])[0];
  if (discount.subscription !== null) {
    const subscription = context.tx.get<Stripe.Subscription>('subscription', discount.subscription);
    if (subscription === undefined) return;
    const remaining = idsOf(subscription.discounts).filter((id) => id !== discount.id);
    if (remaining.length === idsOf(subscription.discounts).length) return;
    const updated = context.tx.put<Stripe.Subscription>({ ...subscription, discounts: remaining });
    context.emit('customer.subscription.updated', updated, { discounts: subscription.discounts });
    return;
  }
  const customer =
    customerId === undefined ? undefined : context.tx.get<Stripe.Customer>('customer', customerId);
  if (customer?.discount?.id !== discount.id) return;
  context.tx.put<Stripe.Customer>({ ...customer, discount: null });
  context.emit('customer.discount.deleted', discount);
}
