import { PspFailure } from '../common/psp-failure.ts';
import { unmodelled } from '../common/unmodelled.ts';
import type { JsonValue } from '../../sim/canonical-json.ts';
import type { ErrorParts as Parts } from './error-parts.ts';
import {
  isSubscriptionError,
  subscriptionErrorParts,
  type SubscriptionErrorKind,
} from './subscription-errors.ts';

/**
 * Every error the fake Razorpay can answer with. {@link razorpayError} alone turns one into a
 * status and Razorpay's envelope; handlers only say which one happened.
 */
export type RazorpayErrorKind =
  | { readonly kind: 'api_key_missing' }
  | { readonly kind: 'api_key_invalid' }
  | { readonly kind: 'authentication_failed' }
  | { readonly kind: 'url_not_found'; readonly method: string; readonly path: string }
  | { readonly kind: 'method_not_allowed' }
  | { readonly kind: 'body_malformed' }
  | { readonly kind: 'field_required'; readonly field: string; readonly initiation?: boolean }
  | { readonly kind: 'field_not_integer'; readonly field: string; readonly initiation?: boolean }
  | { readonly kind: 'field_not_string'; readonly field: string }
  | { readonly kind: 'field_not_boolean'; readonly field: string }
  | { readonly kind: 'field_too_long'; readonly field: string; readonly lengthMax: number }
  | { readonly kind: 'field_invalid'; readonly field: string; readonly initiation?: boolean }
  | { readonly kind: 'field_extra'; readonly field: string }
  | { readonly kind: 'field_at_least'; readonly field: string; readonly min: number }
  | { readonly kind: 'field_at_most'; readonly field: string; readonly max: number }
  | { readonly kind: 'email_invalid'; readonly field: string }
  | { readonly kind: 'amount_too_small'; readonly currency: string }
  | { readonly kind: 'currency_unsupported' }
  | { readonly kind: 'notes_not_dictionary' }
  | { readonly kind: 'notes_too_many_keys' }
  | { readonly kind: 'notes_value_array' }
  | { readonly kind: 'notes_key_too_long' }
  | { readonly kind: 'notes_value_too_long' }
  | { readonly kind: 'id_not_found'; readonly initiation?: boolean }
  | { readonly kind: 'payment_already_captured'; readonly paymentId: string }
  | { readonly kind: 'capture_only_authorized'; readonly paymentId: string }
  | { readonly kind: 'capture_amount_mismatch'; readonly paymentId: string }
  | { readonly kind: 'capture_currency_mismatch'; readonly paymentId: string }
  | { readonly kind: 'refund_not_captured'; readonly paymentId: string }
  | { readonly kind: 'refund_fully_refunded'; readonly paymentId: string }
  | { readonly kind: 'refund_amount_too_large'; readonly paymentId: string }
  | { readonly kind: 'idempotency_key_invalid' }
  | { readonly kind: 'idempotency_mismatch' }
  | { readonly kind: 'idempotency_in_progress' }
  | { readonly kind: 'customer_exists' }
  | { readonly kind: 'order_already_paid'; readonly orderId: string }
  | { readonly kind: 'order_amount_mismatch'; readonly orderId: string }
  | { readonly kind: 'order_currency_mismatch'; readonly orderId: string }
  | { readonly kind: 'token_not_usable' }
  | { readonly kind: 'token_max_amount_exceeded' }
  | { readonly kind: 'refund_not_processed'; readonly refundId: string }
  | { readonly kind: 'rate_limited' }
  | { readonly kind: 'server_error' }
  | SubscriptionErrorKind;

/** A Razorpay error carried up from deep inside a handler. */
export class RazorpayFailure extends PspFailure<RazorpayErrorKind> {}

/** Throws the error: handlers validate with `fail(...)` and never build envelopes. */
export function fail(error: RazorpayErrorKind): never {
  throw new RazorpayFailure(error);
}

