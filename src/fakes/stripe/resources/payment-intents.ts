import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail, failAttempt } from '../errors.ts';
import { listPage } from '../list.ts';
import { expand, int, listParams, mergeMetadata, parseParams } from '../params.ts';
import { requireCharge, saveCharge, stringId } from './charges.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';
import { requireChargeAmount, requireCurrency } from './payment-amounts.ts';
import { createIntent, requireIntent } from './payment-intent-create.ts';
import { attemptPayment, captureCharge } from './payment-intent-flow.ts';
import { moveTo, type Attempt } from './payment-intent-status.ts';
import { confirmSchema, createSchema, parseCreate, updateSchema } from './payment-intent-params.ts';
import { resolvePaymentMethod } from './payment-methods.ts';
import { asJson } from '../../../sim/canonical-json.ts';

/** A payment the billing engine makes without the customer present (invoice collection). */
export interface OffSessionPayment {
  readonly customer: string;
  readonly amount: number;
  readonly currency: string;
  readonly paymentMethod: string | null;
  readonly description?: string;
  readonly metadata?: Record<string, string>;
}

/** How an off-session payment ended; a decline is a value, never a throw. */
export type OffSessionOutcome =
  | { readonly ok: true; readonly paymentIntent: Stripe.PaymentIntent }
  | {
      readonly ok: false;
      readonly paymentIntent: Stripe.PaymentIntent;
      readonly code: string;
      readonly declineCode: string | undefined;
      readonly message: string;
    };

/**
 * Creates and confirms a PaymentIntent off-session, with every write and event a
 * `POST /v1/payment_intents {confirm:true, off_session:true}` makes. A decline, or a card that
 * needs 3DS, is `{ ok: false }` with Stripe's code and decline code. With no payment method the
 * intent is created and left in `requires_payment_method`, and the outcome carries code
 * `resource_missing` with Stripe's "no attached payment source" message (what invoice payment
 * answers for such a customer).
 *
 * @example
 * const outcome = payOffSession(context, { customer: 'cus_1', amount: 2000, currency: 'usd',
 *   paymentMethod: 'pm_1' });
 * if (!outcome.ok) console.log(outcome.code, outcome.declineCode);
 */
export function payOffSession(context: StripeContext, payment: OffSessionPayment): OffSessionOutcome {
  const created = createIntent(context, {
    amount: payment.amount,
    currency: payment.currency,
    customer: payment.customer,
    payment_method: payment.paymentMethod ?? undefined,
    description: payment.description,
    metadata: payment.metadata,
    confirm: payment.paymentMethod !== null,
    off_session: true,
  });
  if (payment.paymentMethod === null) {
    return {
      ok: false,
      paymentIntent: created,
      code: 'resource_missing',
      declineCode: undefined,
      message:
        'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
    };
  }
  const attempt = attemptPayment(context, created, { offSession: true });
  if (attempt.kind === 'declined') {
    return {
      ok: false,
      paymentIntent: attempt.intent,
      code: attempt.decline.code,
      declineCode: attempt.decline.declineCode,
      message: attempt.decline.message,
    };
  }
  return { ok: true, paymentIntent: attempt.intent };
}

/** Renders a failed attempt as Stripe's 402 (the intent, already written, is committed). */
function answer(attempt: Attempt): Stripe.PaymentIntent {
  if (attempt.kind !== 'declined') return attempt.intent;
  const error = attempt.intent.last_payment_error!;
  failAttempt({
    kind: 'card_declined',
    code: attempt.decline.code,
    declineCode: attempt.decline.declineCode,
    message: attempt.decline.message,
    charge: error.charge!,
    paymentIntent: asJson(structuredClone(attempt.intent)),
    ...(error.payment_method === undefined
      ? {}
      : {
          paymentMethod: error.payment_method === null ? null : asJson(structuredClone(error.payment_method)),
        }),
  });
}

