import * as z from 'zod';
import type { JsonValue } from '../../sim/canonical-json.ts';
import type { AdminAction } from '../common/admin.ts';
import { adyenError, AdyenFailure } from './errors.ts';
import {
  captureFailed,
  chargeback,
  chargebackReversed,
  dashboardRefund,
  failNext,
  lateAuthorisation,
  refundFailed,
} from './payment-actions.ts';
import type { AdyenRuntime } from './runtime.ts';
import { payPaymentLink } from './payment-links.ts';
import { completeSession } from './sessions.ts';
import { completeThreeDS } from './three-ds.ts';

const pspReference = z.string().min(1);
const amount = z.number().int().positive().optional();
const text = z.string().min(1).optional();
// Which payment's next modification fails: one payment, any in a merchant account, or any.
const nextFailure = z.strictObject({
  pspReference: pspReference.optional(),
  merchantAccount: text,
  reason: text,
});

/** Drops `undefined` members, for exactOptionalPropertyTypes. */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/**
 * The PSP-side actors the admin API exposes (`POST /_fakepsp/actions/<name>`): the card
 * scheme, the shopper's bank, someone in the Customer Area, a shopper in Drop-in or at their
 * issuer's 3D Secure challenge. Bodies are
 * validated (400 `fakepsp_admin` when wrong); an action Adyen would refuse answers with
 * Adyen's own error (e.g. 422 `167` for an unknown pspReference).
 */
export function adyenAdminActions(runtime: AdyenRuntime): Readonly<Record<string, AdminAction>> {
  const action =
    <S extends z.ZodType>(schema: S, run: (input: z.infer<S>) => unknown): AdminAction =>
    (body) => {
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where = issue.path.join('.') || '(body)';
        return {
          status: 400,
          body: { error: { type: 'fakepsp_admin', message: `${where}: ${issue.message}` } },
        };
      }
      try {
        const done = runtime.store.unit.run(() => run(parsed.data));
        return { status: 200, body: JSON.parse(JSON.stringify(done)) as JsonValue };
      } catch (error) {
        if (!(error instanceof AdyenFailure)) throw error;
        const rendered = adyenError(error.error);
        return { status: rendered.status, body: rendered.body };
      }
    };
  return {
    fail_next_capture: action(nextFailure, (input) =>
      failNext(runtime, defined({ ...input, operation: 'capture' as const })),
    ),
    fail_next_refund: action(nextFailure, (input) =>
      failNext(runtime, defined({ ...input, operation: 'refund' as const })),
    ),
    capture_failed: action(z.strictObject({ pspReference }), (input) => captureFailed(runtime, input)),
    refund_failed: action(z.strictObject({ pspReference }), (input) => refundFailed(runtime, input)),
    chargeback: action(z.strictObject({ pspReference, amount, reason: text, reasonCode: text }), (input) =>
      chargeback(runtime, defined(input)),
    ),
    chargeback_reversed: action(z.strictObject({ pspReference }), (input) =>
      chargebackReversed(runtime, input),
    ),
    dashboard_refund: action(z.strictObject({ pspReference, amount }), (input) =>
      dashboardRefund(runtime, defined(input)),
    ),
    late_authorisation: action(
      z.strictObject({ pspReference, outcome: z.enum(['authorised', 'refused']).default('authorised') }),
      (input) => lateAuthorisation(runtime, input),
    ),
    complete_3ds: action(
      z.strictObject({ pspReference, outcome: z.enum(['success', 'failure']).default('success') }),
      (input) => completeThreeDS(runtime, input),
    ),
    complete_session: action(
      z.strictObject({ sessionId: z.string().min(1), holderName: text, cardNumber: text }),
      (input) => completeSession(runtime, defined(input)),
    ),
    pay_payment_link: action(
      z.strictObject({ linkId: z.string().min(1), holderName: text, cardNumber: text }),
      (input) => payPaymentLink(runtime, defined(input)),
    ),
  };
}
