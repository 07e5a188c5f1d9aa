import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import {
  expand,
  expandOnly,
  int,
  listParams,
  mergeMetadata,
  metadata,
  metadataOnly,
  oneOf,
  parseParams,
  text,
} from '../params.ts';
import { recordBalanceTransaction } from './balance-transactions.ts';
import { requireAvailable } from './balance-funds.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCurrency } from './payment-amounts.ts';

/** The bank account every fake account pays out to. */
export const defaultBankAccount = 'ba_fakepspdefaultbank';
/** A standard payout arrives (is `paid`) the next day in test mode; an instant one at once. */
const standardArrivalSeconds = 86_400;

const createSchema = z.strictObject({
  amount: int({ min: 1 }),
  currency: text(),
  description: text().optional(),
  destination: text().optional(),
  metadata: metadata.optional(),
  method: oneOf('method', ['instant', 'standard']).optional(),
  source_type: oneOf('source_type', ['bank_account', 'card', 'fpx']).optional(),
  statement_descriptor: z.string().max(22).optional(),
  payout_method: text().optional(),
  expand,
});

function requirePayout(context: StripeContext, id: string): Stripe.Payout {
  const payout = context.tx.get<Stripe.Payout>('payout', id);
  if (payout === undefined) fail({ kind: 'resource_missing', objectName: 'payout', id });
  return payout;
}

/**
 * `POST /v1/payouts`: the amount leaves the available balance at once (`payout` balance
 * transaction) and the payout is `pending` until it arrives, then `paid` (`payout.paid`).
 */
const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const currency = requireCurrency(params.currency);
  requireAvailable(context, params.amount, currency);
  const id = context.ids.stripe('po_');
  const transaction = recordBalanceTransaction(context, {
    amount: -params.amount,
    currency,
    type: 'payout',
    source: id,
    reportingCategory: 'payout',
    description: params.description ?? 'STRIPE PAYOUT',
  });
  const instant = params.method === 'instant';
  const arrival = context.nowSeconds + (instant ? 0 : standardArrivalSeconds);
  const payout: Stripe.Payout = {
    id,
    object: 'payout',
    amount: params.amount,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: arrival,
    automatic: false,
    balance_transaction: transaction.id,
    created: context.nowSeconds,
    currency,
    description: params.description ?? null,
    destination: params.destination ?? defaultBankAccount,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    method: params.method ?? 'standard',
    original_payout: null,
    payout_method: params.payout_method ?? null,
    reconciliation_status: 'in_progress',
    reversed_by: null,
    source_type: params.source_type ?? 'card',
    statement_descriptor: params.statement_descriptor ?? null,
    status: 'pending',
    trace_id: null,
    type: 'bank_account',
  };
  context.tx.put(payout);
  context.emit('payout.created', payout);
  context.later({
    label: `payout ${id} arrives`,
    delayMs: (arrival - context.nowSeconds) * 1000,
    run: (job) => arrive(job, id),
  });
  return payout;
};

function arrive(context: StripeContext, id: string): void {
  const payout = requirePayout(context, id);
  if (payout.status !== 'pending' && payout.status !== 'in_transit') return;
  const paid: Stripe.Payout = { ...payout, status: 'paid', reconciliation_status: 'completed' };
  context.tx.put(paid);
  context.emit('payout.paid', paid);
  context.emit('payout.reconciliation_completed', paid);
}

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requirePayout(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(metadataOnly, context.params);
  const existing = requirePayout(context, path.id!);
  const updated: Stripe.Payout = {
    ...existing,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
  };
  context.tx.put(updated);
  context.emit('payout.updated', updated, changedAttributes(existing, updated));
  return updated;
};

/** A pending payout can be canceled: the money comes back to the balance (`payout_cancel`). */
const cancel: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const payout = requirePayout(context, path.id!);
  if (payout.status !== 'pending') {
    fail({
      kind: 'invalid_request',
      message: `Payout ${payout.id} cannot be canceled: its status is ${payout.status}.`,
    });
  }
  const back = recordBalanceTransaction(context, {
    amount: payout.amount,
    currency: payout.currency,
    type: 'payout_cancel',
    source: payout.id,
    reportingCategory: 'payout_reversal',
  });
  const canceled: Stripe.Payout = { ...payout, status: 'canceled', failure_balance_transaction: back.id };
  context.tx.put(canceled);
  context.emit('payout.canceled', canceled);
  return canceled;
};

const listQuery = z.strictObject({
  ...listParams,
  status: text().optional(),
  destination: text().optional(),
  arrival_date: z.unknown().optional(),
});

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const matches = (payout: Stripe.Payout) =>
    (params.status === undefined || payout.status === params.status) &&
    (params.destination === undefined || payout.destination === params.destination);
  return listPage(context.tx, params, 'payout', [], matches, '/v1/payouts');
};

export const payoutsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/payouts', handler: create },
  { method: 'GET', pattern: '/v1/payouts', handler: list },
  { method: 'GET', pattern: '/v1/payouts/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/payouts/:id', handler: update },
  { method: 'POST', pattern: '/v1/payouts/:id/cancel', handler: cancel },
];