// A saved card is attached when the intent asks to keep it for later.
function saveForLater(context: StripeContext, intent: Stripe.PaymentIntent, offSession: boolean): void {
  const customer = stringId(intent.customer);
  if (customer === null || (intent.setup_future_usage === null && !offSession)) return;
  const method = context.tx.get<Stripe.PaymentMethod>('payment_method', intent.payment_method as string)!;
  if (method.customer !== null) return;
  if (intent.setup_future_usage === null) return;
  const attached = context.tx.put({ ...method, customer });
  context.emit('payment_method.attached', attached);
}

function confirmNow(
  context: StripeContext,
  intent: Stripe.PaymentIntent,
  offSession: boolean,
): Stripe.PaymentIntent {
  if (intent.payment_method === null) {
    fail({
      kind: 'invalid_request',
      code: 'payment_intent_unexpected_state',
      param: 'payment_method',
      message:
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with a customer's saved payment method, update it with the `payment_method` parameter or pass it on confirmation.",
    });
  }
  const attempt = attemptPayment(context, intent, { offSession });
  if (attempt.kind !== 'declined') saveForLater(context, attempt.intent, offSession);
  return answer(attempt);
}

const create: StripeHandler = (context) => {
  const params = parseCreate(context.params);
  if (params.off_session !== undefined && params.confirm !== true) {
    fail({
      kind: 'invalid_request',
      param: 'off_session',
      message: 'You may only specify `off_session` when `confirm` is true.',
    });
  }
  const intent = createIntent(context, params);
  return params.confirm === true
    ? confirmNow(context, intent, params.off_session !== undefined && params.off_session !== false)
    : intent;
};

const retrieveParams = z.strictObject({ expand, client_secret: z.string().optional() });

const retrieve: StripeHandler = (context, path) => {
  parseParams(retrieveParams, context.params);
  return requireIntent(context, path.id!);
};

const listQuery = z.strictObject({ ...listParams, customer: z.string().optional() });

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const matches = (intent: Stripe.PaymentIntent) =>
    params.customer === undefined || intent.customer === params.customer;
  const filters = [['customer', params.customer]] as const;
  return listPage(context.tx, params, 'payment_intent', filters, matches, '/v1/payment_intents');
};

const updatable = new Set<Stripe.PaymentIntent.Status>([
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
]);

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireIntent(context, path.id!);
  const onlyMetadata = Object.keys(params).every(
    (key) => key === 'metadata' || key === 'description' || key === 'expand',
  );
  if (!updatable.has(existing.status) && !onlyMetadata) {
    fail({
      kind: 'unexpected_state',
      code: 'payment_intent_unexpected_state',
      message: `This PaymentIntent's amount could not be updated because it has a status of ${existing.status}. You may only update the amount of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.`,
    });
  }
  const currency = params.currency === undefined ? existing.currency : requireCurrency(params.currency);
  const amount = params.amount === undefined ? existing.amount : requireChargeAmount(params.amount, currency);
  if (params.customer !== undefined) requireCustomer(context, params.customer, 'customer');
  const method =
    params.payment_method === undefined
      ? undefined
      : resolvePaymentMethod(context, params.payment_method, 'payment_method');
  let updated: Stripe.PaymentIntent = {
    ...existing,
    amount,
    currency,
    customer: params.customer ?? existing.customer,
    description: params.description ?? existing.description,
    metadata: mergeMetadata(existing.metadata, params.metadata),
    receipt_email: params.receipt_email ?? existing.receipt_email,
    statement_descriptor: params.statement_descriptor ?? existing.statement_descriptor,
    setup_future_usage:
      params.setup_future_usage === undefined
        ? existing.setup_future_usage
        : params.setup_future_usage || null,
    application_fee_amount: params.application_fee_amount ?? existing.application_fee_amount,
  };
  if (method !== undefined) {
    updated = moveTo(updated, 'requires_confirmation', { payment_method: method.id, next_action: null });
  }
  context.tx.put(updated);
  context.emit('payment_intent.updated', updated, changedAttributes(existing, updated));
  return updated;
};

const confirmable = new Set<Stripe.PaymentIntent.Status>([
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
]);

