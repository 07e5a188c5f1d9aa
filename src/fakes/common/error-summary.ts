import type { JsonValue } from '../../sim/canonical-json.ts';
import type { PspResponse } from './psp-core.ts';

// The fields of each PSP's error envelope worth a journal line: Stripe's and Razorpay's `error`
// object, Adyen's top-level `errorCode`/`message`/`errorType`.
const kept = ['type', 'code', 'decline_code', 'param', 'message', 'description', 'field', 'reason'];
const adyenKept = ['status', 'errorCode', 'errorType', 'message'];
const textMax = 300;

/**
 * What a refused request was told, for its journal line: without it a user whose requests are
 * refused (an Adyen idempotency key over 64 characters, a Stripe parameter_unknown) cannot see
 * why in the report. Undefined for a 2xx/3xx answer.
 */
export function errorSummary(response: PspResponse): JsonValue | undefined {
  if (response.status < 400) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return { body: response.body.slice(0, textMax) };
  }
  if (typeof body !== 'object' || body === null) return { body: String(body).slice(0, textMax) };
  const error = (body as { error?: unknown }).error;
  const source = typeof error === 'object' && error !== null ? error : body;
  const keys = source === body ? adyenKept : kept;
  const summary: Record<string, JsonValue> = {};
  for (const key of keys) {
    const value = (source as Record<string, unknown>)[key];
    if (typeof value === 'string') summary[key] = value.slice(0, textMax);
    else if (typeof value === 'number' && key !== 'status') summary[key] = value;
  }
  return summary;
}

/** The `error` member of a response's journal line: present only when the request was refused. */
export function errorFields(response: PspResponse): { error?: JsonValue } {
  const error = errorSummary(response);
  return error === undefined ? {} : { error };
}
