import type { FaultAnswers } from '../common/fault-answers.ts';
import type { PspResponse } from '../common/psp-core.ts';
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
 * Razorpay's answers under API faults: its error envelope. Razorpay sends no Retry-After, so a
 * 429 carries one only when the fault plan names it.
 */
export const razorpayFaultAnswers: FaultAnswers = {
  dropped: () => render(502, {}),
  rateLimited: (seconds) =>
    renderError({ kind: 'rate_limited' }, seconds === undefined ? {} : { 'retry-after': String(seconds) }),
  serverError: (status) => {
    const rendered = razorpayError({ kind: 'server_error' });
    return render(status ?? rendered.status, rendered.body);
  },
};