const confirm: StripeHandler = (context, path) => {
  const params = parseParams(confirmSchema, context.params);
  let intent = requireIntent(context, path.id!);
  if (!confirmable.has(intent.status)) {
    fail({
      kind: 'unexpected_state',
      code: 'payment_intent_unexpected_state',
      message: `This PaymentIntent's status is ${intent.status}, but it must be one of requires_payment_method, requires_confirmation, requires_action to be confirmed.`,
    });
  }
  if (params.payment_method !== undefined) {
    const method = resolvePaymentMethod(context, params.payment_method, 'payment_method');
    intent = { ...intent, payment_method: method.id };
  }
  if (params.setup_future_usage !== undefined)
    intent = { ...intent, setup_future_usage: params.setup_future_usage || null };
  if (params.capture_method !== undefined) intent = { ...intent, capture_method: params.capture_method };
  const offSession = params.off_session !== undefined && params.off_session !== false;
  return confirmNow(context, intent, offSession);
};

const captureParams = z.strictObject({
  amount_to_capture: int({ min: 1 }).optional(),
  application_fee_amount: int({ min: 0 }).optional(),
  metadata: createSchema.shape.metadata,
  statement_descriptor: z.string().optional(),
  final_capture: z.string().optional(),
  expand,
});

const capture: StripeHandler = (context, path) => {
  const params = parseParams(captureParams, context.params);
  const intent = requireIntent(context, path.id!);
  if (intent.status !== 'requires_capture') {
    fail({
      kind: 'unexpected_state',
      code: 'payment_intent_unexpected_state',
      message: `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
    });
  }
  const amount = params.amount_to_capture ?? intent.amount_capturable;
  if (amount > intent.amount_capturable) {
    fail({
      kind: 'invalid_request',
      param: 'amount_to_capture',
      code: 'amount_too_large',
      message: `The amount to capture (${amount}) must be less than or equal to the amount capturable (${intent.amount_capturable}).`,
    });
  }
  const charge = requireCharge(context, intent.latest_charge as string);
  const changed: Stripe.PaymentIntent = {
    ...intent,
    metadata: mergeMetadata(intent.metadata, params.metadata),
    application_fee_amount: params.application_fee_amount ?? intent.application_fee_amount,
  };
  return captureCharge(
    context,
    changed,
    { ...charge, application_fee_amount: changed.application_fee_amount },
    amount,
    true,
  );
};

const cancellable = new Set<Stripe.PaymentIntent.Status>([
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'requires_capture',
]);

const cancelParams = z.strictObject({
  cancellation_reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']).optional(),
  expand,
});

const cancel: StripeHandler = (context, path) => {
  const params = parseParams(cancelParams, context.params);
  const intent = requireIntent(context, path.id!);
  if (!cancellable.has(intent.status)) {
    fail({
      kind: 'unexpected_state',
      code: 'payment_intent_unexpected_state',
      message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
    });
  }
  if (intent.status === 'requires_capture') {
    // The authorization is released: the uncaptured charge shows as fully refunded.
    const charge = requireCharge(context, intent.latest_charge as string);
    saveCharge(context, { ...charge, amount_refunded: charge.amount, refunded: true });
  }
  const canceled = moveTo(intent, 'canceled', {
    amount_capturable: 0,
    canceled_at: context.nowSeconds,
    cancellation_reason: params.cancellation_reason ?? null,
    next_action: null,
  });
  context.tx.put(canceled);
  context.emit('payment_intent.canceled', canceled);
  return canceled;
};

export const paymentIntentsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/payment_intents', handler: create },
  { method: 'GET', pattern: '/v1/payment_intents', handler: list },
  { method: 'GET', pattern: '/v1/payment_intents/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/payment_intents/:id', handler: update },
  { method: 'POST', pattern: '/v1/payment_intents/:id/confirm', handler: confirm },
  { method: 'POST', pattern: '/v1/payment_intents/:id/capture', handler: capture },
  { method: 'POST', pattern: '/v1/payment_intents/:id/cancel', handler: cancel },
];
