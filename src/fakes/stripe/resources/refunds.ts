import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import {
  bool,
  expand,
  expandOnly,
  int,
  listParams,
  mergeMetadata,
  metadata,
  metadataOnly,
  parseParams,
  text,
} from '../params.ts';
import { behaviourOf } from '../test-cards.ts';
import { recordBalanceTransaction } from './balance-transactions.ts';
import { requireCharge, saveCharge, stringId } from './charges.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { refundFeeForRefund } from './application-fee-refunds.ts';
import { requireRefundable } from './refund-rules.ts';
import { reverseForRefund } from './transfer-reversals.ts';

/** How long a test card's refund stays in its first state before it fails or settles. */
export const refundSettleDelayMs = 60_000;

/** What a refund asks for; the charge is already resolved. */
export interface RefundRequest {
  readonly charge: string;
  readonly amount?: number | undefined;
  readonly reason?: Stripe.Refund.Reason | undefined;
  readonly metadata?: string | Record<string, string> | undefined;
  /** Take back from the connected account its share of a destination charge's refund. */
  readonly reverseTransfer?: boolean | undefined;
  /** Give back the same share of the charge's application fee. */
  readonly refundApplicationFee?: boolean | undefined;
}

/**
 * Refunds (part of) a captured charge: the money leaves the balance at once, the charge's
 * `amount_refunded` grows, and the test cards' delayed refund outcomes are scheduled.
 */
export function createRefund(context: StripeContext, request: RefundRequest): Stripe.Refund {
  const charge = requireCharge(context, request.charge, 'charge');
  const amount = requireRefundable(charge, request.amount);
  // A refund the harness lined up to fail behaves as the refund-failure test card's do.
  const lined = context.runtime.harness.refundFailuresPending > 0;
  const behaviour = lined
    ? 'refund_fails'
    : behaviourOf(charge.payment_method_details?.card?.fingerprint).kind;
  if (lined) context.runtime.harness.refundFailuresPending -= 1;
  const id = context.ids.stripe('re_');
  const reversal =
    request.reverseTransfer === true ? reverseForRefund(context, charge, amount, id) : undefined;
  if (request.refundApplicationFee === true) refundFeeForRefund(context, charge, amount);
  const transaction = recordBalanceTransaction(context, {
    amount: -amount,
    currency: charge.currency,
    type: 'refund',
    source: id,
    reportingCategory: 'refund',
  });
  const refund: Stripe.Refund = {
    id,
    object: 'refund',
    amount,
    balance_transaction: transaction.id,
    charge: charge.id,
    created: context.nowFor(stringId(charge.customer)),
    currency: charge.currency,
    customer: stringId(charge.customer),
    customer_account: null,
    destination_details: {
      type: 'card',
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
    },
    metadata: mergeMetadata({}, request.metadata),
    payment_intent: stringId(charge.payment_intent),
    payment_method: charge.payment_method,
    reason: request.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: behaviour === 'refund_pending' ? 'pending' : 'succeeded',
    transfer_reversal: reversal?.id ?? null,
  };
  context.tx.put(refund);
  const refundedCharge = saveCharge(context, {
    ...charge,
    amount_refunded: charge.amount_refunded + amount,
    refunded: charge.amount_refunded + amount === charge.amount,
  });
  context.emit('refund.created', refund);
  context.emit('charge.refunded', refundedCharge, {
    amount_refunded: charge.amount_refunded,
    refunded: charge.refunded,
  });
  if (behaviour === 'refund_fails' || behaviour === 'refund_pending') {
    const outcome = behaviour === 'refund_fails' ? 'failed' : 'succeeded';
    context.later({
      label: `refund ${id} ${outcome}`,
      delayMs: refundSettleDelayMs,
      run: (later) => settleRefund(later, id, outcome),
    });
  }
  return refund;
}

/**
 * A refund reaches its final state later. A failed refund gives the money back to the balance
 * (`refund_failure`) and to the charge, after `charge.refunded` was already sent.
 */
