import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { scheduleAt } from './clocks.ts';
import { chargeInvoice } from './collection.ts';
import { finalizeInvoice } from './finalize.ts';
import { customerOf } from '../customer-of.ts';

/**
 * Auto-advance: a draft with `auto_advance` is finalized at `automatically_finalizes_at` (1 h
 * after `invoice.created`), then charged at once if it collects automatically.
 */
export function scheduleAutoFinalize(context: StripeContext, invoice: Stripe.Invoice): void {
  if (invoice.automatically_finalizes_at === null) return;
  scheduleAt(context, {
    customer: customerOf(invoice),
    atSeconds: invoice.automatically_finalizes_at,
    label: `invoice ${invoice.id} auto-finalizes`,
    run: (job) => autoFinalize(job, invoice.id),
  });
}

function autoFinalize(context: StripeContext, invoiceId: string): void {
  const invoice = context.tx.get<Stripe.Invoice>('invoice', invoiceId);
  // Stale: deleted, finalized by hand meanwhile, or auto-advance turned off.
  if (invoice?.status !== 'draft' || invoice.auto_advance !== true) return;
  const finalized = finalizeInvoice(context, invoice);
  if (finalized.status === 'open' && finalized.collection_method === 'charge_automatically') {
    chargeInvoice(context, finalized, { automatic: true });
  }
}

/** After a manual finalize with `auto_advance`: the first automatic attempt, as soon as time moves. */
export function scheduleCollection(context: StripeContext, invoice: Stripe.Invoice): void {
  scheduleAt(context, {
    customer: customerOf(invoice),
    atSeconds: context.nowFor(customerOf(invoice)),
    label: `invoice ${invoice.id} collects`,
    run: (job) => {
      const current = job.tx.get<Stripe.Invoice>('invoice', invoice.id);
      if (current?.status !== 'open' || current.auto_advance !== true || current.attempt_count !== 0) return;
      chargeInvoice(job, current, { automatic: true });
    },
  });
}
