import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { payOffSession, type OffSessionOutcome } from '../resources/payment-intents.ts';
import { balanceApplied } from './balance.ts';
import { scheduleAt } from './clocks.ts';
import { applyOutcome, chargeInvoice, failWithDecline } from './collection.ts';
import { finalizeInvoice } from './finalize.ts';
import { withLines } from './invoice-objects.ts';
import { priceLines } from './invoice-pricing.ts';
import { sweepPendingItems } from './pending-items.ts';
import {
  dueDated,
  scheduleRenewal,
  subscriptionDraft,
  subscriptionLines,
  type LinePlan,
} from './subscription-cycle.ts';
import { currentPeriod } from './subscription-objects.ts';
import { moveSubscription } from './subscription-status.ts';
import { customerOf } from '../customer-of.ts';

/** How the first payment is handled (`payment_behavior`). */
export type PaymentBehavior =
  'allow_incomplete' | 'default_incomplete' | 'error_if_incomplete' | 'pending_if_incomplete';

/** An incomplete subscription whose first invoice is still unpaid expires after 23 hours. */
export const incompleteExpiresAfterSeconds = 23 * 3600;

/**
 * Starts a new subscription: its first invoice (licensed items in advance, pending items swept
 * in) is finalized at once and, for automatic collection, charged per `payment_behavior`. With
 * `error_if_incomplete` the charge runs first, so a decline leaves no subscription behind.
 */
export function startSubscription(
  context: StripeContext,
  subscription: Stripe.Subscription,
  options: { readonly paymentBehavior: PaymentBehavior; readonly fraction?: LinePlan['fraction'] },
): Stripe.Subscription {
  const customer = context.tx.get<Stripe.Customer>('customer', customerOf(subscription))!;
  const trial = subscription.trial_end !== null;
  const at = { start: subscription.created, end: subscription.created };
  const draft = subscriptionDraft(context, subscription, 'subscription_create', at);
  const plan: LinePlan = {
    licensed: currentPeriod(subscription),
    metered: null,
    trial,
    ...(options.fraction === undefined ? {} : { fraction: options.fraction }),
  };
  const lines = [
    ...subscriptionLines(context, subscription, draft.id, plan),
    ...sweepPendingItems(context, draft, subscription.id),
  ];
  const dated = { ...dueDated(draft, subscription.days_until_due), automatically_finalizes_at: null };
  const invoice = withLines(dated, priceLines(context, dated, lines));
  const automatic = subscription.collection_method === 'charge_automatically';
  const prepaid =
    automatic && options.paymentBehavior === 'error_if_incomplete'
      ? chargeFirst(context, subscription, invoice, customer.balance)
      : undefined;
  const status: Stripe.Subscription.Status = trial ? 'trialing' : automatic ? 'incomplete' : 'active';
  const created: Stripe.Subscription = { ...subscription, status, latest_invoice: invoice.id };
  context.tx.put(created);
  context.emit('customer.subscription.created', created);
  context.tx.put(invoice);
  context.emit('invoice.created', invoice);
  const finalized = finalizeInvoice(context, invoice);
  if (finalized.status === 'open' && automatic) {
    if (prepaid !== undefined) applyOutcome(context, finalized, prepaid, false);
    else if (options.paymentBehavior !== 'default_incomplete')
      chargeInvoice(context, finalized, { automatic: false });
  }
  const started = context.tx.get<Stripe.Subscription>('subscription', subscription.id)!;
  if (started.status === 'incomplete') scheduleExpiry(context, started);
  scheduleRenewal(context, started);
  return started;
}

function chargeFirst(
  context: StripeContext,
  subscription: Stripe.Subscription,
  invoice: Stripe.Invoice,
  balance: number,
): OffSessionOutcome | undefined {
  const due = invoice.total + balanceApplied(balance, invoice.total);
  if (due <= 0) return undefined;
  const method = subscription.default_payment_method;
  const customer = context.tx.get<Stripe.Customer>('customer', customerOf(subscription))!;
  const fallback = customer.invoice_settings.default_payment_method;
  const outcome = payOffSession(context, {
    customer: customer.id,
    amount: due,
    currency: invoice.currency,
    description: 'Subscription creation',
    paymentMethod:
      (typeof method === 'string' ? method : method?.id) ??
      (typeof fallback === 'string' ? fallback : fallback?.id) ??
      null,
  });
  if (!outcome.ok) failWithDecline(outcome);
  return outcome;
}

function scheduleExpiry(context: StripeContext, subscription: Stripe.Subscription): void {
  scheduleAt(context, {
    customer: customerOf(subscription),
    atSeconds: subscription.created + incompleteExpiresAfterSeconds,
    label: `subscription ${subscription.id} incomplete expires`,
    run: (job) => expireIncomplete(job, subscription.id),
  });
}

/** The first invoice went unpaid for 23 h: it is voided and the subscription expires. */
function expireIncomplete(context: StripeContext, subscriptionId: string): void {
  const subscription = context.tx.get<Stripe.Subscription>('subscription', subscriptionId);
  if (subscription?.status !== 'incomplete') return;
  const now = context.nowFor(customerOf(subscription));
  const invoiceId = typeof subscription.latest_invoice === 'string' ? subscription.latest_invoice : null;
  const invoice = invoiceId === null ? undefined : context.tx.get<Stripe.Invoice>('invoice', invoiceId);
  if (invoice?.status === 'open') {
    const voided: Stripe.Invoice = {
      ...invoice,
      status: 'void',
      amount_remaining: 0,
      auto_advance: false,
      next_payment_attempt: null,
      status_transitions: { ...invoice.status_transitions, voided_at: now },
    };
    context.tx.put(voided);
    context.emit('invoice.voided', voided);
  }
  moveSubscription(context, subscriptionId, 'incomplete_expired', { ended_at: now });
}
