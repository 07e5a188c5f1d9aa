import type { ApiFaultEffect } from '../common/faults.ts';
import type { PspResponse, PspResult } from '../common/psp-core.ts';
import { adyenError, type AdyenErrorKind } from './errors.ts';

/** A response as Adyen sends it: compact JSON (no body at all for a 204). */
export function render(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>>,
): PspResponse {
  if (status === 204) return { status, headers: { ...headers }, body: '' };
  return {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** An Adyen error rendered with the request's headers. */
export function renderError(
  error: AdyenErrorKind,
  pspReference: string,
  headers: Readonly<Record<string, string>>,
): PspResponse {
  const rendered = adyenError(error, pspReference);
  return render(rendered.status, rendered.body, { ...headers, ...rendered.headers });
}

/**
 * What the client gets under an API fault, or `undefined` when the request carries on
 * (latency and stalls only delay it). Errors keep Adyen's ServiceError shape.
 */
export function faultResult(
  effect: ApiFaultEffect,
  pspReference: string,
  headers: Readonly<Record<string, string>>,
): PspResult | undefined {
  switch (effect.kind) {
    case 'latency':
    case 'stall':
      return undefined;
    case 'reset':
    case 'timeout':
      return { response: render(502, {}, headers), events: [], directive: { kind: effect.kind } };
    case 'rate_limit': {
      const retryAfter = String(effect.retryAfterSeconds ?? 1);
      return {
        response: renderError({ kind: 'rate_limited' }, pspReference, {
          ...headers,
          'retry-after': retryAfter,
        }),
        events: [],
      };
    }
    case 'server_error': {
      const rendered = adyenError({ kind: 'internal' }, pspReference);
      const status = effect.status ?? rendered.status;
      return { response: render(status, { ...rendered.body, status }, headers), events: [] };
    }
  }
}

/** How long an effect delays the request in virtual time. */
export function delayOf(effect: ApiFaultEffect | undefined): number {
  return effect?.kind === 'latency' || effect?.kind === 'stall' ? effect.delayMs : 0;
}
