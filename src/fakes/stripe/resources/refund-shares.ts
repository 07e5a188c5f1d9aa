import type Stripe from 'stripe';
import { proportionalShare } from '../../../sim/money.ts';

/**
 * What a refund of `refunded` takes back of an amount that followed the charge (its transfer, its
 * application fee), as Stripe does with `reverse_transfer` and `refund_application_fee`: a share in
 * proportion to the charge refunded. fakepsp rounds the share half up; the refund that empties the
 * charge takes back all that is `left`, so the shares add up to the whole.
 */
export function refundShare(whole: number, left: number, charge: Stripe.Charge, refunded: number): number {
  if (charge.amount_refunded + refunded >= charge.amount) return left;
  return Math.min(left, proportionalShare(whole, refunded, charge.amount));
}
