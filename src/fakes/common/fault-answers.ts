import type { ApiFaultEffect } from './faults.ts';
import type { PspResponse, PspResult } from './psp-core.ts';

/** How one PSP answers the API faults that answer at all, in its own error shapes. */
export interface FaultAnswers {
  /** The PSP's 429, with the Retry-After the fault names (or the PSP's default, if it sends one). */
  rateLimited(retryAfterSeconds: number | undefined): PspResponse;
  /** The PSP's server error, with the status the fault names. */
  serverError(status: number | undefined): PspResponse;
  /** What stands in for the answer of a dropped connection (the transport never sends it). */
  dropped(): PspResponse;
}

/**
 * What the client gets under an API fault, or `undefined` when the request carries on
 * (latency and stalls only delay it). A reset or timeout is a transport directive: the
 * connection is dropped with no answer, after or before the PSP acted.
 */
export function faultAnswer(effect: ApiFaultEffect, answers: FaultAnswers): PspResult | undefined {
  switch (effect.kind) {
    case 'latency':
    case 'stall':
      return undefined;
    case 'reset':
    case 'timeout':
      return { response: answers.dropped(), events: [], directive: { kind: effect.kind } };
    case 'rate_limit':
      return { response: answers.rateLimited(effect.retryAfterSeconds), events: [] };
    case 'server_error':
      return { response: answers.serverError(effect.status), events: [] };
  }
}
