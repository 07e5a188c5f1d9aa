import type Stripe from 'stripe';
import * as z from 'zod';
import type { StripeContext } from '../context.ts';
import { customerOf } from '../customer-of.ts';
import { fail } from '../errors.ts';
import { int, oneOf } from '../params.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { scheduleAt } from './clocks.ts';
import { finalizeInvoice } from './finalize.ts';
import { markUncollectibleNow, voidInvoiceNow } from './invoice-endings.ts';

/** `pause_collection` on a subscription update: how invoices are treated while paused; `''` resumes. */
export const pauseCollectionParam = z.union([
  z.literal(''),
  z.strictObject({
    behavior: oneOf('pause_collection[behavior]', ['keep_as_draft', 'mark_uncollectible', 'void']),
    resumes_at: int({ min: 0 }).optional(),
  }),
]);

/**
 * The subscription with its collection paused as asked (or resumed), the resumption scheduled at
 * `resumes_at`. The subscription stays `active`: only its invoices are treated differently.
 */
export function withPauseCollection(
  context: StripeContext,
  subscription: Stripe.Subscription,
  asked: z.infer<typeof pauseCollectionParam> | undefined,
): Stripe.Subscription {
  if (asked === undefined) return subscription;
  if (asked === '') return { ...subscription, pause_collection: null };
  const resumesAt = asked.resumes_at ?? null;
  if (resumesAt !== null) {
    if (resumesAt <= context.nowFor(customerOf(subscription))) {
      fail({
        kind: 'invalid_request',
        param: 'pause_collection[resumes_at]',
        message: 'pause_collection[resumes_at] must be in the future.',
      });
    }
    scheduleAt(context, {
      customer: customerOf(subscription),
      atSeconds: resumesAt,
      label: `subscription ${subscription.id} resumes collection`,
      run: (job) => resumeCollection(job, subscription.id, resumesAt),
    });
  }
  return { ...subscription, pause_collection: { behavior: asked.behavior, resumes_at: resumesAt } };
}

function resumeCollection(context: StripeContext, subscriptionId: string, resumesAt: number): void {
  const subscription = context.tx.get<Stripe.Subscription>('subscription', subscriptionId);
  // Stale: resumed, paused again with another date, or ended meanwhile.
  if (subscription?.pause_collection?.resumes_at !== resumesAt) return;
  const resumed: Stripe.Subscription = { ...subscription, pause_collection: null };
  context.tx.put(resumed);
  context.emit('customer.subscription.updated', resumed, changedAttributes(subscription, resumed));
}

/** A subscription's new invoice as a draft: one that will not finalize by itself while kept as a draft. */
export function pausedDraft(subscription: Stripe.Subscription, invoice: Stripe.Invoice): Stripe.Invoice {
  if (subscription.pause_collection?.behavior !== 'keep_as_draft') return invoice;
  return { ...invoice, auto_advance: false, automatically_finalizes_at: null };
}

/**
 * A subscription invoice made while its collection is paused, once stored: kept as a draft, or
 * finalized and at once voided or marked uncollectible, with nothing charged. Returns false when
 * collection is not paused: the invoice then goes its usual way.
 */
export function settlePaused(
  context: StripeContext,
  subscription: Stripe.Subscription,
  invoice: Stripe.Invoice,
): boolean {
  const behavior = subscription.pause_collection?.behavior;
  if (behavior === undefined) return false;
  if (behavior === 'keep_as_draft') return true;
  const finalized = finalizeInvoice(context, invoice);
  if (finalized.status !== 'open') return true;
  if (behavior === 'void') voidInvoiceNow(context, finalized);
  else markUncollectibleNow(context, finalized);
  return true;
}
