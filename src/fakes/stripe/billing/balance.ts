import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { changedAttributes } from '../changed-attributes.ts';

/** One movement of a customer's invoice balance (negative = credit for the customer). */
export interface BalanceMovement {
  readonly amount: number;
  readonly currency: string;
  readonly type: Stripe.CustomerBalanceTransaction.Type;
  readonly description: string | null;
  readonly invoice: string | null;
  readonly metadata: Record<string, string>;
}

/**
 * Records a customer balance transaction and moves `customer.balance` by its amount; a
 * customer without a currency takes the transaction's. Returns both new objects.
 */
export function moveBalance(
  context: StripeContext,
  customer: Stripe.Customer,
  movement: BalanceMovement,
): { readonly customer: Stripe.Customer; readonly transaction: Stripe.CustomerBalanceTransaction } {
  const endingBalance = customer.balance + movement.amount;
  const transaction: Stripe.CustomerBalanceTransaction = {
    id: context.ids.stripe('cbtxn_'),
    object: 'customer_balance_transaction',
    amount: movement.amount,
    checkout_session: null,
    created: context.nowFor(customer.id),
    credit_note: null,
    currency: movement.currency,
    customer: customer.id,
    customer_account: null,
    description: movement.description,
    ending_balance: endingBalance,
    invoice: movement.invoice,
    livemode: false,
    metadata: movement.metadata,
    type: movement.type,
  };
  const updated: Stripe.Customer = {
    ...customer,
    balance: endingBalance,
    currency: customer.currency ?? movement.currency,
  };
  context.tx.put(transaction);
  context.tx.put(updated);
  context.emit('customer.updated', updated, changedAttributes(customer, updated));
  return { customer: updated, transaction };
}

/**
 * How a starting balance meets an invoice total: what is added to the total to make the amount
 * due. A credit (negative) covers up to the total, a debit (positive) is added in full, and a
 * negative total (a downgrade's prorations, say) goes to the customer's credit: the amount due is
 * `max(0, balance + total)` and the balance ends at `min(0, balance + total)`.
 */
export function balanceApplied(startingBalance: number, total: number): number {
  return Math.max(0, startingBalance + total) - total;
}
