import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import { expandOnly, mergeMetadata, parseParams } from '../params.ts';
import { creditBalanceRoutes } from '../metering/credit-balance.ts';
import {
  compareGrants,
  grantCovers,
  grantCustomer,
  invoiceLineFor,
  isAvailable,
  priorityDefault,
  recordBalanceTransaction,
  remainingOf,
} from '../metering/credits.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';
import { createSchema, listSchema, scopeSchema, updateSchema } from './credit-grants-params.ts';

type Grant = Stripe.Billing.CreditGrant;

/** Loads a credit grant of the current account or fails with Stripe's 404. */
export function requireCreditGrant(context: StripeContext, id: string, param = 'id'): Grant {
  const grant = context.tx.get<Grant>('billing.credit_grant', id);
  if (grant === undefined) fail({ kind: 'resource_missing', objectName: 'billing.credit_grant', id, param });
  return grant;
}

/**
 * Applies a customer's credit grants to an invoice's lines at finalization: metered lines only,
 * grants in Stripe's order (priority, expiry, promotional first, effective, created), each
 * spending at most its remaining balance in the invoice's currency. Records one
 * `billing.credit_balance_transaction` debit per grant and line, and returns the total applied.
 *
 * @example
 * const credited = applyCreditGrants(context, { customer, currency: 'usd', invoice: invoice.id,
 *   atSeconds: context.nowFor(customer), lines: [{ price: 'price_…', amount: 1200, metered: true }] });
 */
export function applyCreditGrants(
  context: StripeContext,
  options: {
    readonly customer: string;
    readonly currency: string;
    readonly invoice: string;
    readonly atSeconds: number;
    readonly lines: ReadonlyArray<{
      readonly price: string;
      readonly amount: number;
      readonly metered: boolean;
    }>;
  },
): number {
  const currency = options.currency.toLowerCase();
  const grants = context.tx
    .values<Grant>('billing.credit_grant')
    .filter(
      (grant) =>
        grantCustomer(grant) === options.customer &&
        grant.amount.monetary?.currency === currency &&
        isAvailable(grant, options.atSeconds),
    )
    .sort(compareGrants);
  const remaining = new Map(grants.map((grant) => [grant.id, remainingOf(context, grant)]));
  let total = 0;
  for (const line of options.lines) {
    let due = Math.max(0, Math.trunc(line.amount));
    for (const grant of grants) {
      if (due === 0) break;
      const left = remaining.get(grant.id) ?? 0;
      if (left <= 0 || !grantCovers(grant, line)) continue;
      const applied = Math.min(left, due);
      const entry = {
        kind: 'credits_applied',
        invoice: options.invoice,
        line: invoiceLineFor(context, options.invoice, line.price),
      } as const;
      recordBalanceTransaction(context, grant, entry, applied, options.atSeconds);
      remaining.set(grant.id, left - applied);
      due -= applied;
      total += applied;
    }
  }
  return total;
}

function checkScope(context: StripeContext, scope: z.infer<typeof scopeSchema>): void {
  if ((scope.price_type === undefined) === (scope.prices === undefined)) {
    fail({
      kind: 'invalid_request',
      param: 'applicability_config[scope]',
      message: 'You must specify exactly one of price_type or prices in applicability_config[scope].',
    });
  }
  for (const [index, { id }] of (scope.prices ?? []).entries()) {
    const param = `applicability_config[scope][prices][${index}][id]`;
    const price = context.tx.get<Stripe.Price>('price', id);
    if (price === undefined) fail({ kind: 'resource_missing', objectName: 'price', id, param });
    if (price.recurring?.usage_type !== 'metered' || price.recurring.meter === null) {
      fail({
        kind: 'invalid_request',
        param,
        message: `Price ${id} is not a metered price backed by a meter.`,
      });
    }
  }
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const customer = requireCustomer(context, params.customer, 'customer');
  checkScope(context, params.applicability_config.scope);
  const now = context.nowFor(customer.id);
  const effectiveAt = params.effective_at ?? now;
  if (params.expires_at !== undefined && params.expires_at <= effectiveAt) {
    fail({
      kind: 'parameter_invalid',
      param: 'expires_at',
      message: 'expires_at must be after effective_at.',
    });
  }
  const { scope } = params.applicability_config;
  const grant: Grant = {
    id: context.ids.stripe('credgr_'),
    object: 'billing.credit_grant',
    amount: {
      type: 'monetary',
      monetary: {
        currency: params.amount.monetary.currency.toLowerCase(),
        value: params.amount.monetary.value,
      },
    },
    applicability_config: {
      scope:
        scope.prices === undefined
          ? { price_type: 'metered' }
          : { prices: scope.prices.map(({ id }) => ({ id })) },
    },
    category: params.category ?? 'paid',
    created: now,
    customer: customer.id,
    customer_account: null,
    effective_at: effectiveAt,
    expires_at: params.expires_at ?? null,
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    name: params.name ?? null,
    priority: params.priority ?? priorityDefault,
    test_clock: typeof customer.test_clock === 'string' ? customer.test_clock : null,
    updated: now,
    voided_at: null,
  };
  context.tx.put(grant);
  context.emit('billing.credit_grant.created', grant);
  recordBalanceTransaction(context, grant, { kind: 'credits_granted' }, grant.amount.monetary!.value, now);
  scheduleExpiry(context, grant);
  return grant;
};

