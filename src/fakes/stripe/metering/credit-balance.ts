import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import { expand, expandOnly, listParams, oneOf, parseParams, text } from '../params.ts';
import { requireCustomer } from '../resources/customer-lookup.ts';
import { grantCustomer, isAvailable, remainingOf } from './credits.ts';

type Grant = Stripe.Billing.CreditGrant;
type BalanceTransaction = Stripe.Billing.CreditBalanceTransaction;

const summarySchema = z.strictObject({
  customer: text(),
  filter: z.strictObject({
    type: oneOf('filter[type]', ['applicability_scope', 'credit_grant']),
    applicability_scope: z
      .strictObject({
        price_type: oneOf('filter[applicability_scope][price_type]', ['metered']).optional(),
        prices: z
          .array(z.strictObject({ id: text() }))
          .min(1)
          .optional(),
      })
      .optional(),
    credit_grant: text().optional(),
  }),
  expand,
});
const transactionsSchema = z.strictObject({
  ...listParams,
  customer: text().optional(),
  credit_grant: text().optional(),
});

type SummaryFilter = z.infer<typeof summarySchema>['filter'];

function grantsMatching(context: StripeContext, customer: string, filter: SummaryFilter): Grant[] {
  const grants = context.tx
    .values<Grant>('billing.credit_grant')
    .filter((grant) => grantCustomer(grant) === customer);
  if (filter.type === 'credit_grant') {
    if (filter.credit_grant === undefined) fail({ kind: 'parameter_missing', param: 'filter[credit_grant]' });
    const grant = grants.find((candidate) => candidate.id === filter.credit_grant);
    if (grant === undefined) {
      fail({
        kind: 'resource_missing',
        objectName: 'billing.credit_grant',
        id: filter.credit_grant,
        param: 'filter[credit_grant]',
      });
    }
    return [grant];
  }
  const scope = filter.applicability_scope;
  if (scope === undefined) fail({ kind: 'parameter_missing', param: 'filter[applicability_scope]' });
  if (scope.prices !== undefined) {
    const wanted = new Set(scope.prices.map((price) => price.id));
    return grants.filter((grant) =>
      grant.applicability_config.scope.prices?.some((price) => wanted.has(price.id ?? '')),
    );
  }
  return grants.filter((grant) => grant.applicability_config.scope.price_type === 'metered');
}

/**
 * `GET /v1/billing/credit_balance_summary`: per currency, what the matching grants still hold
 * on the customer's clock. Credits are applied only at invoice finalization, so nothing is
 * held by drafts and the ledger balance equals the available balance.
 */
const summary: StripeHandler = (context) => {
  const params = parseParams(summarySchema, context.params);
  const customer = requireCustomer(context, params.customer, 'customer');
  const now = context.nowFor(customer.id);
  const byCurrency = new Map<string, number>();
  for (const grant of grantsMatching(context, customer.id, params.filter)) {
    const currency = grant.amount.monetary?.currency;
    if (currency === undefined) continue;
    const value = isAvailable(grant, now) ? remainingOf(context, grant) : 0;
    byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + value);
  }
  const result: Stripe.Billing.CreditBalanceSummary = {
    object: 'billing.credit_balance_summary',
    balances: [...byCurrency].map(([currency, value]) => ({
      available_balance: { type: 'monetary', monetary: { currency, value } },
      ledger_balance: { type: 'monetary', monetary: { currency, value } },
    })),
    customer: customer.id,
    customer_account: null,
    livemode: false,
  };
  return result;
};

const listTransactions: StripeHandler = (context) => {
  const params = parseParams(transactionsSchema, context.params);
  if (params.customer === undefined && params.credit_grant === undefined) {
    fail({ kind: 'parameter_missing', param: 'customer' });
  }
  const grants = new Map(context.tx.values<Grant>('billing.credit_grant').map((grant) => [grant.id, grant]));
  const transactions = context.tx
    .values<BalanceTransaction>('billing.credit_balance_transaction')
    .filter((item) => {
      const grantId = typeof item.credit_grant === 'string' ? item.credit_grant : item.credit_grant.id;
      const grant = grants.get(grantId);
      if (params.credit_grant !== undefined && grantId !== params.credit_grant) return false;
      return (
        params.customer === undefined || (grant !== undefined && grantCustomer(grant) === params.customer)
      );
    });
  return paginate(params, transactions, '/v1/billing/credit_balance_transactions');
};

const retrieveTransaction: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const transaction = context.tx.get<BalanceTransaction>('billing.credit_balance_transaction', path.id!);
  if (transaction === undefined) {
    fail({ kind: 'resource_missing', objectName: 'billing.credit_balance_transaction', id: path.id! });
  }
  return transaction;
};

export const creditBalanceRoutes: readonly Route<StripeHandler>[] = [
  { method: 'GET', pattern: '/v1/billing/credit_balance_summary', handler: summary },
  { method: 'GET', pattern: '/v1/billing/credit_balance_transactions', handler: listTransactions },
  { method: 'GET', pattern: '/v1/billing/credit_balance_transactions/:id', handler: retrieveTransaction },
];
