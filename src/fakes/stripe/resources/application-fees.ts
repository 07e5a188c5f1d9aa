import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { listPage } from '../list.ts';
import { expandOnly, listParams, parseParams, text } from '../params.ts';
import { platformScope } from '../store.ts';
import { feeDetail, recordBalanceTransaction } from './balance-transactions.ts';
import { requireApplicationFee } from './application-fee-refunds.ts';
import { stringId } from './charges.ts';

/** The application id the platform's fees are credited to (the fake has one platform). */
const platformApplication = 'ca_fakepspplatform';

function buildFee(
  context: StripeContext,
  fields: { account: string; amount: number; currency: string; charge: string; originating: string },
): Stripe.ApplicationFee {
  const id = context.ids.stripe('fee_');
  const transaction = recordBalanceTransaction(context, {
    amount: fields.amount,
    currency: fields.currency,
    type: 'application_fee',
    source: id,
    reportingCategory: 'platform_earning',
    scope: platformScope,
  });
  const fee: Stripe.ApplicationFee = {
    id,
    object: 'application_fee',
    account: fields.account,
    amount: fields.amount,
    amount_refunded: 0,
    application: platformApplication,
    balance_transaction: transaction.id,
    charge: fields.charge,
    created: context.nowSeconds,
    currency: fields.currency,
    fee_source: { type: 'charge', charge: fields.originating },
    livemode: false,
    originating_transaction: fields.originating,
    refunded: false,
    refunds: { object: 'list', data: [], has_more: false, url: `/v1/application_fees/${id}/refunds` },
  };
  context.tx.put(fee, platformScope);
  context.emit('application_fee.created', fee);
  return fee;
}

/**
 * A direct charge on a connected account (`Stripe-Account`) with `application_fee_amount`:
 * the fee moves from the connected account's payment to the platform.
 */
export function collectDirectFee(
  context: StripeContext,
  charge: Stripe.Charge,
): Stripe.ApplicationFee | undefined {
  if (context.account === undefined || charge.application_fee_amount === null) return undefined;
  return buildFee(context, {
    account: context.account,
    amount: charge.application_fee_amount,
    currency: charge.currency,
    charge: charge.id,
    originating: charge.id,
  });
}

/**
 * A destination charge (`transfer_data[destination]`): the platform transfers the amount (or
 * `transfer_data[amount]`) to the connected account, where it lands as a `py_…` payment;
 * `application_fee_amount` then comes back to the platform as an application fee.
 */
export function settleDestination(
  context: StripeContext,
  charge: Stripe.Charge,
): { transfer: string; fee: Stripe.ApplicationFee | undefined } | undefined {
  const destination = stringId(charge.transfer_data?.destination);
  if (destination === null) return undefined;
  const amount = charge.transfer_data?.amount ?? charge.amount_captured;
  const transferId = context.ids.stripe('tr_');
  const paymentId = context.ids.stripe('py_');
  const fromPlatform = recordBalanceTransaction(context, {
    amount: -amount,
    currency: charge.currency,
    type: 'transfer',
    source: transferId,
    reportingCategory: 'transfer',
  });
  const transfer: Stripe.Transfer = {
    id: transferId,
    object: 'transfer',
    amount,
    amount_reversed: 0,
    balance_transaction: fromPlatform.id,
    created: context.nowSeconds,
    currency: charge.currency,
    description: null,
    destination,
    destination_payment: paymentId,
    livemode: false,
    metadata: {},
    reversals: { object: 'list', data: [], has_more: false, url: `/v1/transfers/${transferId}/reversals` },
    reversed: false,
    source_transaction: charge.id,
    source_type: 'card',
    transfer_group: charge.transfer_group ?? `group_${charge.payment_intent as string}`,
  };
  context.tx.put(transfer);
  context.emit('transfer.created', transfer);
  const feeAmount = charge.application_fee_amount ?? 0;
  recordBalanceTransaction(context, {
    amount,
    currency: charge.currency,
    type: 'payment',
    source: paymentId,
    reportingCategory: 'charge',
    fees: feeAmount > 0 ? [feeDetail(feeAmount, charge.currency, 'application_fee', 'Application fee')] : [],
    scope: destination,
  });
  const fee =
    feeAmount > 0
      ? buildFee(context, {
          account: destination,
          amount: feeAmount,
          currency: charge.currency,
          charge: paymentId,
          originating: charge.id,
        })
      : undefined;
  return { transfer: transferId, fee };
}

const listSchema = z.strictObject({ ...listParams, charge: text().optional() });

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (fee: Stripe.ApplicationFee) =>
    params.charge === undefined ||
    fee.charge === params.charge ||
    fee.originating_transaction === params.charge;
  return listPage(context.tx, params, 'application_fee', [], matches, '/v1/application_fees');
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireApplicationFee(context, path.id!);
};

export const applicationFeesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'GET', pattern: '/v1/application_fees', handler: list },
  { method: 'GET', pattern: '/v1/application_fees/:id', handler: retrieve },
];
