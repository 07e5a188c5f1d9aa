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
  parseParams,
  text,
} from '../params.ts';
import { recordBalanceTransaction } from './balance-transactions.ts';
import { announceAvailability } from './balance-funds.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCurrency } from './payment-amounts.ts';

/** A test-mode top-up's bank debit clears after a minute; its funds are available the next day. */
const clearsAfterMs = 60_000;
const availableAfterSeconds = 86_400;

const createSchema = z.strictObject({
  amount: int({ min: 1 }),
  currency: text(),
  description: text().optional(),
  metadata: z.union([z.literal(''), metadata]).optional(),
  source: text().optional(),
  statement_descriptor: z.string().max(15).optional(),
  transfer_group: text().optional(),
  payment_method: text().optional(),
  payment_method_options: z.unknown().optional(),
  expand,
});

function requireTopup(context: StripeContext, id: string): Stripe.Topup {
  const topup = context.tx.get<Stripe.Topup>('topup', id);
  if (topup === undefined) fail({ kind: 'resource_missing', objectName: 'topup', id });
  return topup;
}

/**
 * `POST /v1/topups`: the platform adds funds from its bank account. The top-up is `pending`
 * until the debit clears (`topup.succeeded`); the money is then pending in the balance until
 * its `available_on`, when `balance.available` announces it.
 */
const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const currency = requireCurrency(params.currency);
  const id = context.ids.stripe('tu_');
  const topup: Stripe.Topup = {
    id,
    object: 'topup',
    amount: params.amount,
    balance_transaction: null,
    created: context.nowSeconds,
    currency,
    description: params.description ?? null,
    expected_availability_date: context.nowSeconds + availableAfterSeconds,
    failure_code: null,
    failure_message: null,
    initiated_by: null,
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    source: null,
    statement_descriptor: params.statement_descriptor ?? null,
    status: 'pending',
    transfer_group: params.transfer_group ?? null,
  };
  context.tx.put(topup);
  context.emit('topup.created', topup);
  context.later({ label: `topup ${id} clears`, delayMs: clearsAfterMs, run: (job) => clear(job, id) });
  return topup;
};

function clear(context: StripeContext, id: string): void {
  const topup = requireTopup(context, id);
  if (topup.status !== 'pending') return;
  const transaction = recordBalanceTransaction(context, {
    amount: topup.amount,
    currency: topup.currency,
    type: 'topup',
    source: topup.id,
    reportingCategory: 'topup',
    description: topup.description,
    created: context.nowSeconds,
  });
  const available = context.tx.put({
    ...transaction,
    available_on: topup.expected_availability_date!,
    status: 'pending' as const,
  });
  const succeeded: Stripe.Topup = { ...topup, status: 'succeeded', balance_transaction: available.id };
  context.tx.put(succeeded);
  context.emit('topup.succeeded', succeeded);
  announceAvailability(context, available);
}

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireTopup(context, path.id!);
};

const updateParams = z.strictObject({
  description: text().optional(),
  metadata: z.union([z.literal(''), metadata]).optional(),
  expand,
});

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateParams, context.params);
  const existing = requireTopup(context, path.id!);
  const updated: Stripe.Topup = {
    ...existing,
    description: params.description ?? existing.description,
    metadata: mergeMetadata(existing.metadata, params.metadata),
  };
  context.tx.put(updated);
  context.emit('topup.updated', updated, changedAttributes(existing, updated));
  return updated;
};

const cancel: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const topup = requireTopup(context, path.id!);
  if (topup.status !== 'pending') {
    fail({
      kind: 'invalid_request',
      message: `Top-up ${topup.id} cannot be canceled: its status is ${topup.status}.`,
    });
  }
  const canceled: Stripe.Topup = { ...topup, status: 'canceled' };
  context.tx.put(canceled);
  context.emit('topup.canceled', canceled);
  return canceled;
};

const listQuery = z.strictObject({
  ...listParams,
  status: text().optional(),
  amount: z.unknown().optional(),
});

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const matches = (topup: Stripe.Topup) => params.status === undefined || topup.status === params.status;
  return listPage(context.tx, params, 'topup', [], matches, '/v1/topups');
};

export const topupsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/topups', handler: create },
  { method: 'GET', pattern: '/v1/topups', handler: list },
  { method: 'GET', pattern: '/v1/topups/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/topups/:id', handler: update },
  { method: 'POST', pattern: '/v1/topups/:id/cancel', handler: cancel },
];
