import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import type { StripeObject } from '../store.ts';

// The cash balance's own book, apart from the routes and the payments it funds, so the
// PaymentIntent flow can apply a balance without importing the cash-balance resource.

/** A customer's cash balance: money received by bank transfer, not yet applied to payments. */
export interface CashBalanceRecord extends StripeObject {
  readonly object: 'fakepsp.cash_balance';
  readonly customer: string;
  readonly available: Readonly<Record<string, number>>;
  readonly reconciliation: 'automatic' | 'manual';
}

const recordId = (customer: string) => `${customer}:cash_balance`;

export function recordOf(context: StripeContext, customer: string): CashBalanceRecord {
  return (
    context.tx.get<CashBalanceRecord>('fakepsp.cash_balance', recordId(customer)) ?? {
      id: recordId(customer),
      object: 'fakepsp.cash_balance',
      customer,
      available: {},
      reconciliation: 'automatic',
    }
  );
}

/** Books one cash balance transaction and the balance it leaves. */
export function record(
  context: StripeContext,
  balance: CashBalanceRecord,
  entry: {
    currency: string;
    net: number;
    type: Stripe.CustomerCashBalanceTransaction.Type;
    extra: Partial<Stripe.CustomerCashBalanceTransaction>;
  },
): { balance: CashBalanceRecord; transaction: Stripe.CustomerCashBalanceTransaction } {
  const ending = (balance.available[entry.currency] ?? 0) + entry.net;
  const updated = context.tx.put<CashBalanceRecord>({
    ...balance,
    available: { ...balance.available, [entry.currency]: ending },
  });
  const transaction: Stripe.CustomerCashBalanceTransaction = {
    id: context.ids.stripe('ccsbtxn_'),
    object: 'customer_cash_balance_transaction',
    created: context.nowFor(balance.customer),
    currency: entry.currency,
    customer: balance.customer,
    customer_account: null,
    ending_balance: ending,
    livemode: false,
    net_amount: entry.net,
    type: entry.type,
    ...entry.extra,
  };
  context.tx.put(transaction);
  context.emit('customer_cash_balance_transaction.created', transaction);
  return { balance: updated, transaction };
}
