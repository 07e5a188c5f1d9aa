import { strict as assert } from 'node:assert';
import type { RazorpayStore } from './store.ts';

/**
 * Razorpay's money rules, checked before a unit of work commits, for every payment and order it
 * touched: a payment never gives back more than it took, an order is never paid beyond its
 * amount, and its `amount_due` is what is left. A handler that broke one answers 500 and leaves
 * nothing behind.
 */
export function checkMoneyRules(store: RazorpayStore): void {
  for (const { payment } of store.payments.written()) {
    assert(
      payment.amount_refunded >= 0 && payment.amount_refunded <= payment.amount,
      `payment ${payment.id}: refunded ${payment.amount_refunded} of ${payment.amount}`,
    );
  }
  for (const { order } of store.orders.written()) {
    assert(
      order.amount_paid >= 0 && order.amount_paid <= order.amount,
      `order ${order.id}: paid ${order.amount_paid} of ${order.amount}`,
    );
    assert(
      order.amount_due === order.amount - order.amount_paid,
      `order ${order.id}: due ${order.amount_due}, though ${order.amount - order.amount_paid} is left`,
    );
  }
}
