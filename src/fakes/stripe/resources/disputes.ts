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
  listParams,
  mergeMetadata,
  metadata,
  parseParams,
  text,
} from '../params.ts';
import { feeDetail, recordBalanceTransaction } from './balance-transactions.ts';
import { saveCharge, stringId } from './charges.ts';
import { changedAttributes } from '../changed-attributes.ts';

/** Stripe's dispute fee in the US: $15, withdrawn with the disputed amount. */
export const disputeFee = 1500;
/** How long a merchant has to respond: about three weeks. */
const responseWindowSeconds = 21 * 86_400;

const evidenceKeys = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy',
  'cancellation_policy_disclosure',
  'cancellation_rebuttal',
  'customer_communication',
  'customer_email_address',
  'customer_name',
  'customer_purchase_ip',
  'customer_signature',
  'duplicate_charge_documentation',
  'duplicate_charge_explanation',
  'duplicate_charge_id',
  'product_description',
  'receipt',
  'refund_policy',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
  'service_documentation',
  'shipping_address',
  'shipping_carrier',
  'shipping_date',
  'shipping_documentation',
  'shipping_tracking_number',
  'uncategorized_file',
  'uncategorized_text',
] as const;

function emptyEvidence(): Stripe.Dispute.Evidence {
  const evidence = Object.fromEntries(evidenceKeys.map((key) => [key, null]));
  return { ...evidence, enhanced_evidence: {} } as Stripe.Dispute.Evidence;
}

/** Dispute statuses from which no further change happens. */
const closed = new Set<string>(['won', 'lost', 'warning_closed', 'prevented']);

/**
 * Opens a dispute on a captured charge: the amount plus the dispute fee leave the balance
 * (`charge.dispute.funds_withdrawn`) and the charge is marked `disputed`. An inquiry
 * (`warning_needs_response`) moves no money until it would escalate.
 */
export function openDisputeFor(
  context: StripeContext,
  charge: Stripe.Charge,
  reason = 'fraudulent',
  caseType: 'chargeback' | 'inquiry' = 'chargeback',
): Stripe.Dispute {
  if (!charge.captured || charge.status !== 'succeeded') {
    fail({
      kind: 'invalid_request',
      message: `Charge ${charge.id} has not been captured and cannot be disputed.`,
    });
  }
  if (charge.disputed) {
    fail({ kind: 'invalid_request', message: `Charge ${charge.id} has already been disputed.` });
  }
  const id = context.ids.stripe('dp_');
  const amount = charge.amount - charge.amount_refunded;
  const inquiry = caseType === 'inquiry';
  const withdrawn = inquiry
    ? undefined
    : recordBalanceTransaction(context, {
        amount: -amount,
        currency: charge.currency,
        type: 'adjustment',
        source: id,
        reportingCategory: 'dispute',
        description: `Chargeback withdrawal for ${charge.id}`,
        fees: [feeDetail(disputeFee, charge.currency, 'stripe_fee', 'Dispute fee')],
      });
  const dispute: Stripe.Dispute = {
    id,
    object: 'dispute',
    amount,
    balance_transactions: withdrawn === undefined ? [] : [withdrawn],
    charge: charge.id,
    created: context.nowSeconds,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: context.nowSeconds + responseWindowSeconds,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: null,
    } as unknown as Stripe.Dispute.EvidenceDetails,
    intended_submission_method: null,
    is_charge_refundable: inquiry,
    livemode: false,
    metadata: {},
    payment_intent: stringId(charge.payment_intent),
    payment_method_details: {
      type: 'card',
      card: {
        brand: charge.payment_method_details?.card?.brand ?? 'visa',
        case_type: caseType,
        network_reason_code: '10.4',
      },
    } as Stripe.Dispute.PaymentMethodDetails,
    reason,
    status: inquiry ? 'warning_needs_response' : 'needs_response',
  };
  context.tx.put(dispute);
  const disputedCharge = saveCharge(context, { ...charge, disputed: true });
  context.emit('charge.dispute.created', dispute);
  if (!inquiry) context.emit('charge.dispute.funds_withdrawn', dispute);
  context.emit('charge.updated', disputedCharge, { disputed: false });
  return dispute;
}

