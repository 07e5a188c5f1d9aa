import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage, paginate } from '../list.ts';
import {
  expand,
  expandOnly,
  int,
  listOnly,
  listParams,
  mergeMetadata,
  metadata,
  parseParams,
  text,
} from '../params.ts';
import { platformScope } from '../store.ts';
import { recordBalanceTransaction } from './balance-transactions.ts';
import { requireAvailable } from './balance-funds.ts';
import { requireCharge } from './charges.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCurrency } from './payment-amounts.ts';
import { requireTransfer, reverseTransfer } from './transfer-reversals.ts';

const createSchema = z.strictObject({
  amount: int({ min: 1 }).optional(),
  currency: text(),
  destination: text(),
  description: text().optional(),
  metadata: metadata.optional(),
  source_transaction: text().optional(),
  source_type: text().optional(),
  transfer_group: text().optional(),
  expand,
});
const updateSchema = z.strictObject({
  description: text().optional(),
  metadata: metadata.optional(),
  expand,
});
const reversalSchema = z.strictObject({
  amount: int({ min: 1 }).optional(),
  description: text().optional(),
  metadata: metadata.optional(),
  refund_application_fee: z.unknown().optional(),
  expand,
});

/**
 * `POST /v1/transfers`: money leaves the platform's available balance (or follows a charge named
 * in `source_transaction`) and lands on the connected account as a `py_…` payment.
 */
const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const currency = requireCurrency(params.currency);
  if (params.amount === undefined) fail({ kind: 'parameter_missing', param: 'amount' });
  if (context.tx.get('account', params.destination, platformScope) === undefined) {
    fail({
      kind: 'resource_missing',
      objectName: 'destination',
      id: params.destination,
      param: 'destination',
    });
  }
  if (params.source_transaction !== undefined) {
    const charge = requireCharge(context, params.source_transaction, 'source_transaction');
    if (params.amount > charge.amount - charge.amount_refunded) {
      fail({
        kind: 'invalid_request',
        param: 'amount',
        message: 'The transfer amount cannot exceed the amount left on the source transaction.',
      });
    }
  } else {
    requireAvailable(context, params.amount, currency, platformScope);
  }
  const id = context.ids.stripe('tr_');
  const paymentId = context.ids.stripe('py_');
  const debit = recordBalanceTransaction(context, {
    amount: -params.amount,
    currency,
    type: 'transfer',
    source: id,
    reportingCategory: 'transfer',
    description: params.description ?? null,
    scope: platformScope,
  });
  recordBalanceTransaction(context, {
    amount: params.amount,
    currency,
    type: 'payment',
    source: paymentId,
    reportingCategory: 'charge',
    scope: params.destination,
  });
  const transfer: Stripe.Transfer = {
    id,
    object: 'transfer',
    amount: params.amount,
    amount_reversed: 0,
    balance_transaction: debit.id,
    created: context.nowSeconds,
    currency,
    description: params.description ?? null,
    destination: params.destination,
    destination_payment: paymentId,
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    reversals: { object: 'list', data: [], has_more: false, url: `/v1/transfers/${id}/reversals` },
    reversed: false,
    source_transaction: params.source_transaction ?? null,
    source_type: params.source_type ?? 'card',
    transfer_group: params.transfer_group ?? null,
  };
  context.tx.put(transfer, platformScope);
  context.emit('transfer.created', transfer);
  return transfer;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireTransfer(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireTransfer(context, path.id!);
  const updated: Stripe.Transfer = {
    ...existing,
    description: params.description ?? existing.description,
    metadata: mergeMetadata(existing.metadata, params.metadata),
  };
  context.tx.put(updated, platformScope);
  context.emit('transfer.updated', updated, changedAttributes(existing, updated));
  return updated;
};

const listQuery = z.strictObject({
  ...listParams,
  destination: text().optional(),
  transfer_group: text().optional(),
});

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const matches = (transfer: Stripe.Transfer) =>
    (params.destination === undefined || transfer.destination === params.destination) &&
    (params.transfer_group === undefined || transfer.transfer_group === params.transfer_group);
  return listPage(context.tx, params, 'transfer', [], matches, '/v1/transfers', platformScope);
};

/** A reversal takes (part of) a transfer back from the connected account to the platform. */
const reverse: StripeHandler = (context, path) => {
  const params = parseParams(reversalSchema, context.params);
  const transfer = requireTransfer(context, path.id!);
  return reverseTransfer(context, transfer, params.amount, { metadata: params.metadata, sourceRefund: null });
};

const listReversals: StripeHandler = (context, path) => {
  const params = parseParams(listOnly, context.params);
  const transfer = requireTransfer(context, path.id!);
  return paginate(params, [...transfer.reversals.data].reverse(), `/v1/transfers/${transfer.id}/reversals`);
};

const retrieveReversal: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const transfer = requireTransfer(context, path.transfer!);
  const reversal = transfer.reversals.data.find((candidate) => candidate.id === path.id);
  if (reversal === undefined)
    fail({ kind: 'resource_missing', objectName: 'transfer_reversal', id: path.id! });
  return reversal;
};

export const transfersRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/transfers', handler: create },
  { method: 'GET', pattern: '/v1/transfers', handler: list },
  { method: 'GET', pattern: '/v1/transfers/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/transfers/:id', handler: update },
  { method: 'POST', pattern: '/v1/transfers/:id/reversals', handler: reverse },
  { method: 'GET', pattern: '/v1/transfers/:id/reversals', handler: listReversals },
  { method: 'GET', pattern: '/v1/transfers/:transfer/reversals/:id', handler: retrieveReversal },
];
