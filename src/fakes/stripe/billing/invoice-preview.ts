import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { beginWork } from '../engine.ts';
import { fail, StripeFailure } from '../errors.ts';
import { callEndpoint } from '../internal-call.ts';
import type { Params } from '../params.ts';
import { isDeleted } from '../store.ts';
import { finalizeInvoice } from './finalize.ts';
import { draftInvoice, embeddedList, withLines } from './invoice-objects.ts';
import { sweepPendingItems } from './pending-items.ts';
import { renewable, renewSubscription } from './subscription-cycle.ts';
import { currentPeriod } from './subscription-objects.ts';

/** What `POST /v1/invoices/create_preview` asks for, its params already checked. */
export interface PreviewRequest {
  readonly customer: string;
  readonly subscription: Stripe.Subscription | undefined;
  /** `subscription_details` as the subscription update (or create) would take them; none: unchanged. */
  readonly changes: Params | undefined;
  /** `invoice_items[]`, each as the invoice items API takes it. */
  readonly invoiceItems: readonly Params[];
  /** `preview_mode=recurring`: only the subscription's own recurring lines. */
  readonly recurringOnly: boolean;
  /** Before basil, a customer alone previewed the soonest of their subscriptions' renewals. */
  readonly acrossSubscriptions: boolean;
  /** The request's name for a param of the subscription change (`subscription_details[items]`). */
  readonly changeParam: (param: string) => string;
}

/**
 * The invoice Stripe Billing would make next, as a preview: the update asked for, the renewal
 * at the period's end (or a new subscription's first invoice) and the finalization's amounts
 * (metered usage so far, discounts, credit grants, taxes, the customer balance) are all run for
 * real, in a unit of work that is never committed. Nothing is stored, emitted or scheduled.
 */
export function previewInvoice(context: StripeContext, request: PreviewRequest): Stripe.Invoice {
  const box = sandbox(context);
  request.invoiceItems.forEach((item, index) => addInvoiceItem(box, request, item, index));
  const made = nextInvoice(box, request);
  if (made === undefined) fail({ kind: 'upcoming_none', customer: request.customer });
  return asPreview(context, made);
}

/** A context over its own unit of work, which the preview drops when it has read its invoice. */
function sandbox(context: StripeContext): StripeContext {
  return beginWork(context.runtime, {
    scope: context.tx.scope,
    params: context.params,
    requestId: context.requestId,
    idempotencyKey: context.idempotencyKey,
    apiVersion: context.apiVersion,
    apiKey: context.apiKey,
    nowSeconds: context.nowSeconds,
  }).context;
}

/** The same unit of work seen at another time: a renewal runs at its period's end. */
function at(box: StripeContext, seconds: number): StripeContext {
  return { ...box, nowSeconds: seconds, nowFor: () => seconds };
}

function nextInvoice(box: StripeContext, request: PreviewRequest): Stripe.Invoice | undefined {
  const { subscription, changes } = request;
  if (subscription !== undefined) {
    const updated = changes === undefined ? subscription : changed(box, request, subscription, changes);
    // Billed at once (`always_invoice`, `cancel_now`): that invoice is the next one.
    if (updated.latest_invoice !== subscription.latest_invoice)
      return finalized(box, latestInvoice(box, updated));
    if (updated.status === 'canceled') return undefined;
    return renewal(box, updated, request.recurringOnly);
  }
  if (changes?.items !== undefined) {
    const created = nested(request.changeParam, () =>
      callEndpoint<Stripe.Subscription>(box, 'POST', '/v1/subscriptions', {
        ...changes,
        customer: request.customer,
        payment_behavior: 'default_incomplete',
      }),
    );
    return latestInvoice(box, created);
  }
  const next = request.acrossSubscriptions ? soonestRenewing(box, request.customer) : undefined;
  if (next !== undefined) return renewal(box, next, request.recurringOnly);
  return request.recurringOnly ? undefined : pendingItemsInvoice(box, request.customer);
}

/**
 * The subscription as `subscription_details` changes it: an update, or with `cancel_now` a
 * cancellation that bills its usage so far and (unless `proration_behavior` is `none`) credits
 * the unused rest of the period.
 */
function changed(
  box: StripeContext,
  request: PreviewRequest,
  subscription: Stripe.Subscription,
  changes: Params,
): Stripe.Subscription {
  const { cancel_now: cancelNow, ...update } = changes as { cancel_now?: boolean } & Params;
  const path = `/v1/subscriptions/${subscription.id}`;
  return nested(request.changeParam, () =>
    cancelNow === true
      ? callEndpoint<Stripe.Subscription>(box, 'DELETE', path, {
          invoice_now: true,
          prorate: update.proration_behavior !== 'none',
        })
      : callEndpoint<Stripe.Subscription>(box, 'POST', path, update),
  );
}

/** The renewal at the subscription's period end, finalized there; none if it would not invoice. */
function renewal(
  box: StripeContext,
  subscription: Stripe.Subscription,
  recurringOnly: boolean,
): Stripe.Invoice | undefined {
  const end = currentPeriod(subscription).end;
  const later = at(box, end);
  renewSubscription(later, subscription.id, end);
  const renewed = later.tx.get<Stripe.Subscription>('subscription', subscription.id)!;
  if (renewed.latest_invoice === subscription.latest_invoice) return undefined;
  const draft = latestInvoice(later, renewed);
  if (!recurringOnly || draft.status !== 'draft') return finalized(later, draft);
  return finalizeInvoice(later, withLines(draft, draft.lines.data.filter(isRecurringLine)));
}