/** An error as Razorpay sends it: a status and `{error:{code, description, field, …}}`. */
export interface RenderedRazorpayError {
  readonly status: number;
  readonly body: { readonly error: Readonly<Record<string, JsonValue>> };
}

function payment(paymentId: string): Readonly<Record<string, string>> {
  return { payment_id: paymentId };
}

function order(orderId: string): Readonly<Record<string, string>> {
  return { order_id: orderId };
}

// Validation messages follow the Laravel wording Razorpay's API answers with.
function partsOf(error: Exclude<RazorpayErrorKind, SubscriptionErrorKind>): Parts {
  switch (error.kind) {
    case 'api_key_missing':
      return { status: 401, description: 'Please provide your api key for authentication purposes' };
    case 'api_key_invalid':
      return { status: 401, description: 'The api key provided is invalid' };
    case 'authentication_failed':
      return { status: 401, description: 'Authentication failed' };
    case 'url_not_found':
      return {
        description: `The requested URL was not found on the server ${unmodelled(error.method, error.path, 'Razorpay')}`,
      };
    case 'method_not_allowed':
      return { description: 'The current http method is not supported' };
    case 'body_malformed':
      // Razorpay documents no text for an unparsable body; this one says what was wrong.
      return { description: 'The request body could not be parsed as JSON' };
    case 'field_required':
      return { description: `The ${words(error.field)} field is required.`, ...at(error) };
    case 'field_not_integer':
      return { description: `The ${words(error.field)} must be an integer.`, ...at(error) };
    case 'field_not_string':
      return { description: `The ${words(error.field)} must be a string.`, field: error.field };
    case 'field_not_boolean':
      return { description: `The ${words(error.field)} field must be true or false.`, field: error.field };
    case 'field_too_long':
      return {
        description: `The ${words(error.field)} may not be greater than ${error.lengthMax} characters.`,
        field: error.field,
      };
    case 'field_invalid':
      return { description: `The selected ${words(error.field)} is invalid.`, ...at(error) };
    case 'field_extra':
      return { description: `${error.field} is/are not required and should not be sent`, field: error.field };
    case 'field_at_least':
      return { description: `The ${words(error.field)} must be at least ${error.min}.`, field: error.field };
    case 'field_at_most':
      return {
        description: `The ${words(error.field)} may not be greater than ${error.max}.`,
        field: error.field,
      };
    case 'email_invalid':
      return { description: 'The email must be a valid email address.', field: error.field };
    case 'amount_too_small':
      return { description: `The amount must be at least ${error.currency} 1.00`, field: 'amount' };
    case 'currency_unsupported':
      return { description: 'Currency is not supported', field: 'currency' };
    case 'notes_not_dictionary':
      return { description: 'Notes should be provided as a dictionary', field: 'notes' };
    case 'notes_too_many_keys':
      return { description: 'Number of fields in notes should be less than or equal to 15', field: 'notes' };
    case 'notes_value_array':
      return { description: 'Notes values themselves should not be an array', field: 'notes' };
    case 'notes_key_too_long':
      return { description: 'Notes key cannot be greater 255 characters', field: 'notes' };
    case 'notes_value_too_long':
      return { description: 'Notes value cannot be greater 512 characters', field: 'notes' };
    case 'id_not_found':
      return { description: 'The id provided does not exist', initiation: error.initiation === true };
    case 'payment_already_captured':
      return { description: 'This payment has already been captured.', metadata: payment(error.paymentId) };
    case 'capture_only_authorized':
      return {
        description: 'Only payments which have been authorized and not yet captured can be captured',
        metadata: payment(error.paymentId),
      };
    case 'capture_amount_mismatch':
      return {
        description: 'Capture amount must be equal to the amount authorized.',
        field: 'amount',
        metadata: payment(error.paymentId),
      };
    case 'capture_currency_mismatch':
      return {
        description: 'Capture request currency must be same as payment currency',
        field: 'currency',
        metadata: payment(error.paymentId),
      };
    case 'refund_not_captured':
      return {
        description: 'The payment status should be captured for action to be taken',
        metadata: payment(error.paymentId),
      };
    case 'refund_fully_refunded':
      return {
        description: 'The payment has been fully refunded already.',
        metadata: payment(error.paymentId),
      };
    case 'refund_amount_too_large':
      return {
        description: 'The refund amount provided is greater than amount captured.',
        field: 'amount',
        metadata: payment(error.paymentId),
      };
    case 'idempotency_key_invalid':
      return {
        description:
          'The idempotency key must be at least 10 characters long and contain only alphabets, numbers, hyphens and underscores',
        field: 'X-Refund-Idempotency',
      };
    case 'idempotency_mismatch':
      return { description: 'Different request with the same idempotency key has already been processed.' };
    case 'idempotency_in_progress':
      return {
        status: 409,
        description: 'Request failed because another request is in progress with the same Idempotency Key',
      };
    case 'customer_exists':
      return { description: 'Customer already exists for the merchant' };
    case 'order_already_paid':
      return {
        description: 'Payment already done for this order.',
        initiation: true,
        metadata: order(error.orderId),
      };
    case 'order_amount_mismatch':
      return {
        description: 'Payment amount provided does not match with the amount in order',
        field: 'amount',
        initiation: true,
        metadata: order(error.orderId),
      };
    case 'order_currency_mismatch':
      return {
        description: 'Payment currency provided does not match with the currency in order',
        field: 'currency',
        initiation: true,
        metadata: order(error.orderId),
      };
    case 'token_not_usable':
      return {
        description: 'Invalid token has been passed for recurring payment',
        field: 'token',
        initiation: true,
      };
    case 'token_max_amount_exceeded':
      return { description: 'Amount exceeds maximum amount allowed', field: 'amount', initiation: true };
    case 'refund_not_processed':
      return {
        description: 'Refund in an invalid state to be marked as failed',
        metadata: { refund_id: error.refundId },
      };
    case 'rate_limited':
      // Razorpay publishes no body for a 429; the research notes call it a throttling error.
      return { status: 429, description: 'Throttling Error' };
    case 'server_error':
      return {
        status: 500,
        code: 'SERVER_ERROR',
        description:
          'We are facing some trouble completing your request at the moment. Please try again shortly.',
      };
  }
}

