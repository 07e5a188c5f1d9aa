import type Stripe from 'stripe';
import { asJson } from '../../../sim/canonical-json.ts';
import type { StripeContext } from '../context.ts';
import { failAttempt } from '../errors.ts';
import { defaultSourcePaymentMethod } from '../resources/customer-sources.ts';
import { payOffSession, type OffSessionOutcome } from '../resources/payment-intents.ts';
import { scheduleAt } from './clocks.ts';
import { markPaid, recordInvoicePayment } from './settle.ts';
import { endedFields, invoiceSubscriptionId, moveSubscription } from './subscription-status.ts';
import { customerOf } from '../customer-of.ts';

/**
 * Automatic collection's retry schedule after a failed attempt, in days after the previous
 * attempt (a fixed stand-in for Smart Retries, like a custom dashboard schedule): attempts on
 * day 0, 3, 8 and 15. After the last failure the subscription is canceled
 * ({@link dunningFinalAction}) and the invoice stays open with collection stopped.
 */
export const invoiceRetryDelaysDays: readonly number[] = [3, 5, 7];

/** What happens to a subscription when every retry of its invoice failed. */
export const dunningFinalAction = 'cancel' as const;

const daySeconds = 86_400;

/** The payment method an invoice is charged with: the invoice's, its subscription's, then the customer's. */
export function invoicePaymentMethod(context: StripeContext, invoice: Stripe.Invoice): string | null {
  const own = invoice.default_payment_method;
  if (own !== null) return typeof own === 'string' ? own : own.id;
  const subscriptionId = invoiceSubscriptionId(invoice);
  const subscription =
    subscriptionId === null ? undefined : context.tx.get<Stripe.Subscription>('subscription', subscriptionId);
  const fromSubscription = subscription?.default_payment_method ?? null;
  if (fromSubscription !== null)
    return typeof fromSubscription === 'string' ? fromSubscription : fromSubscription.id;
  const customer = context.tx.get<Stripe.Customer>('customer', customerOf(invoice));
  const fromCustomer = customer?.invoice_settings?.default_payment_method ?? null;
  if (fromCustomer === null) return defaultSourcePaymentMethod(context, customerOf(invoice));
  return typeof fromCustomer === 'string' ? fromCustomer : fromCustomer.id;
}

function paymentDescription(invoice: Stripe.Invoice): string | undefined {
  if (invoice.billing_reason === 'subscription_create') return 'Subscription creation';
  if (invoice.billing_reason === 'subscription_cycle') return 'Subscription update';
  return undefined;
}

/** Charges an open invoice's remaining amount off-session (a `$0` remainder is simply paid). */
export function chargeInvoice(
  context: StripeContext,
  invoice: Stripe.Invoice,
  options: {
    readonly paymentMethod?: string | undefined;
    readonly automatic: boolean;
    /** `resume_on_payment_success`: a decline leaves the paused subscription paused, not past_due. */
    readonly pausedOnDecline?: boolean;
  },
): { readonly invoice: Stripe.Invoice; readonly outcome: OffSessionOutcome | null } {
  if (invoice.amount_remaining === 0) return { invoice: markPaid(context, invoice, {}), outcome: null };
  const description = paymentDescription(invoice);
  const outcome = payOffSession(context, {
    customer: customerOf(invoice),
    amount: invoice.amount_remaining,
    currency: invoice.currency,
    paymentMethod: options.paymentMethod ?? invoicePaymentMethod(context, invoice),
    ...(description === undefined ? {} : { description }),
  });
  const applied = applyOutcome(context, invoice, outcome, options.automatic, options.pausedOnDecline);
  return { invoice: applied, outcome };
}

/** Applies a payment attempt's outcome to an invoice (used when the charge ran first). */
export function applyOutcome(
  context: StripeContext,
  invoice: Stripe.Invoice,
  outcome: OffSessionOutcome,
  automatic: boolean,
  pausedOnDecline = false,
): Stripe.Invoice {
  if (outcome.ok) return markPaid(context, invoice, { paymentIntent: outcome.paymentIntent });
  return recordFailure(context, invoice, outcome.paymentIntent, automatic, pausedOnDecline);
}

