import type { ApiFaultEffect } from '../common/faults.ts';
import type { PspResponse, PspResult } from '../common/psp-core.ts';
import { razorpayError, type RazorpayErrorKind } from './errors.ts';

/** A response as Razorpay sends it: compact JSON. */
export function render(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): PspResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** A Razorpay error as a response. */
export function renderError(
  error: RazorpayErrorKind,
  headers: Readonly<Record<string, string>> = {},
): PspResponse {
  const rendered = razorpayError(error);
  return render(rendered.status, rendered.body, headers);
}

/**
 * What the client gets under an API fault, or `undefined` when the request carries on (latency
 * and stalls only delay it). Errors keep Razorpay's envelope; Razorpay sends no Retry-After, so
 * a 429 carries one only when the fault plan names it.
 */
export function faultResult(effect: ApiFaultEffect): PspResult | undefined {
  switch (effect.kind) {
    case 'latency':
    case 'stall':
      return undefined;
    case 'reset':
    case 'timeout':
      return { response: render(502, {}), events: [], directive: { kind: effect.kind } };
    case 'rate_limit': {
      const retryAfter: Record<string, string> =
        effect.retryAfterSeconds === undefined ? {} : { 'retry-after': String(effect.retryAfterSeconds) };
      return { response: renderError({ kind: 'rate_limited' }, retryAfter), events: [] };
    }
    case 'server_error': {
      const rendered = razorpayError({ kind: 'server_error' });
      return { response: render(effect.status ?? rendered.status, rendered.body), events: [] };
    }
  }
}

/** How long an effect delays the request in virtual time. */
export function delayOf(effect: ApiFaultEffect | undefined): number {
  return effect?.kind === 'latency' || effect?.kind === 'stall' ? effect.delayMs : 0;
}
