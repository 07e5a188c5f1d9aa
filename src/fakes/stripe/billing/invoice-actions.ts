import type Stripe from 'stripe';
import * as z from 'zod';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { bool, expand, parseParams, text } from '../params.ts';
import { isDeleted } from '../store.ts';
import { scheduleCollection } from './auto-advance.ts';
import { chargeInvoice, failWithDecline } from './collection.ts';
import { finalizeInvoice } from './finalize.ts';
import { markUncollectibleNow, voidInvoiceNow } from './invoice-endings.ts';
import { requireTransition } from './invoice-transitions.ts';
import { markPaid } from './settle.ts';

/** Loads an invoice of the current account or fails with Stripe's 404. */
export function requireInvoice(context: StripeContext, id: string, param = 'id'): Stripe.Invoice {
  const invoice = context.tx.get<Stripe.Invoice>('invoice', id);
  if (invoice === undefined || isDeleted(invoice))
    fail({ kind: 'resource_missing', objectName: 'invoice', id, param });
  return invoice;
}

const finalizeSchema = z.strictObject({ auto_advance: bool().optional(), expand });
const paySchema = z.strictObject({
  expand,
  forgive: bool().optional(),
  mandate: text().optional(),
  off_session: bool().optional(),
  paid_out_of_band: bool().optional(),
  payment_method: text().optional(),
  source: text().optional(),
});
const plainSchema = z.strictObject({ expand });

/** `POST /v1/invoices/:id/finalize`: draft → open (or paid when nothing is due). */
export const finalize: StripeHandler = (context, path) => {
  const params = parseParams(finalizeSchema, context.params);
  const invoice = requireInvoice(context, path.id!);
  requireTransition(invoice, 'finalize');
  const draft =
    params.auto_advance === undefined ? invoice : { ...invoice, auto_advance: params.auto_advance };
  const finalized = finalizeInvoice(context, draft);
  if (
    finalized.status === 'open' &&
    finalized.auto_advance === true &&
    finalized.collection_method === 'charge_automatically'
  ) {
    scheduleCollection(context, finalized);
  }
  return finalized;
};

/**
 * `POST /v1/invoices/:id/pay`: a draft is finalized first; then paid out of band, or charged
 * now. A decline answers 402 with the PaymentIntent, and the failed attempt stays recorded.
 */
export const pay: StripeHandler = (context, path) => {
  const params = parseParams(paySchema, context.params);
  let invoice = requireInvoice(context, path.id!);
  requireTransition(invoice, 'pay');
  if (params.paid_out_of_band === true && params.payment_method !== undefined) {
    fail({
      kind: 'invalid_request',
      param: 'paid_out_of_band',
      message: 'You may only specify one of these parameters: paid_out_of_band, payment_method.',
    });
  }
  if (invoice.status === 'draft') invoice = finalizeInvoice(context, invoice);
  if (invoice.status === 'paid') return invoice;
  if (params.paid_out_of_band === true) return markPaid(context, invoice, { outOfBand: true });
  const { invoice: after, outcome } = chargeInvoice(context, invoice, {
    paymentMethod: params.payment_method,
    automatic: false,
  });
  if (outcome !== null && !outcome.ok) failWithDecline(outcome);
  return after;
};

/** `POST /v1/invoices/:id/void`: open or uncollectible → void, for good. */
export const voidInvoice: StripeHandler = (context, path) => {
  parseParams(plainSchema, context.params);
  return voidInvoiceNow(context, requireInvoice(context, path.id!));
};

/** `POST /v1/invoices/:id/mark_uncollectible`: open → uncollectible; automatic retries stop. */
export const markUncollectible: StripeHandler = (context, path) => {
  parseParams(plainSchema, context.params);
  return markUncollectibleNow(context, requireInvoice(context, path.id!));
};

/**
 * `POST /v1/invoices/:id/send`: emails a `send_invoice` invoice (here: emits `invoice.sent`),
 * finalizing a draft first.
 */
export const send: StripeHandler = (context, path) => {
  parseParams(plainSchema, context.params);
  let invoice = requireInvoice(context, path.id!);
  requireTransition(invoice, 'send');
  if (invoice.collection_method !== 'send_invoice') {
    fail({
      kind: 'invalid_request',
      message: "You can only manually send an invoice if its collection method is 'send_invoice'.",
    });
  }
  if (invoice.status === 'draft') invoice = finalizeInvoice(context, invoice);
  context.emit('invoice.sent', invoice);
  return invoice;
};
