import { requestBytesMax } from '../common/psp-core.ts';
import { PspFailure } from '../common/psp-failure.ts';
import { unmodelled } from '../common/unmodelled.ts';
import type { JsonValue } from '../../sim/canonical-json.ts';

/** What Stripe says of a request body past {@link requestBytesMax}. */
export const bodyTooLarge = `Request body larger than ${requestBytesMax} bytes.`;

/** Every error the fake Stripe can answer with: a closed union, rendered only by {@link stripeError}. */
export type StripeErrorKind =
  | { readonly kind: 'api_key_missing' }
  | { readonly kind: 'api_key_invalid'; readonly key: string }
  | { readonly kind: 'live_key_refused'; readonly key: string }
  | { readonly kind: 'account_invalid'; readonly key: string; readonly account: string }
  | { readonly kind: 'unrecognized_url'; readonly method: string; readonly path: string }
  | {
      readonly kind: 'resource_missing';
      readonly objectName: string;
      readonly id: string;
      readonly param?: string;
    }
  | { readonly kind: 'parameter_unknown'; readonly param: string }
  | { readonly kind: 'parameter_missing'; readonly param: string }
  | {
      readonly kind: 'parameter_invalid';
      readonly param: string;
      readonly message: string;
      readonly code?: string;
    }
  | {
      readonly kind: 'invalid_request';
      readonly message: string;
      readonly param?: string;
      readonly code?: string;
    }
  | {
      readonly kind: 'unexpected_state';
      readonly message: string;
      readonly code: string;
      readonly param?: string;
    }
  | {
      readonly kind: 'card_declined';
      readonly code: string;
      readonly declineCode?: string;
      readonly message: string;
      readonly paymentIntent?: JsonValue;
      readonly setupIntent?: JsonValue;
      readonly charge?: string;
      readonly paymentMethod?: JsonValue;
      readonly advice?: string;
    }
  | { readonly kind: 'idempotency_mismatch'; readonly key: string }
  | { readonly kind: 'idempotency_in_use'; readonly key: string }
  | { readonly kind: 'rate_limited' }
  | { readonly kind: 'temporary_session_expired' }
  | { readonly kind: 'api_error'; readonly message?: string }
  | { readonly kind: 'body_malformed'; readonly message: string }
  | { readonly kind: 'upcoming_none'; readonly customer: string };

/** A rendered error: the HTTP status and Stripe's `{ error: {…} }` body. */
export interface StripeErrorResponse {
  readonly status: number;
  readonly body: { readonly error: Record<string, JsonValue> };
}

const docs = 'https://stripe.com/docs/error-codes/';

