import type Stripe from 'stripe';
import type { Route } from '../../common/router.ts';
import { detachDiscount, redeem } from '../billing/discounts.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { expandOnly, parseParams } from '../params.ts';
import { requireCustomer } from './customer-lookup.ts';

/** The legacy discount params of customers (API versions before clover, as the CLI sends them). */
export interface CustomerDiscountParams {
  readonly coupon?: string | undefined;
  readonly promotion_code?: string | undefined;
}

/**
 * Gives a customer the discount its `coupon` or `promotion_code` param asks for (`""` removes
 * it). Returns the customer, and the discount event to emit once the customer's own event is out.
 */
export function applyCustomerDiscount(
  context: StripeContext,
  customer: Stripe.Customer,
  params: CustomerDiscountParams,
): { readonly customer: Stripe.Customer; readonly emit: () => void } {
  const { coupon, promotion_code: promotionCode } = params;
  const none = { customer, emit: () => undefined };
  if (coupon === undefined && promotionCode === undefined) return none;
  const previous = customer.discount ?? null;
  if (coupon === '' || promotionCode === '') {
    if (previous === null) return none;
    const updated = context.tx.put<Stripe.Customer>({ ...customer, discount: null });
    return { customer: updated, emit: () => context.emit('customer.discount.deleted', previous) };
  }
  const discount = redeem(
    context,
    { coupon, promotionCode },
    { customer: customer.id },
    coupon === undefined ? 'promotion_code' : 'coupon',
  );
  const updated = context.tx.put<Stripe.Customer>({ ...customer, discount });
  const emit =
    previous === null
      ? () => context.emit('customer.discount.created', discount)
      : () => context.emit('customer.discount.updated', discount, { source: previous.source });
  return { customer: updated, emit };
}

const removeFromCustomer: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const customer = requireCustomer(context, path.id!);
  const discount = customer.discount ?? null;
  if (discount === null) {
    fail({
      kind: 'resource_missing',
      objectName: 'discount',
      id: `${customer.id}'s discount`,
      param: 'discount',
    });
  }
  detachDiscount(context, discount);
  return { ...discount, deleted: true };
};

const removeFromSubscription: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const subscription = context.tx.get<Stripe.Subscription>('subscription', path.id!);
  if (subscription === undefined)
    fail({ kind: 'resource_missing', objectName: 'subscription', id: path.id! });
  const first = subscription.discounts[0];
  const id = first === undefined ? undefined : typeof first === 'string' ? first : first.id;
  const discount = id === undefined ? undefined : context.tx.get<Stripe.Discount>('discount', id);
  if (discount === undefined) {
    fail({
      kind: 'resource_missing',
      objectName: 'discount',
      id: `${subscription.id}'s discount`,
      param: 'discount',
    });
  }
  detachDiscount(context, discount);
  return { ...discount, deleted: true };
};

export const customerDiscountsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'DELETE', pattern: '/v1/customers/:id/discount', handler: removeFromCustomer },
  { method: 'DELETE', pattern: '/v1/subscriptions/:id/discount', handler: removeFromSubscription },
];
