import type { FaultAnswers } from '../common/fault-answers.ts';
import type { PspResponse } from '../common/psp-core.ts';
import { stripeError, type StripeErrorKind } from './errors.ts';

/** A JSON response as Stripe sends it (pretty-printed, as the real API does). */
export function render(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>>,
): PspResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body, null, 2),
  };
}

/** A Stripe error as a response, with the request's headers. */
export function renderError(error: StripeErrorKind, headers: Readonly<Record<string, string>>): PspResponse {
  const rendered = stripeError(error);
  return render(rendered.status, rendered.body, headers);
}

/** Stripe's answers under API faults: its error envelope, a Retry-After of 1 s by default. */
export function stripeFaultAnswers(headers: Readonly<Record<string, string>>): FaultAnswers {
  return {
    dropped: () => render(502, {}, headers),
    rateLimited: (seconds) =>
      renderError({ kind: 'rate_limited' }, { ...headers, 'retry-after': String(seconds ?? 1) }),
    serverError: (status) => {
      const rendered = stripeError({ kind: 'api_error' });
      return render(status ?? rendered.status, rendered.body, headers);
    },
  };
}