function at(error: { readonly field: string; readonly initiation?: boolean }) {
  return { field: error.field, initiation: error.initiation === true };
}

/** `customer_id` → `customer id`, as Laravel names a field in its messages. */
function words(field: string): string {
  return field.replaceAll('_', ' ');
}

/**
 * The one place deciding status, code, description, field, source, step, reason and metadata
 * of a Razorpay error: 400 `BAD_REQUEST_ERROR` unless said otherwise, "NA" where Razorpay has
 * nothing to say, `business` / `payment_initiation` / `input_validation_failed` for a payment
 * refused at creation (as the recurring-payment docs show).
 *
 * @example
 * razorpayError({ kind: 'id_not_found' });
 * // { status: 400, body: { error: { code: 'BAD_REQUEST_ERROR', description: 'The id provided does not exist', … } } }
 */
export function razorpayError(error: RazorpayErrorKind): RenderedRazorpayError {
  const parts = isSubscriptionError(error) ? subscriptionErrorParts(error) : partsOf(error);
  const initiation = parts.initiation === true;
  return {
    status: parts.status ?? 400,
    body: {
      error: {
        code: parts.code ?? 'BAD_REQUEST_ERROR',
        description: parts.description,
        field: parts.field ?? null,
        source: initiation ? 'business' : 'NA',
        step: initiation ? 'payment_initiation' : 'NA',
        reason: initiation ? 'input_validation_failed' : 'NA',
        metadata: { ...parts.metadata },
      },
    },
  };
}