/** At `expires_at` (on the customer's clock), whatever is left of the grant expires. */
function scheduleExpiry(context: StripeContext, grant: Grant): void {
  const expiresAt = grant.expires_at;
  if (expiresAt === null) return;
  const customer = grantCustomer(grant);
  const testClock = context.testClockOf(customer);
  context.later({
    label: `credit grant ${grant.id} expires`,
    delayMs: Math.max(0, expiresAt - context.nowFor(customer)) * 1000,
    ...(testClock === undefined ? {} : { testClock }),
    run: (job) => {
      const current = job.tx.get<Grant>('billing.credit_grant', grant.id);
      // A later update moved or removed the expiry, or the grant was voided or expired by hand.
      if (current === undefined || current.expires_at !== expiresAt || current.voided_at !== null) return;
      writeOff(job, current, 'credits_expired', expiresAt);
    },
  });
}

function writeOff(
  context: StripeContext,
  grant: Grant,
  kind: 'credits_expired' | 'credits_voided',
  at: number,
): void {
  const already = context.tx
    .values<Stripe.Billing.CreditBalanceTransaction>('billing.credit_balance_transaction')
    .some(
      (transaction) =>
        transaction.credit_grant === grant.id &&
        (transaction.debit?.type === 'credits_expired' || transaction.debit?.type === 'credits_voided'),
    );
  const left = remainingOf(context, grant);
  if (!already && left > 0) recordBalanceTransaction(context, grant, { kind }, left, at);
}

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireCreditGrant(context, path.id!);
};

function putUpdated(context: StripeContext, existing: Grant, updated: Grant): Grant {
  context.tx.put(updated);
  context.emit('billing.credit_grant.updated', updated, changedAttributes(existing, updated));
  return updated;
}

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireCreditGrant(context, path.id!);
  const now = context.nowFor(grantCustomer(existing));
  const expiresAt =
    params.expires_at === undefined
      ? existing.expires_at
      : params.expires_at === ''
        ? null
        : params.expires_at;
  if (expiresAt !== existing.expires_at && (existing.voided_at !== null || isExpired(existing, now))) {
    fail({
      kind: 'invalid_request',
      param: 'expires_at',
      message: 'You cannot update the expiry of a voided or expired credit grant.',
    });
  }
  if (expiresAt !== null && expiresAt !== existing.expires_at && expiresAt <= now) {
    fail({ kind: 'parameter_invalid', param: 'expires_at', message: 'expires_at must be in the future.' });
  }
  const updated: Grant = {
    ...existing,
    expires_at: expiresAt,
    metadata: mergeMetadata(existing.metadata, params.metadata),
    updated: now,
  };
  if (expiresAt !== existing.expires_at) scheduleExpiry(context, updated);
  return putUpdated(context, existing, updated);
};

function isExpired(grant: Grant, now: number): boolean {
  return grant.expires_at !== null && grant.expires_at <= now;
}

/** `/expire` ends the grant now; `/void` cancels it. Either one writes off what is left. */
function ending(kind: 'credits_expired' | 'credits_voided'): StripeHandler {
  return (context, path) => {
    parseParams(expandOnly, context.params);
    const existing = requireCreditGrant(context, path.id!);
    const now = context.nowFor(grantCustomer(existing));
    if (existing.voided_at !== null || isExpired(existing, now)) {
      const state = existing.voided_at !== null ? 'voided' : 'expired';
      fail({
        kind: 'unexpected_state',
        code: 'credit_grant_invalid_status',
        message: `This credit grant is already ${state}.`,
      });
    }
    const updated: Grant =
      kind === 'credits_voided'
        ? { ...existing, voided_at: now, updated: now }
        : { ...existing, expires_at: now, updated: now };
    const result = putUpdated(context, existing, updated);
    writeOff(context, updated, kind, now);
    return result;
  };
}

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (grant: Grant) => params.customer === undefined || grantCustomer(grant) === params.customer;
  return listPage(context.tx, params, 'billing.credit_grant', [], matches, '/v1/billing/credit_grants');
};

export const creditGrantsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/billing/credit_grants', handler: create },
  { method: 'GET', pattern: '/v1/billing/credit_grants', handler: list },
  { method: 'GET', pattern: '/v1/billing/credit_grants/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/billing/credit_grants/:id', handler: update },
  { method: 'POST', pattern: '/v1/billing/credit_grants/:id/expire', handler: ending('credits_expired') },
  { method: 'POST', pattern: '/v1/billing/credit_grants/:id/void', handler: ending('credits_voided') },
  ...creditBalanceRoutes,
];
