import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import {
  expand,
  expandOnly,
  int,
  listOnly,
  mergeMetadata,
  metadata,
  metadataOnly,
  parseParams,
} from '../params.ts';
import { platformScope } from '../store.ts';
import { recordBalanceTransaction } from './balance-transactions.ts';
import { stringId } from './charges.ts';
import { formatAmount } from './payment-amounts.ts';
import { refundShare } from './refund-shares.ts';

/** Loads an application fee of the request's account (the platform's own) or fails with Stripe's 404. */
export function requireApplicationFee(
  context: StripeContext,
  id: string,
  scope = context.tx.scope,
): Stripe.ApplicationFee {
  const fee = context.tx.get<Stripe.ApplicationFee>('application_fee', id, scope);
  if (fee === undefined) fail({ kind: 'resource_missing', objectName: 'application fee', id });
  return fee;
}

/**
 * Gives (part of) an application fee back to the connected account it was taken from (all that
 * is left unless `amount` is given): an `application_fee_refund` on each side.
 */
export function refundApplicationFee(
  context: StripeContext,
  fee: Stripe.ApplicationFee,
  amount: number | undefined,
  metadataUpdate?: string | Record<string, string>,
): Stripe.FeeRefund {
  const left = fee.amount - fee.amount_refunded;
  const refunding = amount ?? left;
  if (left === 0)
    fail({ kind: 'invalid_request', message: `Application fee ${fee.id} has already been refunded.` });
  if (refunding > left) {
    const asked = formatAmount(refunding, fee.currency);
    fail({
      kind: 'invalid_request',
      param: 'amount',
      message: `Refund amount (${asked}) is greater than unrefunded amount on fee (${formatAmount(left, fee.currency)})`,
    });
  }
  const id = context.ids.stripe('fr_');
  const entry = { currency: fee.currency, type: 'application_fee_refund', source: id } as const;
  const debit = recordBalanceTransaction(context, {
    ...entry,
    amount: -refunding,
    reportingCategory: 'platform_earning_refund',
    scope: platformScope,
  });
  const account = stringId(fee.account)!;
  recordBalanceTransaction(context, {
    ...entry,
    amount: refunding,
    reportingCategory: 'fee',
    scope: account,
  });
  const refund: Stripe.FeeRefund = {
    id,
    object: 'fee_refund',
    amount: refunding,
    balance_transaction: debit.id,
    created: context.nowSeconds,
    currency: fee.currency,
    fee: fee.id,
    metadata: mergeMetadata({}, metadataUpdate),
  };
  const refunded: Stripe.ApplicationFee = {
    ...fee,
    amount_refunded: fee.amount_refunded + refunding,
    refunded: fee.amount_refunded + refunding === fee.amount,
    refunds: { ...fee.refunds, data: [refund, ...fee.refunds.data] },
  };
  context.tx.put(refunded, platformScope);
  context.emit('application_fee.refunded', refunded, {
    amount_refunded: fee.amount_refunded,
    refunded: fee.refunded,
  });
  return refund;
}

/** `refund_application_fee` on a charge's refund: the fee's share of it (see {@link refundShare}). */
export function refundFeeForRefund(context: StripeContext, charge: Stripe.Charge, refunded: number): void {
  const feeId = stringId(charge.application_fee);
  if (feeId === null) return;
  // A direct charge's refund is made on the connected account; its fee is the platform's.
  const fee = requireApplicationFee(context, feeId, platformScope);
  const amount = refundShare(fee.amount, fee.amount - fee.amount_refunded, charge, refunded);
  if (amount > 0) refundApplicationFee(context, fee, amount);
}

const createSchema = z.strictObject({
  amount: int({ min: 1 }).optional(),
  metadata: metadata.optional(),
  expand,
});

const create: StripeHandler = (context, path) => {
  const params = parseParams(createSchema, context.params);
  return refundApplicationFee(
    context,
    requireApplicationFee(context, path.id!),
    params.amount,
    params.metadata,
  );
};

function requireFeeRefund(context: StripeContext, feeId: string, id: string): Stripe.FeeRefund {
  const refund = requireApplicationFee(context, feeId).refunds.data.find((each) => each.id === id);
  if (refund === undefined) fail({ kind: 'resource_missing', objectName: 'fee refund', id });
  return refund;
}

const list: StripeHandler = (context, path) => {
  const params = parseParams(listOnly, context.params);
  const fee = requireApplicationFee(context, path.id!);
  return paginate(params, [...fee.refunds.data].reverse(), `/v1/application_fees/${fee.id}/refunds`);
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireFeeRefund(context, path.fee!, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(metadataOnly, context.params);
  const existing = requireFeeRefund(context, path.fee!, path.id!);
  const updated: Stripe.FeeRefund = {
    ...existing,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
  };
  const fee = requireApplicationFee(context, path.fee!);
  const data = fee.refunds.data.map((each) => (each.id === updated.id ? updated : each));
  context.tx.put({ ...fee, refunds: { ...fee.refunds, data } }, platformScope);
  context.emit('application_fee.refund.updated', updated, changedAttributes(existing, updated));
  return updated;
};

export const applicationFeeRefundsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/application_fees/:id/refunds', handler: create },
  { method: 'GET', pattern: '/v1/application_fees/:id/refunds', handler: list },
  { method: 'GET', pattern: '/v1/application_fees/:fee/refunds/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/application_fees/:fee/refunds/:id', handler: update },
];