/** An invoice as finalization makes it: a draft finalized, one already past it (paused collection) as it is. */
function finalized(box: StripeContext, invoice: Stripe.Invoice): Stripe.Invoice {
  return invoice.status === 'draft' ? finalizeInvoice(box, invoice) : invoice;
}

function isRecurringLine(line: Stripe.InvoiceLineItem): boolean {
  return line.parent?.type === 'subscription_item_details';
}

function latestInvoice(box: StripeContext, subscription: Stripe.Subscription): Stripe.Invoice {
  const id = subscription.latest_invoice;
  return box.tx.get<Stripe.Invoice>('invoice', typeof id === 'string' ? id : id!.id)!;
}

/** Of a customer's subscriptions that will invoice again, the one whose period ends first. */
function soonestRenewing(box: StripeContext, customer: string): Stripe.Subscription | undefined {
  const live = box.tx
    .where<Stripe.Subscription>('subscription', 'customer', customer)
    .filter((subscription) => renewable.has(subscription.status));
  return live.sort((a, b) => currentPeriod(a).end - currentPeriod(b).end)[0];
}

/** With no subscription, the customer's pending invoice items make the next invoice. */
function pendingItemsInvoice(box: StripeContext, customerId: string): Stripe.Invoice | undefined {
  const customer = box.tx.get<Stripe.Customer>('customer', customerId)!;
  const pending = box.tx
    .where<Stripe.InvoiceItem>('invoiceitem', 'customer', customerId)
    .find((item) => !isDeleted(item) && (item.invoice ?? null) === null);
  if (pending === undefined) return undefined;
  const now = box.nowFor(customerId);
  const draft = draftInvoice(box, {
    customer,
    currency: pending.currency,
    billingReason: 'manual',
    collectionMethod: 'charge_automatically',
    autoAdvance: true,
    daysUntilDue: null,
    subscription: null,
    defaultPaymentMethod: null,
    description: null,
    metadata: {},
    periodStart: now,
    periodEnd: now,
  });
  const lines = sweepPendingItems(box, draft, null);
  return lines.length === 0 ? undefined : finalizeInvoice(box, withLines(draft, lines));
}

/** `invoice_items[]`: a new pending item, or (`invoiceitem`) a change to one, for this preview only. */
function addInvoiceItem(box: StripeContext, request: PreviewRequest, item: Params, index: number): void {
  const { invoiceitem, ...fields } = item as { invoiceitem?: string } & Params;
  nested(nestedUnder(`invoice_items[${index}]`), () => {
    if (invoiceitem !== undefined) {
      const existing = box.tx.get<Stripe.InvoiceItem>('invoiceitem', invoiceitem);
      if (existing === undefined || isDeleted(existing) || existing.customer !== request.customer)
        fail({ kind: 'resource_missing', objectName: 'invoiceitem', id: invoiceitem, param: 'invoiceitem' });
      return callEndpoint(box, 'POST', `/v1/invoiceitems/${invoiceitem}`, fields);
    }
    const owner = request.subscription === undefined ? {} : { subscription: request.subscription.id };
    return callEndpoint(box, 'POST', '/v1/invoiceitems', { ...fields, ...owner, customer: request.customer });
  });
}

/** A param's name inside another: `items[0][price]` under `x` is `x[items][0][price]`. */
export const nestedUnder =
  (prefix: string) =>
  (param: string): string =>
    param.replace(/^([^[]+)/, `${prefix}[$1]`);

/** Runs an internal call whose errors name their params as the preview's request does. */
function nested<T>(paramOf: (param: string) => string, call: () => T): T {
  try {
    return call();
  } catch (thrown) {
    if (!(thrown instanceof StripeFailure) || !('param' in thrown.error) || thrown.error.param === undefined)
      throw thrown;
    throw new StripeFailure({ ...thrown.error, param: paramOf(thrown.error.param) } as typeof thrown.error);
  }
}

/**
 * The invoice as a preview: Stripe's `upcoming_in_` id, `billing_reason: upcoming`, a draft that
 * was never finalized (no number, no payment, no ending balance), with finalization's amounts.
 */
function asPreview(context: StripeContext, invoice: Stripe.Invoice): Stripe.Invoice {
  const id = context.ids.stripe('upcoming_in_');
  const lines = invoice.lines.data.map((line) => ({
    ...line,
    id: context.ids.stripe('il_tmp_'),
    invoice: id,
  }));
  const automatic = invoice.collection_method === 'charge_automatically';
  return {
    ...invoice,
    id,
    billing_reason: 'upcoming',
    status: 'draft',
    number: null,
    amount_paid: 0,
    amount_remaining: invoice.amount_due,
    attempt_count: 0,
    attempted: false,
    automatically_finalizes_at: invoice.created + 3600,
    effective_at: null,
    ending_balance: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    next_payment_attempt: automatic ? invoice.created + 3600 : null,
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    lines: embeddedList(lines, `/v1/invoices/${id}/lines`),
  };
}