function redactKey(key: string): string {
  const visible = key.slice(-4);
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(0, key.length - prefix.length - 4))}${visible}`;
}

function invalidRequest(status: number, fields: Record<string, JsonValue | undefined>): StripeErrorResponse {
  const error: Record<string, JsonValue> = { type: 'invalid_request_error' };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) error[name] = value;
  if (typeof error.code === 'string') error.doc_url = docs + error.code.replaceAll('_', '-');
  return { status, body: { error } };
}

/**
 * The one place that decides a Stripe error's status, type, code, decline code and param.
 *
 * @example
 * stripeError({ kind: 'resource_missing', objectName: 'customer', id: 'cus_x' });
 * // { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', … } } }
 */
export function stripeError(error: StripeErrorKind): StripeErrorResponse {
  switch (error.kind) {
    case 'api_key_missing':
      return invalidRequest(401, {
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      });
    case 'api_key_invalid':
      return invalidRequest(401, { message: `Invalid API Key provided: ${redactKey(error.key)}` });
    case 'live_key_refused':
      return invalidRequest(401, {
        message: `Invalid API Key provided: ${redactKey(error.key)}. fakepsp accepts test-mode keys only (sk_test_… or rk_test_…).`,
      });
    case 'account_invalid':
      return invalidRequest(403, {
        code: 'account_invalid',
        message: `The provided key '${redactKey(error.key)}' does not have access to account '${error.account}' (or that account does not exist). Application access may have been revoked.`,
      });
    case 'unrecognized_url':
      return invalidRequest(404, {
        message: `Unrecognized request URL (${error.method}: ${error.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/. ${unmodelled(error.method, error.path, 'Stripe')}`,
      });
    case 'resource_missing':
      // A missing object named in the URL is a 404; one named in a parameter is a 400.
      return invalidRequest((error.param ?? 'id') === 'id' ? 404 : 400, {
        code: 'resource_missing',
        message: `No such ${error.objectName}: '${error.id}'`,
        param: error.param ?? 'id',
      });
    case 'parameter_unknown':
      return invalidRequest(400, {
        code: 'parameter_unknown',
        message: `Received unknown parameter: ${error.param}`,
        param: error.param,
      });
    case 'parameter_missing':
      return invalidRequest(400, {
        code: 'parameter_missing',
        message: `Missing required param: ${error.param}.`,
        param: error.param,
      });
    case 'parameter_invalid':
    case 'invalid_request':
    case 'unexpected_state':
      return invalidRequest(400, { code: error.code, message: error.message, param: error.param });
    case 'upcoming_none':
      return invalidRequest(404, {
        code: 'invoice_upcoming_none',
        message: `No upcoming invoices for customer: ${error.customer}`,
      });
    case 'card_declined':
      return cardError(error);
    case 'idempotency_mismatch':
    case 'idempotency_in_use':
      return idempotencyError(error);
    case 'rate_limited':
      return invalidRequest(429, {
        code: 'rate_limit',
        message:
          'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      });
    case 'temporary_session_expired':
      return {
        status: 401,
        body: {
          error: {
            type: 'temporary_session_expired',
            code: 'billing_meter_event_session_expired',
            message: 'The meter event session has expired. Create a new session.',
          },
        },
      };
    case 'api_error':
      return {
        status: 500,
        body: {
          error: {
            type: 'api_error',
            message: error.message ?? 'An unknown error occurred on our side. Please try again.',
          },
        },
      };
    case 'body_malformed':
      return invalidRequest(400, { message: error.message });
  }
}

function idempotencyError(
  error: Extract<StripeErrorKind, { kind: 'idempotency_mismatch' | 'idempotency_in_use' }>,
): StripeErrorResponse {
  if (error.kind === 'idempotency_mismatch') {
    return {
      status: 400,
      body: {
        error: {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${error.key}' if you meant to execute a different request.`,
        },
      },
    };
  }
  return {
    status: 409,
    body: {
      error: {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        doc_url: `${docs}idempotency-key-in-use`,
        message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${error.key}. Please try again later.`,
      },
    },
  };
}

function cardError(error: Extract<StripeErrorKind, { kind: 'card_declined' }>): StripeErrorResponse {
  const body: Record<string, JsonValue> = {
    type: 'card_error',
    code: error.code,
    doc_url: docs + error.code.replaceAll('_', '-'),
    message: error.message,
  };
  if (error.declineCode !== undefined) body.decline_code = error.declineCode;
  if (error.advice !== undefined) body.advice_code = error.advice;
  if (error.charge !== undefined) body.charge = error.charge;
  if (error.paymentIntent !== undefined) body.payment_intent = error.paymentIntent;
  if (error.setupIntent !== undefined) body.setup_intent = error.setupIntent;
  if (error.paymentMethod !== undefined) body.payment_method = error.paymentMethod;
  return { status: 402, body: { error: body } };
}

/** A thrown Stripe error: handlers throw it from deep inside validation; the core renders it. */
export class StripeFailure extends PspFailure<StripeErrorKind> {}

/** Throws a Stripe error value: for validation deep inside a handler. Nothing the request wrote stands. */
export function fail(error: StripeErrorKind): never {
  throw new StripeFailure(error);
}

/**
 * Throws the 402 of a payment or setup attempt that was declined: the attempt is an outcome, so
 * what it wrote (the intent with its last error, the failed charge, their events) commits.
 */
export function failAttempt(error: Extract<StripeErrorKind, { kind: 'card_declined' }>): never {
  throw new StripeFailure(error, { commits: true });
}

// Raised before an endpoint starts executing: Stripe saves no idempotent result for these.
const unsavedKinds = new Set<StripeErrorKind['kind']>([
  'parameter_unknown',
  'parameter_missing',
  'parameter_invalid',
  'body_malformed',
  'api_key_missing',
  'api_key_invalid',
  'live_key_refused',
  'rate_limited',
]);

/** Whether Stripe saves a request's error under its idempotency key (a replay then repeats it). */
export function savedUnderKey(error: StripeErrorKind): boolean {
  return !unsavedKinds.has(error.kind);
}
