import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { invoiceSubscriptionId, markResumed, moveSubscription } from './subscription-status.ts';
import { customerOf } from '../customer-of.ts';

/** The object type Stripe gives invoice payments (basil+). */
export const invoicePaymentType = 'invoice_payment';

/**
 * Records a payment attempt as an InvoicePayment: the newest is the default; earlier open
 * ones (failed attempts) are canceled, as Stripe cancels a superseded PaymentIntent's record.
 * They are listed at `/v1/invoice_payments`; `invoice.payments` (an includable field) is not rendered.
 */
export function recordInvoicePayment(
  context: StripeContext,
  invoice: Stripe.Invoice,
  paymentIntent: Stripe.PaymentIntent,
  paid: boolean,
): Stripe.Invoice {
  const now = context.nowFor(customerOf(invoice));
  const earlier = context.tx.where<Stripe.InvoicePayment>(invoicePaymentType, 'invoice', invoice.id);
  earlier.forEach((payment) => {
    const superseded: Stripe.InvoicePayment =
      payment.status === 'open'
        ? {
            ...payment,
            status: 'canceled',
            is_default: false,
            status_transitions: { ...payment.status_transitions, canceled_at: now },
          }
        : { ...payment, is_default: false };
    context.tx.put(superseded);
  });
  const payment: Stripe.InvoicePayment = {
    id: context.ids.stripe('inpay_'),
    object: 'invoice_payment',
    amount_paid: paid ? paymentIntent.amount : null,
    amount_requested: paymentIntent.amount,
    created: now,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: paymentIntent.id },
    status: paid ? 'paid' : 'open',
    status_transitions: { canceled_at: null, paid_at: paid ? now : null },
  };
  context.tx.put(payment);
  if (paid) context.emit('invoice_payment.paid', payment);
  return invoice;
}

/**
 * Marks an invoice paid: in full through `paymentIntent`, out of band, or because nothing was
 * due. Emits `invoice.paid` (and `invoice.payment_succeeded` unless paid out of band) and
 * reactivates its subscription.
 */
export function markPaid(
  context: StripeContext,
  invoice: Stripe.Invoice,
  how: { readonly paymentIntent?: Stripe.PaymentIntent; readonly outOfBand?: boolean },
): Stripe.Invoice {
  const now = context.nowFor(customerOf(invoice));
  let paid: Stripe.Invoice =
    how.paymentIntent === undefined
      ? invoice
      : recordInvoicePayment(context, invoice, how.paymentIntent, true);
  paid = {
    ...paid,
    status: 'paid',
    amount_paid: invoice.amount_due,
    amount_remaining: 0,
    ...(how.outOfBand === true ? { amount_paid_off_stripe: invoice.amount_remaining } : {}),
    attempted: true,
    attempt_count: invoice.attempt_count + (how.paymentIntent === undefined ? 0 : 1),
    next_payment_attempt: null,
    status_transitions: { ...invoice.status_transitions, paid_at: now },
  };
  context.tx.put(paid);
  context.emit('invoice.paid', paid);
  if (how.outOfBand !== true) context.emit('invoice.payment_succeeded', paid);
  const subscription = invoiceSubscriptionId(paid);
  if (subscription !== null) {
    const current = context.tx.get<Stripe.Subscription>('subscription', subscription);
    if (current !== undefined && ['incomplete', 'past_due', 'unpaid'].includes(current.status)) {
      moveSubscription(context, subscription, 'active');
    } else if (current?.status === 'paused' && current.latest_invoice === paid.id) {
      // A resumption invoice paid: the subscription resumes.
      markResumed(context, subscription);
    }
  }
  return paid;
}
