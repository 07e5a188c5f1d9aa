import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { scheduleAt } from '../billing/clocks.ts';
import { addIntervals, boundaryAfter, type BillingInterval } from '../billing/calendar.ts';
import { chargeInvoice } from '../billing/collection.ts';
import { finalizeInvoice } from '../billing/finalize.ts';
import { voidInvoiceNow } from '../billing/invoice-endings.ts';
import { withLines } from '../billing/invoice-objects.ts';
import { priceLines } from '../billing/invoice-pricing.ts';
import { sweepPendingItems } from '../billing/pending-items.ts';
import {
  scheduleRenewal,
  subscriptionDraft,
  subscriptionLines,
  type LinePlan,
  type Period,
} from '../billing/subscription-cycle.ts';
import { cadenceOf, withPeriod } from '../billing/subscription-objects.ts';
import { changedAttributes } from '../changed-attributes.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { customerOf } from '../customer-of.ts';
import { fail } from '../errors.ts';
import { expand, int, oneOf, parseParams } from '../params.ts';
import { anchorReset, prorationBehavior } from './subscriptions-params.ts';

const resumeSchema = z.strictObject({
  billing_cycle_anchor: anchorReset.optional(),
  payment_behavior: oneOf('payment_behavior', [
    'resume_on_payment_attempt',
    'resume_on_payment_success',
  ]).optional(),
  proration_behavior: prorationBehavior.optional(),
  proration_date: int({ min: 0 }).optional(),
  expand,
});

/** A resumption invoice not paid within 23 hours is voided, and the subscription stays paused. */
const resumptionExpiresAfterSeconds = 23 * 3600;

/**
 * The period a resumed subscription bills, and the share of it: from now for a full interval
 * (`billing_cycle_anchor=now`, the default), or the rest of the period its old anchor gives,
 * prorated unless `none`.
 */
function resumedPeriod(
  subscription: Stripe.Subscription,
  params: z.infer<typeof resumeSchema>,
  now: number,
): { readonly period: Period; readonly plan: LinePlan; readonly anchor: number } {
  const { interval, intervalCount } = cadenceOf(subscription.items.data.map((item) => item.price));
  const every = interval as BillingInterval;
  if ((params.billing_cycle_anchor ?? 'now') === 'now') {
    const period = { start: now, end: addIntervals(now, every, intervalCount) };
    return { period, plan: { licensed: period, metered: null, trial: false }, anchor: now };
  }
  const end = boundaryAfter(subscription.billing_cycle_anchor, every, intervalCount, now);
  const period = { start: addIntervals(end, every, -intervalCount), end };
  const from = params.proration_date ?? now;
  const fraction =
    params.proration_behavior === 'none'
      ? { numerator: 0, denominator: 1 }
      : { numerator: end - from, denominator: end - period.start };
  const plan = { licensed: period, metered: null, trial: false, fraction };
  return { period, plan, anchor: subscription.billing_cycle_anchor };
}

/**
 * `POST /v1/subscriptions/:id/resume`: a paused subscription (a trial that ended without a
 * payment method, say) starts a new period and a resumption invoice, finalized at once. It is
 * active again once that invoice is paid: charged in the request with `resume_on_payment_success`
 * (a decline leaves it paused), or when the integration pays it with `resume_on_payment_attempt`,
 * the default (a decline makes it past_due). Unpaid after 23 hours, the invoice is voided.
 */
const resume: StripeHandler = (context, path) => {
  const params = parseParams(resumeSchema, context.params);
  const existing = context.tx.get<Stripe.Subscription>('subscription', path.id!);
  if (existing === undefined) fail({ kind: 'resource_missing', objectName: 'subscription', id: path.id! });
  if (existing.status !== 'paused')
    fail({
      kind: 'invalid_request',
      message: `Subscription ${existing.id} is not paused, so it cannot be resumed.`,
    });
  if (existing.collection_method !== 'charge_automatically') {
    fail({
      kind: 'invalid_request',
      message: 'Resume is only available for subscriptions that use charge_automatically collection.',
    });
  }
  const now = context.nowFor(customerOf(existing));
  const { period, plan, anchor } = resumedPeriod(existing, params, now);
  const moved = { ...withPeriod(existing, period.start, period.end), billing_cycle_anchor: anchor };
  const draft = subscriptionDraft(context, moved, 'subscription_update', { start: now, end: now });
  const lines = [
    ...subscriptionLines(context, moved, draft.id, plan),
    ...sweepPendingItems(context, draft, moved.id),
  ];
  const invoice = withLines(draft, priceLines(context, draft, lines));
  const billed = context.tx.put({ ...moved, latest_invoice: invoice.id });
  context.emit('customer.subscription.updated', billed, changedAttributes(existing, billed));
  context.tx.put(invoice);
  context.emit('invoice.created', invoice);
  const finalized = finalizeInvoice(context, invoice);
  if (finalized.status === 'open') {
    // `resume_on_payment_attempt` waits for the integration to pay it (`invoices.pay`).
    if (params.payment_behavior === 'resume_on_payment_success')
      chargeInvoice(context, finalized, { automatic: false, pausedOnDecline: true });
    scheduleExpiry(context, finalized);
  }
  // Paid (or nothing due): markPaid has made it active.
  scheduleRenewal(context, context.tx.get<Stripe.Subscription>('subscription', existing.id)!);
  return context.tx.get<Stripe.Subscription>('subscription', existing.id);
};

function scheduleExpiry(context: StripeContext, invoice: Stripe.Invoice): void {
  scheduleAt(context, {
    customer: customerOf(invoice),
    atSeconds: invoice.created + resumptionExpiresAfterSeconds,
    label: `resumption invoice ${invoice.id} expires`,
    run: (job) => {
      const current = job.tx.get<Stripe.Invoice>('invoice', invoice.id);
      if (current?.status === 'open') voidInvoiceNow(job, current);
    },
  });
}

export const subscriptionResumeRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/subscriptions/:id/resume', handler: resume },
];
