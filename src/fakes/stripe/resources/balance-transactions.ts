import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import { balanceNow } from './balance-funds.ts';
import { expandOnly, listParams, parseParams, text } from '../params.ts';

/** Card funds settle two days after the charge in test mode; reversals apply at once. */
const settleSeconds = 2 * 86_400;

/**
 * Stripe's standard card pricing, 2.9% + 30 minor units, rounded half up to an integer.
 * The same rule is applied to every currency.
 */
export function stripeCardFee(amount: number): number {
  return Math.floor((amount * 29 + 500) / 1000) + 30;
}

/** What a new balance transaction records. */
export interface BalanceEntry {
  readonly amount: number;
  readonly currency: string;
  readonly type: Stripe.BalanceTransaction.Type;
  readonly source: string;
  readonly reportingCategory: string;
  readonly description?: string | null;
  readonly fees?: readonly Stripe.BalanceTransaction.FeeDetail[];
  /** Settles after the card delay (charges) rather than at once. */
  readonly settles?: boolean;
  /** The account whose balance moves; the request's own account by default. */
  readonly scope?: string;
  readonly created?: number;
}

/** Records a movement of an account's balance, and returns its `txn_…`. */
export function recordBalanceTransaction(
  context: StripeContext,
  entry: BalanceEntry,
): Stripe.BalanceTransaction {
  const created = entry.created ?? context.nowSeconds;
  const fee = (entry.fees ?? []).reduce((sum, detail) => sum + detail.amount, 0);
  const transaction: Stripe.BalanceTransaction = {
    id: context.ids.stripe('txn_'),
    object: 'balance_transaction',
    amount: entry.amount,
    available_on: created + (entry.settles === true ? settleSeconds : 0),
    balance_type: 'payments',
    created,
    currency: entry.currency,
    description: entry.description ?? null,
    exchange_rate: null,
    fee,
    fee_details: [...(entry.fees ?? [])],
    net: entry.amount - fee,
    reporting_category: entry.reportingCategory,
    source: entry.source,
    status: entry.settles === true ? 'pending' : 'available',
    type: entry.type,
  };
  return context.tx.put(transaction, entry.scope);
}

/** A fee line of a balance transaction. */
export function feeDetail(
  amount: number,
  currency: string,
  type: 'stripe_fee' | 'application_fee',
  description: string,
): Stripe.BalanceTransaction.FeeDetail {
  return { amount, application: null, currency, description, type };
}

/** A balance transaction as seen now: `pending` until its `available_on` has passed. */
function asOf(transaction: Stripe.BalanceTransaction, nowSeconds: number): Stripe.BalanceTransaction {
  const status = transaction.available_on <= nowSeconds ? 'available' : 'pending';
  return status === transaction.status ? transaction : { ...transaction, status };
}

const listSchema = z.strictObject({
  ...listParams,
  type: text().optional(),
  source: text().optional(),
  currency: text().optional(),
  payout: text().optional(),
});

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  if (params.payout !== undefined) refuseManualPayout(context, params.payout);
  const matches = (transaction: Stripe.BalanceTransaction) =>
    (params.type === undefined || transaction.type === params.type) &&
    (params.source === undefined || transaction.source === params.source) &&
    (params.currency === undefined || transaction.currency === params.currency);
  const url = '/v1/balance_transactions';
  const page = listPage(context.tx, params, 'balance_transaction', [], matches, url);
  // As of now (pending or available), once the page is chosen: the change keeps every id.
  return { ...page, data: page.data.map((transaction) => asOf(transaction, context.nowSeconds)) };
};

/**
 * `payout` lists what an automatic payout paid out. The fake's payouts are all manual, which no
 * transaction is tied to (any of them may have funded one): Stripe refuses the filter for them.
 */
function refuseManualPayout(context: StripeContext, id: string): void {
  const payout = context.tx.get<Stripe.Payout>('payout', id);
  if (payout === undefined) fail({ kind: 'resource_missing', objectName: 'payout', id, param: 'payout' });
  if (!payout.automatic)
    fail({
      kind: 'invalid_request',
      message: 'Balance transaction history can only be filtered on automatic transfers, not manual.',
      param: 'payout',
    });
}

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const found = context.tx.get<Stripe.BalanceTransaction>('balance_transaction', path.id!);
  if (found === undefined)
    fail({ kind: 'resource_missing', objectName: 'balance transaction', id: path.id! });
  return asOf(found, context.nowSeconds);
};

const balance: StripeHandler = (context) => {
  parseParams(expandOnly, context.params);
  const now = balanceNow(context);
  if (now.available.length > 0) return now;
  // An account that never moved money shows a zero balance in its default currency.
  const zero = [{ amount: 0, currency: 'usd', source_types: { card: 0 } }];
  return { ...now, available: zero, connect_reserved: [{ amount: 0, currency: 'usd' }], pending: zero };
};

export const balanceTransactionsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'GET', pattern: '/v1/balance_transactions', handler: list },
  { method: 'GET', pattern: '/v1/balance_transactions/:id', handler: retrieve },
  { method: 'GET', pattern: '/v1/balance', handler: balance },
];
