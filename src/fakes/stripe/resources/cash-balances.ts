import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import { expand, expandOnly, int, listOnly, oneOf, parseParams, text } from '../params.ts';
import { requireCustomer } from './customer-lookup.ts';
import { applyCashBalance } from './payment-intent-async.ts';
import { record, recordOf, type CashBalanceRecord } from './cash-balance-ledger.ts';
import { requireCurrency } from './payment-amounts.ts';

function render(record: CashBalanceRecord): Stripe.CashBalance {
  return {
    object: 'cash_balance',
    available: { ...record.available },
    customer: record.customer,
    customer_account: null,
    livemode: false,
    settings: {
      reconciliation_mode: record.reconciliation,
      using_merchant_default: record.reconciliation === 'automatic',
    },
  };
}

const fundSchema = z.strictObject({
  amount: int({ min: 1 }),
  currency: text(),
  reference: text().optional(),
  expand,
});

/** `POST /v1/test_helpers/customers/:id/fund_cash_balance`: a bank transfer arrives. */
const fund: StripeHandler = (context, path) => {
  const params = parseParams(fundSchema, context.params);
  const customer = requireCustomer(context, path.id!);
  const currency = requireCurrency(params.currency);
  const funded = record(context, recordOf(context, customer.id), {
    currency,
    net: params.amount,
    type: 'funded',
    extra: {
      funded: {
        bank_transfer: {
          reference: params.reference ?? null,
          type: currency === 'jpy' ? 'jp_bank_transfer' : 'us_bank_transfer',
        },
      } as Stripe.CustomerCashBalanceTransaction.Funded,
    },
  });
  context.emit('cash_balance.funds_available', render(funded.balance));
  applyCashBalance(context, customer.id);
  return funded.transaction;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return render(recordOf(context, requireCustomer(context, path.id!).id));
};

const updateParams = z.strictObject({
  settings: z
    .strictObject({
      reconciliation_mode: oneOf('reconciliation_mode', [
        'automatic',
        'manual',
        'merchant_default',
      ]).optional(),
    })
    .optional(),
  expand,
});

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateParams, context.params);
  const customer = requireCustomer(context, path.id!);
  const mode = params.settings?.reconciliation_mode;
  const updated = context.tx.put<CashBalanceRecord>({
    ...recordOf(context, customer.id),
    ...(mode === undefined ? {} : { reconciliation: mode === 'manual' ? 'manual' : 'automatic' }),
  });
  return render(updated);
};

const list: StripeHandler = (context, path) => {
  const params = parseParams(listOnly, context.params);
  const customer = requireCustomer(context, path.id!);
  const transactions = context.tx.where<Stripe.CustomerCashBalanceTransaction>(
    'customer_cash_balance_transaction',
    'customer',
    customer.id,
  );
  return paginate(params, transactions, `/v1/customers/${customer.id}/cash_balance_transactions`);
};

const retrieveTransaction: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const found = context.tx.get<Stripe.CustomerCashBalanceTransaction>(
    'customer_cash_balance_transaction',
    path.id!,
  );
  if (found === undefined || found.customer !== path.customer) {
    fail({ kind: 'resource_missing', objectName: 'customer_cash_balance_transaction', id: path.id! });
  }
  return found;
};

export const cashBalancesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/test_helpers/customers/:id/fund_cash_balance', handler: fund },
  { method: 'GET', pattern: '/v1/customers/:id/cash_balance', handler: retrieve },
  { method: 'POST', pattern: '/v1/customers/:id/cash_balance', handler: update },
  { method: 'GET', pattern: '/v1/customers/:id/cash_balance_transactions', handler: list },
  {
    method: 'GET',
    pattern: '/v1/customers/:customer/cash_balance_transactions/:id',
    handler: retrieveTransaction,
  },
];