export function settleRefund(
  context: StripeContext,
  id: string,
  outcome: 'succeeded' | 'failed',
): Stripe.Refund {
  const refund = requireRefund(context, id);
  if (refund.status === 'failed' || refund.status === 'canceled') return refund;
  if (outcome === 'succeeded') {
    const settled: Stripe.Refund = { ...refund, status: 'succeeded' };
    context.tx.put(settled);
    context.emit('refund.updated', settled, { status: refund.status });
    context.emit('charge.refund.updated', settled, { status: refund.status });
    return settled;
  }
  const returned = recordBalanceTransaction(context, {
    amount: refund.amount,
    currency: refund.currency,
    type: 'refund_failure',
    source: refund.id,
    reportingCategory: 'refund_failure',
  });
  const failed: Stripe.Refund = {
    ...refund,
    status: 'failed',
    failure_reason: 'expired_or_canceled_card',
    failure_balance_transaction: returned.id,
  };
  context.tx.put(failed);
  const charge = requireCharge(context, refund.charge as string);
  saveCharge(context, {
    ...charge,
    amount_refunded: charge.amount_refunded - refund.amount,
    refunded: false,
  });
  context.emit('refund.updated', failed, { status: refund.status });
  context.emit('charge.refund.updated', failed, { status: refund.status });
  context.emit('refund.failed', failed);
  return failed;
}

/** Loads a refund of the current account, or fails with Stripe's 404. */
export function requireRefund(context: StripeContext, id: string, param = 'id'): Stripe.Refund {
  const found = context.tx.get<Stripe.Refund>('refund', id);
  if (found === undefined) fail({ kind: 'resource_missing', objectName: 'refund', id, param });
  return found;
}

const createSchema = z.strictObject({
  charge: text().optional(),
  payment_intent: text().optional(),
  amount: int({ min: 1 }).optional(),
  reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  metadata: metadata.optional(),
  refund_application_fee: bool().optional(),
  reverse_transfer: bool().optional(),
  instructions_email: text().optional(),
  origin: z.literal('customer_balance').optional(),
  currency: text().optional(),
  customer: text().optional(),
  expand,
});

function chargeOfRequest(context: StripeContext, params: z.infer<typeof createSchema>): string {
  if (params.charge !== undefined) return params.charge;
  if (params.payment_intent === undefined) {
    fail({
      kind: 'invalid_request',
      message: 'One of the following params should be provided for this request: payment_intent or charge.',
    });
  }
  const intent = context.tx.get<Stripe.PaymentIntent>('payment_intent', params.payment_intent);
  if (intent === undefined) {
    fail({
      kind: 'resource_missing',
      objectName: 'payment_intent',
      id: params.payment_intent,
      param: 'payment_intent',
    });
  }
  if (intent.status !== 'succeeded' || intent.latest_charge === null) {
    fail({
      kind: 'invalid_request',
      code: 'charge_not_refundable',
      param: 'payment_intent',
      message: `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
    });
  }
  return stringId(intent.latest_charge)!;
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  return createRefund(context, {
    charge: chargeOfRequest(context, params),
    amount: params.amount,
    reason: params.reason,
    metadata: params.metadata,
    reverseTransfer: params.reverse_transfer,
    refundApplicationFee: params.refund_application_fee,
  });
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireRefund(context, path.id!);
};

const listQuery = z.strictObject({
  ...listParams,
  charge: text().optional(),
  payment_intent: text().optional(),
});

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const matches = (refund: Stripe.Refund) =>
    (params.charge === undefined || refund.charge === params.charge) &&
    (params.payment_intent === undefined || refund.payment_intent === params.payment_intent);
  const filters = [
    ['charge', params.charge],
    ['payment_intent', params.payment_intent],
  ] as const;
  return listPage(context.tx, params, 'refund', filters, matches, '/v1/refunds');
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(metadataOnly, context.params);
  const existing = requireRefund(context, path.id!);
  const updated: Stripe.Refund = {
    ...existing,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
  };
  context.tx.put(updated);
  context.emit('refund.updated', updated, changedAttributes(existing, updated));
  // Stripe still sends the older name of the same change beside it.
  context.emit('charge.refund.updated', updated, changedAttributes(existing, updated));
  return updated;
};

const cancel: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const existing = requireRefund(context, path.id!);
  // Card refunds are never `requires_action`, the one state Stripe lets a refund be canceled in.
  fail({
    kind: 'invalid_request',
    code: 'refund_unexpected_state',
    message: `Refund ${existing.id} cannot be canceled because it has a status of ${existing.status ?? 'unknown'}. Only refunds with a status of requires_action can be canceled.`,
  });
};

export const refundsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/refunds', handler: create },
  { method: 'GET', pattern: '/v1/refunds', handler: list },
  { method: 'GET', pattern: '/v1/refunds/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/refunds/:id', handler: update },
  { method: 'POST', pattern: '/v1/refunds/:id/cancel', handler: cancel },
];
