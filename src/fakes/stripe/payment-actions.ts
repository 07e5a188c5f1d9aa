import type Stripe from 'stripe';
import type { StripeRuntime } from './context.ts';
import { runWork } from './engine.ts';
import { fail } from './errors.ts';
import { requireCharge } from './resources/charges.ts';
import { closeDispute, openDisputeFor, requireDispute } from './resources/disputes.ts';
import { attemptPayment, failAuthentication } from './resources/payment-intent-flow.ts';
import { requireIntent } from './resources/payment-intent-create.ts';
import { createRefund, settleRefund } from './resources/refunds.ts';
import { platformScope } from './store.ts';

/** Where a harness action happens: the platform, or a connected account's id. */
interface Scoped {
  readonly scope?: string;
}

const scopeOf = (options: Scoped): string => options.scope ?? platformScope;

/**
 * The cardholder disputes a charge with their bank: the amount and fee leave the balance.
 *
 * @example
 * const dispute = openDispute(fake.runtime, { chargeId: 'ch_1', reason: 'product_not_received' });
 */
export function openDispute(
  runtime: StripeRuntime,
  options: Scoped & { readonly chargeId: string; readonly reason?: string },
): Stripe.Dispute {
  return runWork(
    runtime,
    { scope: scopeOf(options), label: `open dispute on ${options.chargeId}` },
    (context) => openDisputeFor(context, requireCharge(context, options.chargeId, 'charge'), options.reason),
  );
}

/** The bank rules for the merchant: the disputed amount comes back (`funds_reinstated`). */
export function winDispute(
  runtime: StripeRuntime,
  options: Scoped & { readonly disputeId: string },
): Stripe.Dispute {
  return runWork(runtime, { scope: scopeOf(options), label: `win dispute ${options.disputeId}` }, (context) =>
    closeDispute(context, requireDispute(context, options.disputeId), 'won'),
  );
}

/** The bank rules for the cardholder: the withdrawal stands. */
export function loseDispute(
  runtime: StripeRuntime,
  options: Scoped & { readonly disputeId: string },
): Stripe.Dispute {
  return runWork(
    runtime,
    { scope: scopeOf(options), label: `lose dispute ${options.disputeId}` },
    (context) => closeDispute(context, requireDispute(context, options.disputeId), 'lost'),
  );
}

/** Someone refunds a charge in the dashboard, outside the billing system (full by default). */
export function dashboardRefund(
  runtime: StripeRuntime,
  options: Scoped & { readonly chargeId: string; readonly amount?: number },
): Stripe.Refund {
  return runWork(
    runtime,
    { scope: scopeOf(options), label: `dashboard refund of ${options.chargeId}` },
    (context) =>
      createRefund(context, {
        charge: options.chargeId,
        amount: options.amount,
        reason: 'requested_by_customer',
      }),
  );
}

/** A refund that went out fails later: the card refuses it and the money comes back (`refund.failed`). */
export function failRefund(
  runtime: StripeRuntime,
  options: Scoped & { readonly refundId: string },
): Stripe.Refund {
  return runWork(runtime, { scope: scopeOf(options), label: `refund ${options.refundId} fails` }, (context) =>
    settleRefund(context, options.refundId, 'failed'),
  );
}

/** The next refund anyone makes (the service or the dashboard) fails later, as `failRefund` does. */
export function failNextRefund(runtime: StripeRuntime): { readonly pending: number } {
  runtime.harness.refundFailuresPending += 1;
  runtime.sim.journal.append({ kind: 'action', psp: 'stripe', data: { action: 'fail_next_refund' } });
  return { pending: runtime.harness.refundFailuresPending };
}

/** The customer completes (or fails) the 3D Secure challenge of a `requires_action` intent. */
export function completeThreeDs(
  runtime: StripeRuntime,
  options: Scoped & { readonly paymentIntentId: string; readonly outcome: 'pass' | 'fail' },
): Stripe.PaymentIntent {
  const label = `3DS ${options.outcome} on ${options.paymentIntentId}`;
  return runWork(runtime, { scope: scopeOf(options), label }, (context) => {
    const intent = requireIntent(context, options.paymentIntentId, 'payment_intent');
    if (intent.status !== 'requires_action') {
      fail({
        kind: 'unexpected_state',
        code: 'payment_intent_unexpected_state',
        message: `PaymentIntent ${intent.id} has status ${intent.status}, not requires_action.`,
      });
    }
    if (options.outcome === 'fail') return failAuthentication(context, intent);
    return attemptPayment(context, intent, { offSession: false, authenticated: true }).intent;
  });
}
