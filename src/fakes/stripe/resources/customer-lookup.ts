import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { isDeleted } from '../store.ts';

/** Loads a customer of the current account or fails with Stripe's 404. Kept apart from the
 * customers resource so the many resources that look a customer up do not import its routes. */
export function requireCustomer(context: StripeContext, id: string, param = 'id'): Stripe.Customer {
  const customer = context.tx.get<Stripe.Customer>('customer', id);
  if (customer === undefined || isDeleted(customer)) {
    fail({ kind: 'resource_missing', objectName: 'customer', id, param });
  }
  return customer;
}
