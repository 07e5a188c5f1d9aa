import type { ApiFaultEffect } from '../common/faults.ts';
import type { PspResponse, PspResult } from '../common/psp-core.ts';
import { stripeError } from './errors.ts';

/** A JSON response as Stripe sends it (pretty-printed, as the real API does). */
export function render(status: number, body: unknown, headers: Record<string, string>): PspResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body, null, 2),
  };
}

/**
 * What the client gets under an API fault, or `undefined` when the request carries on
 * (latency and stalls only delay it).
 */
export function faultResult(effect: ApiFaultEffect, headers: Record<string, string>): PspResult | undefined {
  switch (effect.kind) {
    case 'latency':
    case 'stall':
      return undefined;
    case 'reset':
    case 'timeout':
      return { response: render(502, {}, headers), events: [], directive: { kind: effect.kind } };
    case 'rate_limit': {
      const rendered = stripeError({ kind: 'rate_limited' });
      const retryAfter = String(effect.retryAfterSeconds ?? 1);
      return {
        response: render(rendered.status, rendered.body, { ...headers, 'retry-after': retryAfter }),
        events: [],
      };
    }
    case 'server_error': {
      const rendered = stripeError({ kind: 'api_error' });
      return { response: render(effect.status ?? rendered.status, rendered.body, headers), events: [] };
    }
  }
}

/** How long an effect delays the request in virtual time. */
export function delayOf(effect: ApiFaultEffect | undefined): number {
  return effect?.kind === 'latency' || effect?.kind === 'stall' ? effect.delayMs : 0;
}
