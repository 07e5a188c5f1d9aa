import { PspFailure } from '../common/psp-failure.ts';
import { unmodelled } from '../common/unmodelled.ts';
import type { Types } from '@adyen/api-library';
import type { Wire } from './wire.ts';

/**
 * Every error the fake Adyen can answer with: a closed union, rendered only by
 * {@link adyenError}. Codes and messages follow docs.adyen.com/development-resources/error-codes
 * and the Checkout spec's examples; where Adyen documents none (429, a 500 of our own), the
 * choice is marked.
 */
export type AdyenErrorKind =
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'merchant_invalid' }
  | { readonly kind: 'not_found'; readonly method: string; readonly path: string }
  | { readonly kind: 'method_not_allowed'; readonly method: string; readonly path: string }
  | { readonly kind: 'body_malformed'; readonly detail: string }
  | { readonly kind: 'body_too_large'; readonly bytesMax: number }
  | { readonly kind: 'field_invalid'; readonly field: string; readonly detail?: string }
  | { readonly kind: 'amount_missing' }
  | { readonly kind: 'amount_invalid' }
  | { readonly kind: 'currency_invalid' }
  | { readonly kind: 'reference_missing' }
  | { readonly kind: 'payment_method_missing' }
  | { readonly kind: 'payment_method_unsupported' }
  | { readonly kind: 'return_url_missing' }
  | { readonly kind: 'card_number_invalid' }
  | { readonly kind: 'decrypt_failed' }
  | { readonly kind: 'shopper_reference_required' }
  | { readonly kind: 'contract_not_found' }
  | { readonly kind: 'metadata_too_large' }
  | { readonly kind: 'original_reference_invalid' }
  /** A Checkout session or payment link no one made (fakepsp's code for a link, where Adyen documents none). */
  | { readonly kind: 'not_found_by_id'; readonly what: 'Session' | 'Payment link'; readonly id: string }
  | { readonly kind: 'idempotency_key_too_long'; readonly lengthMax: number }
  | { readonly kind: 'idempotency_in_progress' }
  | { readonly kind: 'rate_limited' }
  | { readonly kind: 'internal'; readonly status?: number | undefined };

/** Adyen's `ServiceError` body as sent. */
export type ServiceErrorBody = Wire<Types.checkout.ServiceError>;

/** A rendered error: the HTTP status, Adyen's body, and any headers it needs. */
export interface AdyenErrorResponse {
  readonly status: number;
  readonly body: ServiceErrorBody;
  readonly headers: Readonly<Record<string, string>>;
}

const internalErrorMessage = 'An internal error occurred, please retry';

type ErrorType = 'validation' | 'security' | 'configuration' | 'internal';

function rendered(
  status: number,
  errorCode: string,
  message: string,
  errorType: ErrorType,
  pspReference: string | undefined,
  headers: Readonly<Record<string, string>> = {},
): AdyenErrorResponse {
  // The SDK maps a body with an integer `status` to HttpClientException{statusCode, errorCode, apiError}.
  const body: ServiceErrorBody = { status, errorCode, message, errorType };
  return { status, body: pspReference === undefined ? body : { ...body, pspReference }, headers };
}

/**
 * The one place that decides an Adyen error's HTTP status, `errorCode`, `errorType` and
 * message. `pspReference` is the request's; Adyen puts it on errors past authentication.
 *
 * @example
 * adyenError({ kind: 'reference_missing' }, '8816118280275544');
 * // { status: 422, body: { status: 422, errorCode: '130', message: 'Reference Missing', … } }
 */
export function adyenError(error: AdyenErrorKind, pspReference?: string): AdyenErrorResponse {
  const psp = pspReference;
  switch (error.kind) {
    case 'unauthorized':
      return rendered(401, '000', 'HTTP Status Response - Unauthorized', 'security', undefined);
    case 'merchant_invalid':
      return rendered(403, '901', 'Invalid Merchant Account', 'security', psp);
    case 'not_found':
      return rendered(
        404,
        '000',
        `Not Found: ${error.method} ${error.path} ${unmodelled(error.method, error.path, 'Adyen')}`,
        'validation',
        undefined,
      );
    case 'method_not_allowed':
      return rendered(
        405,
        '000',
        `Method Not Allowed: ${error.method} ${error.path}`,
        'validation',
        undefined,
      );
    case 'body_malformed':
      return rendered(400, '702', `Unexpected input: ${error.detail}`, 'validation', undefined);
    case 'body_too_large':
      return rendered(
        413,
        '702',
        `Request Entity Too Large (max ${error.bytesMax} bytes)`,
        'validation',
        psp,
      );
    case 'field_invalid':
      return rendered(
        422,
        '702',
        error.detail ?? `Invalid value for field '${error.field}'`,
        'validation',
        psp,
      );
    case 'amount_missing':
      return rendered(422, '100', "Required object 'amount' is not provided.", 'validation', psp);
    case 'amount_invalid':
      return rendered(422, '137', 'Invalid amount specified', 'validation', psp);
    case 'currency_invalid':
      return rendered(422, '138', 'Unsupported currency specified', 'validation', psp);
    case 'reference_missing':
      return rendered(422, '130', 'Reference Missing', 'validation', psp);
    case 'payment_method_missing':
      return rendered(422, '14_006', "Required object 'paymentMethod' is not provided.", 'validation', psp);
    case 'payment_method_unsupported':
      return rendered(422, '905', 'Payment details are not supported', 'configuration', psp);
    case 'return_url_missing':
      return rendered(422, '14_030', 'Return URL is missing.', 'validation', psp);
    case 'card_number_invalid':
      return rendered(422, '101', 'Invalid card number', 'validation', psp);
    case 'decrypt_failed':
      return rendered(422, '174', 'Unable to decrypt data', 'validation', psp);
    case 'shopper_reference_required':
      return rendered(422, '000', 'Recurring payments require a shopperReference', 'validation', psp);
    case 'contract_not_found':
      return rendered(422, '800', 'Contract not found', 'validation', psp);
    case 'metadata_too_large':
      return rendered(422, '177', 'Metadata size exceeds limit', 'validation', psp);
    case 'original_reference_invalid':
      return rendered(422, '167', 'Original pspReference required for this operation', 'validation', psp);
    case 'not_found_by_id':
      return rendered(422, '000', `${error.what} not found: ${error.id}`, 'validation', psp);
    case 'idempotency_key_too_long':
      return rendered(
        400,
        '702',
        `Unexpected input: Idempotency-Key longer than ${error.lengthMax} characters`,
        'validation',
        undefined,
      );
    case 'idempotency_in_progress':
      // docs.adyen.com/development-resources/api-idempotency: retry later with the same key.
      return rendered(422, '704', 'request already processed or in progress', 'validation', psp, {
        'transient-error': 'true',
      });
    case 'rate_limited':
      // Adyen documents no 429 body; this keeps the ServiceError shape the SDK maps.
      return rendered(429, '000', 'Too Many Requests', 'internal', psp);
    case 'internal':
      // A 500 of Adyen's own has no documented code; 000 is Adyen's generic one.
      return rendered(error.status ?? 500, '000', internalErrorMessage, 'internal', psp);
  }
}

/** A thrown Adyen error: handlers throw it from validation; the core renders it. */
export class AdyenFailure extends PspFailure<AdyenErrorKind> {}

/** Throws an Adyen error value: for validation deep inside a handler. */
export function fail(error: AdyenErrorKind): never {
  throw new AdyenFailure(error);
}
