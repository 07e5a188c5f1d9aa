import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import { expand, int, listParams, oneOf, parseParams, text } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { requireCustomer } from './customers.ts';
import { customerBalanceCharge, succeed, transferInstructions } from './payment-intent-async.ts';
import { requireCurrency } from './payment-amounts.ts';

/** A customer's cash balance: money received by bank transfer, not yet applied to payments. */
interface CashBalanceRecord extends StripeObject {
  readonly object: 'fakepsp.cash_balance';
  readonly customer: string;
  readonly available: Readonly<Record<string, number>>;
  readonly reconciliation: 'automatic' | 'manual';
}

const recordId = (customer: string) => `${customer}:cash_balance`;

function recordOf(context: StripeContext, customer: string): CashBalanceRecord {
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

function record(
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

/**
 * With automatic reconciliation, cash goes to the customer's PaymentIntents waiting for a bank
 * transfer, oldest first: a fully funded one succeeds, a partly funded one says so
 * (`payment_intent.partially_funded`) and shows what is still missing.
 */
export function applyCashBalance(context: StripeContext, customer: string): void {
  let balance = recordOf(context, customer);
  if (balance.reconciliation !== 'automatic') return;
  const waiting = context.tx
    .values<Stripe.PaymentIntent>('payment_intent')
    .filter((intent) => intent.customer === customer && intent.status === 'requires_action')
    .filter((intent) => intent.next_action?.type === 'display_bank_transfer_instructions');
  for (const intent of waiting) {
    const available = balance.available[intent.currency] ?? 0;
    const missing = intent.next_action!.display_bank_transfer_instructions!.amount_remaining ?? intent.amount;
    const applied = Math.min(available, missing);
    if (applied <= 0) continue;
    balance = record(context, balance, {
      currency: intent.currency,
      net: -applied,
      type: 'applied_to_payment',
      extra: { applied_to_payment: { payment_intent: intent.id } },
    }).balance;
    if (applied === missing) {
      succeed(context, intent, customerBalanceCharge(context, intent), 0);
      continue;
    }
    const partial: Stripe.PaymentIntent = {
      ...intent,
      next_action: transferInstructions(intent, missing - applied),
    };
    context.tx.put(partial);
    context.emit('payment_intent.partially_funded', partial);
  }
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
  context.emit('cash_balance.funds_available', render(funded.balance) as never);
  applyCashBalance(context, customer.id);
  return funded.transaction;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(z.strictObject({ expand }), context.params);
  return render(recordOf(context, requireCustomer(context, path.id!).id));
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(
    z.strictObject({
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
    }),
    context.params,
  );
  const customer = requireCustomer(context, path.id!);
  const mode = params.settings?.reconciliation_mode;
  const updated = context.tx.put<CashBalanceRecord>({
    ...recordOf(context, customer.id),
    ...(mode === undefined ? {} : { reconciliation: mode === 'manual' ? 'manual' : 'automatic' }),
  });
  return render(updated);
};

const list: StripeHandler = (context, path) => {
  const params = parseParams(z.strictObject(listParams), context.params);
  const customer = requireCustomer(context, path.id!);
  const transactions = context.tx
    .values<Stripe.CustomerCashBalanceTransaction>('customer_cash_balance_transaction')
    .filter((transaction) => transaction.customer === customer.id);
  return paginate(params, transactions, `/v1/customers/${customer.id}/cash_balance_transactions`);
};

const retrieveTransaction: StripeHandler = (context, path) => {
  parseParams(z.strictObject({ expand }), context.params);
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
