import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { customerOf } from '../customer-of.ts';
import { requireTransition } from './invoice-transitions.ts';

/** Voids an open or uncollectible invoice, for good (`invoice.voided`). */
export function voidInvoiceNow(context: StripeContext, invoice: Stripe.Invoice): Stripe.Invoice {
  requireTransition(invoice, 'void');
  const voided: Stripe.Invoice = {
    ...invoice,
    status: 'void',
    auto_advance: false,
    next_payment_attempt: null,
    status_transitions: { ...invoice.status_transitions, voided_at: context.nowFor(customerOf(invoice)) },
  };
  context.tx.put(voided);
  context.emit('invoice.voided', voided);
  return voided;
}

/** Marks an open invoice uncollectible: automatic retries stop (`invoice.marked_uncollectible`). */
export function markUncollectibleNow(context: StripeContext, invoice: Stripe.Invoice): Stripe.Invoice {
  requireTransition(invoice, 'mark_uncollectible');
  const marked: Stripe.Invoice = {
    ...invoice,
    status: 'uncollectible',
    next_payment_attempt: null,
    status_transitions: {
      ...invoice.status_transitions,
      marked_uncollectible_at: context.nowFor(customerOf(invoice)),
    },
  };
  context.tx.put(marked);
  context.emit('invoice.marked_uncollectible', marked);
  return marked;
}