function recordFailure(
  context: StripeContext,
  invoice: Stripe.Invoice,
  paymentIntent: Stripe.PaymentIntent,
  automatic: boolean,
  pausedOnDecline: boolean,
): Stripe.Invoice {
  const now = context.nowFor(customerOf(invoice));
  const attempts = invoice.attempt_count + 1;
  const retries =
    automatic && invoice.auto_advance === true && invoice.billing_reason !== 'subscription_create';
  const delayDays = invoiceRetryDelaysDays[attempts - 1];
  const nextAttempt = retries && delayDays !== undefined ? now + delayDays * daySeconds : null;
  const failed: Stripe.Invoice = {
    ...recordInvoicePayment(context, invoice, paymentIntent, false),
    attempt_count: attempts,
    attempted: true,
    next_payment_attempt: automatic ? nextAttempt : invoice.next_payment_attempt,
  };
  context.tx.put(failed);
  // A card that needs 3DS cannot be charged off-session: the customer must act.
  if (paymentIntent.last_payment_error?.code === 'authentication_required') {
    context.emit('invoice.payment_action_required', failed);
  }
  context.emit('invoice.payment_failed', failed);
  const subscription = invoiceSubscriptionId(failed);
  if (subscription !== null && invoice.billing_reason !== 'subscription_create' && !pausedOnDecline) {
    moveSubscription(context, subscription, 'past_due');
  }
  if (nextAttempt !== null) {
    scheduleAt(context, {
      customer: customerOf(failed),
      atSeconds: nextAttempt,
      label: `invoice ${failed.id} retry ${attempts}`,
      run: (job) => retryInvoice(job, failed.id, attempts),
    });
  } else if (retries && subscription !== null) {
    endAfterDunning(context, subscription, now);
  }
  return failed;
}

function retryInvoice(context: StripeContext, invoiceId: string, attemptsSoFar: number): void {
  const invoice = context.tx.get<Stripe.Invoice>('invoice', invoiceId);
  // Stale: paid, voided, collection stopped, or someone else attempted meanwhile.
  if (invoice?.status !== 'open' || invoice.auto_advance !== true || invoice.attempt_count !== attemptsSoFar)
    return;
  chargeInvoice(context, invoice, { automatic: true });
}

/** Every retry failed: cancel the subscription and stop collecting its open invoices. */
function endAfterDunning(context: StripeContext, subscriptionId: string, now: number): void {
  moveSubscription(context, subscriptionId, 'canceled', endedFields(now, 'payment_failed'));
  stopCollection(context, subscriptionId);
}

/** Turns off automatic collection on a subscription's open invoices (what cancellation does). */
export function stopCollection(context: StripeContext, subscriptionId: string): void {
  for (const invoice of context.tx.where<Stripe.Invoice>('invoice', invoiceSubscriptionId, subscriptionId)) {
    if (
      invoice.status !== 'open' ||
      invoiceSubscriptionId(invoice) !== subscriptionId ||
      invoice.auto_advance !== true
    ) {
      continue;
    }
    const stopped: Stripe.Invoice = { ...invoice, auto_advance: false, next_payment_attempt: null };
    context.tx.put(stopped);
    context.emit('invoice.updated', stopped, {
      auto_advance: true,
      next_payment_attempt: invoice.next_payment_attempt,
    });
  }
}

/** Throws the 402 card error of a failed attempt, with its PaymentIntent embedded. */
export function failWithDecline(outcome: Extract<OffSessionOutcome, { ok: false }>): never {
  const charge = outcome.paymentIntent.latest_charge;
  failAttempt({
    kind: 'card_declined',
    code: outcome.code,
    ...(outcome.declineCode === undefined ? {} : { declineCode: outcome.declineCode }),
    message: outcome.message,
    paymentIntent: asJson(outcome.paymentIntent),
    ...(charge === null ? {} : { charge: typeof charge === 'string' ? charge : charge.id }),
  });
}
