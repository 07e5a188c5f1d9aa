import type { FaultAnswers } from '../common/fault-answers.ts';
import type { PspResponse } from '../common/psp-core.ts';
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

/** Adyen's answers under API faults: its ServiceError shape, a Retry-After of 1 s by default. */
export function adyenFaultAnswers(
  pspReference: string,
  headers: Readonly<Record<string, string>>,
): FaultAnswers {
  return {
    dropped: () => render(502, {}, headers),
    rateLimited: (seconds) =>
      renderError({ kind: 'rate_limited' }, pspReference, {
        ...headers,
        'retry-after': String(seconds ?? 1),
      }),
    serverError: (status) => {
      const rendered = adyenError({ kind: 'internal' }, pspReference);
      const answered = status ?? rendered.status;
      return render(answered, { ...rendered.body, status: answered }, headers);
    },
  };
}
