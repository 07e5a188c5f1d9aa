import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import { expand, expandOnly, listParams, mergeMetadata, metadata, parseParams, text } from '../params.ts';
import type { Decline } from '../test-cards.ts';
import { changedAttributes } from '../changed-attributes.ts';

/** How a charge attempt ended at the card network. */
export type ChargeResult =
  | { readonly kind: 'authorized'; readonly captured: boolean }
  | { readonly kind: 'declined'; readonly decline: Decline };

function outcomeOf(result: ChargeResult): Stripe.Charge.Outcome {
  const common = {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
  };
  if (result.kind === 'authorized') {
    return {
      ...common,
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      risk_score: 20,
      seller_message: 'Payment complete.',
      type: 'authorized',
    };
  }
  return {
    ...common,
    network_status: 'declined_by_network',
    reason: result.decline.declineCode,
    risk_level: 'normal',
    risk_score: 20,
    seller_message: 'The bank did not return any further details with this decline.',
    type: 'issuer_declined',
  };
}

function cardDetails(method: Stripe.PaymentMethod, amount: number): Stripe.Charge.PaymentMethodDetails {
  const card = method.card!;
  return {
    type: 'card',
    card: {
      amount_authorized: amount,
      authorization_code: null,
      brand: card.brand,
      checks: card.checks,
      country: card.country,
      electronic_commerce_indicator: null,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      fingerprint: card.fingerprint ?? null,
      funding: card.funding,
      installments: null,
      last4: card.last4,
      mandate: null,
      network: card.brand,
      network_transaction_id: null,
      regulated_status: card.regulated_status,
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
  };
}

/** Builds (does not store) the charge of one payment attempt of a PaymentIntent. */
export function buildCharge(
  context: StripeContext,
  intent: Stripe.PaymentIntent,
  method: Stripe.PaymentMethod,
  result: ChargeResult,
  idPrefix = 'ch_',
): Stripe.Charge {
  const id = context.ids.stripe(idPrefix);
  const succeeded = result.kind === 'authorized';
  const captured = succeeded && result.captured;
  return {
    id,
    object: 'charge',
    amount: intent.amount,
    amount_captured: captured ? intent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: intent.application_fee_amount,
    balance_transaction: null,
    billing_details: { ...method.billing_details },
    calculated_statement_descriptor: intent.statement_descriptor ?? 'FAKEPSP',
    captured,
    created: context.nowFor(stringId(intent.customer)),
    currency: intent.currency,
    customer: stringId(intent.customer),
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: succeeded ? null : result.decline.code,
    failure_message: succeeded ? null : result.decline.message,
    fraud_details: {},
    livemode: false,
    metadata: { ...intent.metadata },
    on_behalf_of: stringId(intent.on_behalf_of),
    outcome: outcomeOf(result),
    paid: succeeded,
    payment_intent: intent.id,
    payment_method: method.id,
    payment_method_details: cardDetails(method, intent.amount),
    receipt_email: intent.receipt_email,
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${id}`,
    refunded: false,
    refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/${id}/refunds` },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: intent.statement_descriptor,
    statement_descriptor_suffix: intent.statement_descriptor_suffix,
    status: succeeded ? 'succeeded' : 'failed',
    transfer_data:
      intent.transfer_data === null || intent.transfer_data === undefined
        ? null
        : { amount: intent.transfer_data.amount ?? null, destination: intent.transfer_data.destination },
    transfer_group: intent.transfer_group,
  };
}

/** The id of an expandable field. */
export function stringId(value: string | { readonly id?: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : (value.id ?? null);
}

/** Loads a charge of the current account, or fails with Stripe's 404. */
export function requireCharge(context: StripeContext, id: string, param = 'id'): Stripe.Charge {
  const found = context.tx.get<Stripe.Charge>('charge', id);
  if (found === undefined) fail({ kind: 'resource_missing', objectName: 'charge', id, param });
  return found;
}

/** Stores a new version of a charge with its refunds list rebuilt from the stored refunds. */
export function saveCharge(context: StripeContext, charge: Stripe.Charge): Stripe.Charge {
  const refunds = context.tx.where<Stripe.Refund>('refund', 'charge', charge.id).reverse();
  return context.tx.put({ ...charge, refunds: { ...charge.refunds!, data: refunds } });
}

const listSchema = z.strictObject({
  ...listParams,
  customer: text().optional(),
  payment_intent: text().optional(),
  transfer_group: text().optional(),
});
const updateSchema = z.strictObject({
  metadata: metadata.optional(),
  description: text().optional(),
  receipt_email: text().optional(),
  fraud_details: z.record(z.string(), z.string()).optional(),
  shipping: z.unknown().optional(),
  transfer_group: text().optional(),
  expand,
});

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireCharge(context, path.id!);
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (charge: Stripe.Charge) =>
    (params.customer === undefined || charge.customer === params.customer) &&
    (params.payment_intent === undefined || charge.payment_intent === params.payment_intent) &&
    (params.transfer_group === undefined || charge.transfer_group === params.transfer_group);
  const filters = [
    ['payment_intent', params.payment_intent],
    ['customer', params.customer],
  ] as const;
  return listPage(context.tx, params, 'charge', filters, matches, '/v1/charges');
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireCharge(context, path.id!);
  const updated: Stripe.Charge = {
    ...existing,
    metadata: mergeMetadata(existing.metadata, params.metadata),
    description: params.description ?? existing.description,
    receipt_email: params.receipt_email ?? existing.receipt_email,
    transfer_group: params.transfer_group ?? existing.transfer_group,
  };
  context.tx.put(updated);
  context.emit('charge.updated', updated, changedAttributes(existing, updated));
  return updated;
};

export const chargesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'GET', pattern: '/v1/charges', handler: list },
  { method: 'GET', pattern: '/v1/charges/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/charges/:id', handler: update },
];
