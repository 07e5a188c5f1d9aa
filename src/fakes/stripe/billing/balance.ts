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
 * How a starting balance meets an invoice total: a credit (negative) covers up to the total, a
 * debit (positive) is added in full. Returns what is added to the amount due.
 */
export function balanceApplied(startingBalance: number, total: number): number {
  if (startingBalance < 0) return Math.max(startingBalance, -Math.max(0, total));
  return startingBalance;
}
