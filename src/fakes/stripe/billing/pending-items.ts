import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { customerOf } from '../customer-of.ts';
import { isDeleted } from '../store.ts';
import { invoiceItemLine } from './invoice-objects.ts';

/** Whether an invoice item is still waiting for an invoice. */
export function isPending(item: Stripe.InvoiceItem): boolean {
  return !isDeleted(item) && (item.invoice === null || item.invoice === undefined);
}

/**
 * Moves a customer's pending invoice items (those of no subscription, or of `subscription`)
 * onto an invoice: each gets the invoice's id, and a line is returned for it.
 */
export function sweepPendingItems(
  context: StripeContext,
  invoice: Stripe.Invoice,
  subscription: string | null,
): Stripe.InvoiceLineItem[] {
  const customer = typeof invoice.customer === 'string' ? invoice.customer : invoice.customer?.id;
  const swept = context.tx.where<Stripe.InvoiceItem>('invoiceitem', 'customer', customer).filter((item) => {
    if (!isPending(item) || item.customer !== customer || item.currency !== invoice.currency) return false;
    const owner = item.parent?.subscription_details?.subscription ?? null;
    return owner === null || owner === subscription;
  });
  return swept.map((item) => {
    context.tx.put({ ...item, invoice: invoice.id });
    return invoiceItemLine(context, item, invoice.id);
  });
}

/** Whether a subscription has invoice items of its own waiting for an invoice (its prorations). */
export function hasPendingItemsOf(context: StripeContext, subscription: Stripe.Subscription): boolean {
  return context.tx
    .where<Stripe.InvoiceItem>('invoiceitem', 'customer', customerOf(subscription))
    .some((item) => isPending(item) && item.parent?.subscription_details?.subscription === subscription.id);
}
