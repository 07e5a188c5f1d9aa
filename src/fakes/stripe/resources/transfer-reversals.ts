import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { mergeMetadata } from '../params.ts';
import { platformScope } from '../store.ts';
import { recordBalanceTransaction } from './balance-transactions.ts';
import { stringId } from './charges.ts';
import { refundShare } from './refund-shares.ts';

/** Loads a transfer of the platform or fails with Stripe's 404. */
export function requireTransfer(context: StripeContext, id: string): Stripe.Transfer {
  const transfer = context.tx.get<Stripe.Transfer>('transfer', id, platformScope);
  if (transfer === undefined) fail({ kind: 'resource_missing', objectName: 'transfer', id });
  return transfer;
}

/** What a reversal carries besides its amount: its metadata, and the refund that asked for it. */
interface ReversalDetails {
  readonly metadata?: string | Record<string, string> | undefined;
  readonly sourceRefund: string | null;
}

/**
 * Takes (part of) a transfer back from the connected account to the platform (all that is left
 * unless `amount` is given): a `transfer_refund` on the platform, a `payment_refund` on the account.
 */
export function reverseTransfer(
  context: StripeContext,
  transfer: Stripe.Transfer,
  amount: number | undefined,
  details: ReversalDetails,
): Stripe.TransferReversal {
  const left = transfer.amount - transfer.amount_reversed;
  const reversing = amount ?? left;
  if (left === 0 || reversing > left) {
    fail({
      kind: 'invalid_request',
      param: 'amount',
      message: `You cannot reverse more than the ${left} left on transfer ${transfer.id}.`,
    });
  }
  const id = context.ids.stripe('trr_');
  const credit = recordBalanceTransaction(context, {
    amount: reversing,
    currency: transfer.currency,
    type: 'transfer_refund',
    source: id,
    reportingCategory: 'transfer_reversal',
    scope: platformScope,
  });
  recordBalanceTransaction(context, {
    amount: -reversing,
    currency: transfer.currency,
    type: 'payment_refund',
    source: id,
    reportingCategory: 'refund',
    scope: transfer.destination as string,
  });
  const reversal: Stripe.TransferReversal = {
    id,
    object: 'transfer_reversal',
    amount: reversing,
    balance_transaction: credit.id,
    created: context.nowSeconds,
    currency: transfer.currency,
    destination_payment_refund: null,
    metadata: mergeMetadata({}, details.metadata),
    source_refund: details.sourceRefund,
    transfer: transfer.id,
  };
  context.tx.put(reversal, platformScope);
  const reversed: Stripe.Transfer = {
    ...transfer,
    amount_reversed: transfer.amount_reversed + reversing,
    reversed: transfer.amount_reversed + reversing === transfer.amount,
    reversals: { ...transfer.reversals, data: [reversal, ...transfer.reversals.data] },
  };
  context.tx.put(reversed, platformScope);
  context.emit('transfer.reversed', reversed, { amount_reversed: transfer.amount_reversed });
  return reversal;
}

/**
 * `reverse_transfer` on a destination charge's refund: the transfer is reversed in proportion to
 * the amount refunded (see {@link refundShare}). A charge with no transfer, or none left, has
 * nothing to reverse.
 */
export function reverseForRefund(
  context: StripeContext,
  charge: Stripe.Charge,
  refunded: number,
  refundId: string,
): Stripe.TransferReversal | undefined {
  const transferId = stringId(charge.transfer);
  if (transferId === null) return undefined;
  const transfer = requireTransfer(context, transferId);
  const amount = refundShare(transfer.amount, transfer.amount - transfer.amount_reversed, charge, refunded);
  return amount === 0 ? undefined : reverseTransfer(context, transfer, amount, { sourceRefund: refundId });
}
