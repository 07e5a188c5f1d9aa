import * as z from 'zod';
import type { JsonValue } from '../../sim/canonical-json.ts';
import type { AdminAction } from '../common/admin.ts';
import { completeCheckoutSession, expireCheckoutSession, failCheckoutSession } from './checkout/actions.ts';
import type { StripeRuntime } from './context.ts';
import { stripeError, StripeFailure } from './errors.ts';
import {
  completeThreeDs,
  dashboardRefund,
  failNextRefund,
  failRefund,
  loseDispute,
  openDispute,
  winDispute,
} from './payment-actions.ts';
import { runWork } from './engine.ts';
import { openPaymentLink } from './resources/payment-links.ts';
import { platformScope } from './store.ts';

const scope = { account: z.string().optional() };

/**
 * The PSP-side actors the admin API exposes (`POST /_fakepsp/actions/<name>`): what a
 * cardholder, a bank or someone in the dashboard does, outside the billing system.
 */
export function stripeAdminActions(runtime: StripeRuntime): Readonly<Record<string, AdminAction>> {
  const action =
    <S extends z.ZodType>(schema: S, run: (input: z.infer<S>) => unknown): AdminAction =>
    (body) => {
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return {
          status: 400,
          body: { error: { type: 'fakepsp_admin', message: `${issue.path.join('.')}: ${issue.message}` } },
        };
      }
      try {
        return { status: 200, body: run(parsed.data) as JsonValue };
      } catch (error) {
        if (!(error instanceof StripeFailure)) throw error;
        const rendered = stripeError(error.error);
        return { status: rendered.status, body: rendered.body };
      }
    };
  const at = (account: string | undefined) => (account === undefined ? {} : { scope: account });
  return {
    open_dispute: action(
      z.strictObject({ ...scope, charge: z.string(), reason: z.string().optional() }),
      (input) =>
        openDispute(runtime, {
          ...at(input.account),
          chargeId: input.charge,
          ...(input.reason === undefined ? {} : { reason: input.reason }),
        }),
    ),
    win_dispute: action(z.strictObject({ ...scope, dispute: z.string() }), (input) =>
      winDispute(runtime, { ...at(input.account), disputeId: input.dispute }),
    ),
    lose_dispute: action(z.strictObject({ ...scope, dispute: z.string() }), (input) =>
      loseDispute(runtime, { ...at(input.account), disputeId: input.dispute }),
    ),
    fail_refund: action(z.strictObject({ ...scope, refund: z.string() }), (input) =>
      failRefund(runtime, { ...at(input.account), refundId: input.refund }),
    ),
    fail_next_refund: action(z.strictObject({}), () => failNextRefund(runtime)),
    dashboard_refund: action(
      z.strictObject({ ...scope, charge: z.string(), amount: z.number().int().positive().optional() }),
      (input) =>
        dashboardRefund(runtime, {
          ...at(input.account),
          chargeId: input.charge,
          ...(input.amount === undefined ? {} : { amount: input.amount }),
        }),
    ),
    complete_3ds: action(
      z.strictObject({ ...scope, payment_intent: z.string(), outcome: z.enum(['pass', 'fail']) }),
      (input) =>
        completeThreeDs(runtime, {
          ...at(input.account),
          paymentIntentId: input.payment_intent,
          outcome: input.outcome,
        }),
    ),
    complete_checkout: action(
      z.strictObject({
        ...scope,
        session: z.string(),
        payment_method: z.string().optional(),
        email: z.string().optional(),
      }),
      (input) =>
        completeCheckoutSession(runtime, {
          ...at(input.account),
          sessionId: input.session,
          ...(input.payment_method === undefined ? {} : { paymentMethod: input.payment_method }),
          ...(input.email === undefined ? {} : { email: input.email }),
        }),
    ),
    fail_checkout: action(
      z.strictObject({ ...scope, session: z.string(), payment_method: z.string().optional() }),
      (input) =>
        failCheckoutSession(runtime, {
          ...at(input.account),
          sessionId: input.session,
          ...(input.payment_method === undefined ? {} : { paymentMethod: input.payment_method }),
        }),
    ),
    open_payment_link: action(z.strictObject({ ...scope, payment_link: z.string() }), (input) =>
      runWork(
        runtime,
        { scope: input.account ?? platformScope, label: `open ${input.payment_link}` },
        (context) => openPaymentLink(context, input.payment_link),
      ),
    ),
    expire_checkout: action(
      z.strictObject({ ...scope, session: z.string() }),
      (input) => expireCheckoutSession(runtime, { ...at(input.account), sessionId: input.session }) ?? null,
    ),
  };
}