/** Loads a dispute of the current account, or fails with Stripe's 404. */
export function requireDispute(context: StripeContext, id: string, param = 'id'): Stripe.Dispute {
  const found = context.tx.get<Stripe.Dispute>('dispute', id);
  if (found === undefined) fail({ kind: 'resource_missing', objectName: 'dispute', id, param });
  return found;
}

function requireOpen(dispute: Stripe.Dispute): void {
  if (closed.has(dispute.status)) {
    fail({
      kind: 'unexpected_state',
      code: 'charge_disputed',
      message: `This dispute is already closed (status '${dispute.status}').`,
    });
  }
}

/**
 * Closes a dispute. Won: the disputed amount comes back (`funds_reinstated`; the fee stays
 * with Stripe). Lost: the withdrawal stands.
 */
export function closeDispute(
  context: StripeContext,
  dispute: Stripe.Dispute,
  outcome: 'won' | 'lost',
): Stripe.Dispute {
  requireOpen(dispute);
  const transactions = [...dispute.balance_transactions];
  if (outcome === 'won') {
    transactions.push(
      recordBalanceTransaction(context, {
        amount: dispute.amount,
        currency: dispute.currency,
        type: 'adjustment',
        source: dispute.id,
        reportingCategory: 'dispute_reversal',
        description: `Chargeback reversal for ${stringId(dispute.charge)!}`,
      }),
    );
  }
  const updated: Stripe.Dispute = {
    ...dispute,
    balance_transactions: transactions,
    status: outcome,
    is_charge_refundable: false,
  };
  context.tx.put(updated);
  context.emit('charge.dispute.closed', updated, { status: dispute.status });
  if (outcome === 'won') context.emit('charge.dispute.funds_reinstated', updated);
  return updated;
}

const evidenceSchema = z.strictObject(
  Object.fromEntries(evidenceKeys.map((key) => [key, z.string().optional()])) as Record<
    (typeof evidenceKeys)[number],
    z.ZodOptional<z.ZodString>
  >,
);
const updateSchema = z.strictObject({
  evidence: evidenceSchema.optional(),
  metadata: metadata.optional(),
  submit: bool().optional(),
  expand,
});
const listSchema = z.strictObject({
  ...listParams,
  charge: text().optional(),
  payment_intent: text().optional(),
});

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireDispute(context, path.id!);
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (dispute: Stripe.Dispute) =>
    (params.charge === undefined || dispute.charge === params.charge) &&
    (params.payment_intent === undefined || dispute.payment_intent === params.payment_intent);
  return listPage(context.tx, params, 'dispute', [], matches, '/v1/disputes');
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireDispute(context, path.id!);
  requireOpen(existing);
  const evidence = { ...existing.evidence };
  for (const [key, value] of Object.entries(params.evidence ?? {})) {
    (evidence as Record<string, unknown>)[key] = value === '' ? null : value;
  }
  const submit = params.submit ?? true;
  const hasEvidence = Object.entries(evidence).some(
    ([key, value]) => key !== 'enhanced_evidence' && value !== null,
  );
  const updated: Stripe.Dispute = {
    ...existing,
    evidence,
    metadata: mergeMetadata(existing.metadata, params.metadata),
    evidence_details: {
      ...existing.evidence_details,
      has_evidence: hasEvidence,
      submission_count: existing.evidence_details.submission_count + (submit ? 1 : 0),
    },
    status: submit && params.evidence !== undefined ? 'under_review' : existing.status,
  };
  context.tx.put(updated);
  context.emit('charge.dispute.updated', updated, changedAttributes(existing, updated));
  return updated;
};

/** Closing (accepting) a dispute loses it; closing an inquiry ends it with nothing moved. */
const close: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const dispute = requireDispute(context, path.id!);
  if (!dispute.status.startsWith('warning_')) return closeDispute(context, dispute, 'lost');
  requireOpen(dispute);
  const closedInquiry: Stripe.Dispute = { ...dispute, status: 'warning_closed' };
  context.tx.put(closedInquiry);
  context.emit('charge.dispute.closed', closedInquiry, { status: dispute.status });
  return closedInquiry;
};

export const disputesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'GET', pattern: '/v1/disputes', handler: list },
  { method: 'GET', pattern: '/v1/disputes/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/disputes/:id', handler: update },
  { method: 'POST', pattern: '/v1/disputes/:id/close', handler: close },
];
