import { strict as assert } from 'node:assert';
import type Stripe from 'stripe';
import type { Transaction } from './transaction.ts';

/**
 * Stripe's money rules, checked before a unit of work commits, for every charge and
 * PaymentIntent it wrote: nothing captured, refunded or received beyond the amount, nothing
 * below zero. A handler that broke one answers 500 (`api_error`) and leaves nothing behind.
 */
export function checkMoneyRules(tx: Transaction): void {
  // The messages are built only for a broken rule: this runs on every payment request.
  for (const charge of tx.written<Stripe.Charge>('charge')) {
    const { amount, amount_captured: captured, amount_refunded: refunded } = charge;
    if (!(captured >= 0 && captured <= amount))
      assert.fail(`charge ${charge.id}: captured ${captured} of ${amount}`);
    if (!(refunded >= 0 && refunded <= amount))
      assert.fail(`charge ${charge.id}: refunded ${refunded} of ${amount}`);
  }
  for (const intent of tx.written<Stripe.PaymentIntent>('payment_intent')) {
    const { amount, amount_received: received } = intent;
    if (!(received >= 0 && received <= amount))
      assert.fail(`payment intent ${intent.id}: received ${received} of ${amount}`);
  }
}
