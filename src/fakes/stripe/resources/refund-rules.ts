import type Stripe from 'stripe';
import { fail } from '../errors.ts';
import { formatAmount } from './payment-amounts.ts';

/** How much a refund of `charge` takes (all that is left unless `amount` is given), or Stripe's refusal. */
export function requireRefundable(charge: Stripe.Charge, amount: number | undefined): number {
  if (charge.disputed) {
    fail({
      kind: 'invalid_request',
      code: 'charge_disputed',
      param: 'charge',
      message: `Charge ${charge.id} has been charged back; cannot issue a refund.`,
    });
  }
  if (!charge.captured || charge.status !== 'succeeded') {
    fail({
      kind: 'invalid_request',
      param: 'charge',
      message: `Charge ${charge.id} has not been captured or did not succeed, so it cannot be refunded.`,
    });
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0) {
    fail({
      kind: 'invalid_request',
      code: 'charge_already_refunded',
      message: `Charge ${charge.id} has already been refunded.`,
    });
  }
  const wanted = amount ?? remaining;
  if (wanted > remaining) {
    const what = charge.amount_refunded === 0 ? 'charge amount' : 'unrefunded amount on charge';
    fail({
      kind: 'invalid_request',
      code: 'amount_too_large',
      param: 'amount',
      message: `Refund amount (${formatAmount(wanted, charge.currency)}) is greater than ${what} (${formatAmount(remaining, charge.currency)})`,
    });
  }
  return wanted;
}
