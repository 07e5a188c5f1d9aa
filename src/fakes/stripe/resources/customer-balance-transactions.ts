import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { moveBalance } from '../billing/balance.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import {
  expand,
  expandOnly,
  int,
  listParams,
  mergeMetadata,
  metadata,
  parseParams,
  text,
} from '../params.ts';
import { requireCustomer } from './customer-lookup.ts';

const createSchema = z.strictObject({
  amount: int(),
  currency: z.string().regex(/^[a-zA-Z]{3}$/, { error: 'Invalid currency: must be a three-letter ISO code' }),
  description: text().max(350).optional(),
  metadata: metadata.optional(),
  expand,
});
const updateSchema = z.strictObject({
  description: text().max(350).optional(),
  metadata: metadata.optional(),
  expand,
});
const listSchema = z.strictObject({ ...listParams, invoice: text().optional() });

function requireTransaction(
  context: StripeContext,
  customer: string,
  id: string,
): Stripe.CustomerBalanceTransaction {
  const transaction = context.tx.get<Stripe.CustomerBalanceTransaction>('customer_balance_transaction', id);
  if (transaction === undefined || transaction.customer !== customer) {
    fail({ kind: 'resource_missing', objectName: 'customer_balance_transaction', id });
  }
  return transaction;
}

/** An `adjustment`: moves the customer's balance (negative = credit) by `amount`. */
const create: StripeHandler = (context, path) => {
  const params = parseParams(createSchema, context.params);
  const customer = requireCustomer(context, path.customer!, 'customer');
  const currency = params.currency.toLowerCase();
  if (customer.currency !== null && customer.currency !== undefined && customer.currency !== currency) {
    fail({
      kind: 'invalid_request',
      param: 'currency',
      message: `The currency ${currency} does not match the customer's currency ${customer.currency}.`,
    });
  }
  if (params.amount === 0) {
    fail({ kind: 'invalid_request', param: 'amount', message: 'The amount must be a non-zero integer.' });
  }
  return moveBalance(context, customer, {
    amount: params.amount,
    currency,
    type: 'adjustment',
    description: params.description ?? null,
    invoice: null,
    metadata: mergeMetadata({}, params.metadata),
  }).transaction;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  requireCustomer(context, path.customer!, 'customer');
  return requireTransaction(context, path.customer!, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  requireCustomer(context, path.customer!, 'customer');
  const existing = requireTransaction(context, path.customer!, path.id!);
  const updated: Stripe.CustomerBalanceTransaction = {
    ...existing,
    description: params.description ?? existing.description,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
  };
  return context.tx.put(updated);
};

const list: StripeHandler = (context, path) => {
  const params = parseParams(listSchema, context.params);
  requireCustomer(context, path.customer!, 'customer');
  const transactions = context.tx
    .where<Stripe.CustomerBalanceTransaction>('customer_balance_transaction', 'customer', path.customer!)
    .filter((transaction) => transaction.customer === path.customer)
    .filter((transaction) => params.invoice === undefined || transaction.invoice === params.invoice);
  return paginate(params, transactions, `/v1/customers/${path.customer}/balance_transactions`);
};

export const customerBalanceTransactionsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/customers/:customer/balance_transactions', handler: create },
  { method: 'GET', pattern: '/v1/customers/:customer/balance_transactions', handler: list },
  { method: 'GET', pattern: '/v1/customers/:customer/balance_transactions/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/customers/:customer/balance_transactions/:id', handler: update },
];
