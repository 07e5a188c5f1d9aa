import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { moveBalance } from '../billing/balance.ts';
import { creditNoteTotals } from '../billing/credit-note-lines.ts';
import { requireInvoice } from '../billing/invoice-actions.ts';
import { embeddedList } from '../billing/invoice-objects.ts';
import { invoicePaymentType } from '../billing/settle.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage, paginate } from '../list.ts';
import { expandOnly, listOnly, mergeMetadata, parseParams } from '../params.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { createRefund } from './refunds.ts';
import { customerOf } from '../customer-of.ts';
import { createSchema, listQuery, updateParams } from './credit-notes-params.ts';

type CreateParams = z.infer<typeof createSchema>;

/** The charge that paid an invoice, if it was paid through Stripe. */
function paidCharge(context: StripeContext, invoice: Stripe.Invoice): string | null {
  const payment = context.tx
    .values<Stripe.InvoicePayment>(invoicePaymentType)
    .find((candidate) => candidate.invoice === invoice.id && candidate.status === 'paid');
  const intentId = payment?.payment.payment_intent;
  if (intentId === undefined || intentId === null) return null;
  const intent = context.tx.get<Stripe.PaymentIntent>(
    'payment_intent',
    typeof intentId === 'string' ? intentId : intentId.id,
  );
  const charge = intent?.latest_charge ?? null;
  return charge === null ? null : typeof charge === 'string' ? charge : charge.id;
}

/**
 * Splits a credit note's total: first the invoice's `amount_remaining` (pre-payment), the rest
 * (post-payment) exactly as the caller allocates it among refund, balance credit and outside
 * Stripe, as Stripe requires.
 */
function allocate(invoice: Stripe.Invoice, total: number, params: CreateParams) {
  if (invoice.status !== 'open' && invoice.status !== 'paid') {
    fail({
      kind: 'invalid_request',
      param: 'invoice',
      message: `You can only create credit notes for open or paid invoices. This invoice is ${invoice.status}.`,
    });
  }
  const credited = invoice.pre_payment_credit_notes_amount + invoice.post_payment_credit_notes_amount;
  if (total > invoice.total - credited) {
    fail({
      kind: 'invalid_request',
      param: 'amount',
      message: `The credit note total (${total}) exceeds the amount that can still be credited (${invoice.total - credited}).`,
    });
  }
  const pre = Math.min(total, invoice.amount_remaining);
  const linked = (params.refunds ?? []).reduce((sum, refund) => sum + (refund.amount_refunded ?? 0), 0);
  const refund = params.refund_amount ?? 0;
  const credit = params.credit_amount ?? 0;
  const outside = params.out_of_band_amount ?? 0;
  if (refund + credit + outside + linked !== total - pre) {
    fail({
      kind: 'invalid_request',
      message: `The sum of refunds, customer balance credits and outside of Stripe credits (${refund + credit + outside + linked}) must equal the post_payment_amount (${total - pre}).`,
    });
  }
  return { pre, post: total - pre, refund, credit, outside };
}

function build(context: StripeContext, params: CreateParams, preview: boolean): Stripe.CreditNote {
  const invoice = requireInvoice(context, params.invoice, 'invoice');
  const totals = creditNoteTotals(context, invoice, params);
  const split = allocate(invoice, totals.total, params);
  const id = preview ? 'credit_note_preview' : context.ids.stripe('cn_');
  const sequence =
    context.tx.values<Stripe.CreditNote>('credit_note').filter((note) => note.invoice === invoice.id).length +
    1;
  const now = context.nowFor(customerOf(invoice));
  return {
    id,
    object: 'credit_note',
    amount: totals.total,
    amount_shipping: 0,
    created: now,
    currency: invoice.currency,
    customer: customerOf(invoice),
    customer_account: null,
    customer_balance_transaction: null,
    discount_amount: totals.discount,
    discount_amounts: totals.discounts,
    effective_at: params.effective_at ?? now,
    invoice: invoice.id,
    lines: embeddedList(totals.lines, `/v1/credit_notes/${id}/lines`),
    livemode: false,
    memo: params.memo ?? null,
    metadata: mergeMetadata({}, params.metadata),
    number: `${invoice.number ?? invoice.id}-CN-${String(sequence).padStart(2, '0')}`,
    out_of_band_amount: split.outside === 0 ? null : split.outside,
    pdf: `https://pay.stripe.com/credit_notes/fakepsp/${id}/pdf`,
    post_payment_amount: split.post,
    pre_payment_amount: split.pre,
    pretax_credit_amounts: [],
    reason: params.reason ?? null,
    refunds: (params.refunds ?? []).map((refund) => ({
      amount_refunded: refund.amount_refunded ?? 0,
      payment_record_refund: null,
      refund: refund.refund,
      type: 'refund',
    })),
    shipping_cost: null,
    status: 'issued',
    subtotal: totals.subtotal,
    subtotal_excluding_tax: totals.subtotal,
    total: totals.total,
    total_excluding_tax: totals.total - totals.taxes.reduce((sum, tax) => sum + tax.amount, 0),
    total_taxes: totals.taxes,
    type: split.pre === 0 ? 'post_payment' : split.post === 0 ? 'pre_payment' : 'mixed',
    voided_at: null,
  };
}

/** Applies a credit note: the invoice's remaining amount, a refund, the customer's balance. */
function issue(context: StripeContext, note: Stripe.CreditNote, params: CreateParams): Stripe.CreditNote {
  let invoice = requireInvoice(context, note.invoice as string, 'invoice');
  let issued = note;
  if (params.refund_amount !== undefined && params.refund_amount > 0) {
    const charge = paidCharge(context, invoice);
    if (charge === null) {
      fail({
        kind: 'invalid_request',
        param: 'refund_amount',
        message: 'This invoice was not paid through Stripe, so it cannot be refunded.',
      });
    }
    const refund = createRefund(context, {
      charge,
      amount: params.refund_amount,
      reason:
        params.reason === 'duplicate' || params.reason === 'fraudulent'
          ? params.reason
          : 'requested_by_customer',
      metadata: { credit_note: note.id },
    });
    issued = {
      ...issued,
      refunds: [
        ...issued.refunds,
        { amount_refunded: refund.amount, payment_record_refund: null, refund: refund.id, type: 'refund' },
      ],
    };
  }
  if (params.credit_amount !== undefined && params.credit_amount > 0) {
    const customer = context.tx.get<Stripe.Customer>('customer', customerOf(invoice))!;
    const moved = moveBalance(context, customer, {
      amount: -params.credit_amount,
      currency: invoice.currency,
      type: 'credit_note',
      description: null,
      invoice: invoice.id,
      metadata: {},
    });
    context.tx.put({ ...moved.transaction, credit_note: note.id });
    issued = { ...issued, customer_balance_transaction: moved.transaction.id };
  }
  invoice = {
    ...invoice,
    amount_due: invoice.amount_due - note.pre_payment_amount,
    amount_remaining: invoice.amount_remaining - note.pre_payment_amount,
    pre_payment_credit_notes_amount: invoice.pre_payment_credit_notes_amount + note.pre_payment_amount,
    post_payment_credit_notes_amount: invoice.post_payment_credit_notes_amount + note.post_payment_amount,
  };
  context.tx.put(issued);
  context.emit('credit_note.created', issued);
  settleInvoice(context, invoice, note.pre_payment_amount > 0);
  return issued;
}

// A credit that leaves nothing to pay settles an open invoice: it is paid, with no charge.
function settleInvoice(context: StripeContext, invoice: Stripe.Invoice, reduced: boolean): void {
  const previous = context.tx.get<Stripe.Invoice>('invoice', invoice.id)!;
  if (reduced && invoice.status === 'open' && invoice.amount_remaining === 0) {
    const now = context.nowFor(customerOf(invoice));
    const paid: Stripe.Invoice = {
      ...invoice,
      status: 'paid',
      next_payment_attempt: null,
      status_transitions: { ...invoice.status_transitions, paid_at: now },
    };
    context.tx.put(paid);
    context.emit('invoice.updated', paid, changedAttributes(previous, paid));
    context.emit('invoice.paid', paid);
    return;
  }
  context.tx.put(invoice);
  context.emit('invoice.updated', invoice, changedAttributes(previous, invoice));
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  return issue(context, build(context, params, false), params);
};

const preview: StripeHandler = (context) => build(context, parseParams(createSchema, context.params), true);

const previewLines: StripeHandler = (context) => {
  const { limit, starting_after, ending_before, ...rest } = context.params;
  const note = build(context, parseParams(createSchema, rest), true);
  const page = parseParams(listOnly, { limit, starting_after, ending_before });
  return paginate(page, [...note.lines.data].reverse(), '/v1/credit_notes/preview/lines');
};

function requireNote(context: StripeContext, id: string): Stripe.CreditNote {
  const note = context.tx.get<Stripe.CreditNote>('credit_note', id);
  if (note === undefined) fail({ kind: 'resource_missing', objectName: 'credit_note', id });
  return note;
}

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireNote(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateParams, context.params);
  const existing = requireNote(context, path.id!);
  const updated: Stripe.CreditNote = {
    ...existing,
    memo: params.memo ?? existing.memo,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
  };
  context.tx.put(updated);
  context.emit('credit_note.updated', updated, changedAttributes(existing, updated));
  return updated;
};

/** Voiding undoes a credit note's effects; one that refunded money cannot be voided. */
const voidNote: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const note = requireNote(context, path.id!);
  if (note.status === 'void')
    fail({ kind: 'invalid_request', message: `Credit note ${note.id} is already voided.` });
  if (note.refunds.length > 0) {
    fail({
      kind: 'invalid_request',
      message: 'A credit note that created or linked refunds cannot be voided.',
    });
  }
  const invoice = requireInvoice(context, note.invoice as string, 'invoice');
  if (note.customer_balance_transaction !== null) {
    const customer = context.tx.get<Stripe.Customer>('customer', customerOf(invoice))!;
    const credited = context.tx.get<Stripe.CustomerBalanceTransaction>(
      'customer_balance_transaction',
      note.customer_balance_transaction as string,
    )!;
    const moved = moveBalance(context, customer, {
      amount: -credited.amount,
      currency: invoice.currency,
      type: 'credit_note',
      description: `Void of ${note.number}`,
      invoice: invoice.id,
      metadata: {},
    });
    context.tx.put({ ...moved.transaction, credit_note: note.id });
  }
  const reopened = invoice.status === 'paid' && invoice.amount_paid === 0 && note.pre_payment_amount > 0;
  const restored: Stripe.Invoice = {
    ...invoice,
    ...(reopened
      ? { status: 'open', status_transitions: { ...invoice.status_transitions, paid_at: null } }
      : {}),
    amount_due: invoice.amount_due + note.pre_payment_amount,
    amount_remaining: invoice.amount_remaining + note.pre_payment_amount,
    pre_payment_credit_notes_amount: invoice.pre_payment_credit_notes_amount - note.pre_payment_amount,
    post_payment_credit_notes_amount: invoice.post_payment_credit_notes_amount - note.post_payment_amount,
  };
  context.tx.put(restored);
  context.emit('invoice.updated', restored, changedAttributes(invoice, restored));
  const voided: Stripe.CreditNote = {
    ...note,
    status: 'void',
    voided_at: context.nowFor(customerOf(invoice)),
  };
  context.tx.put(voided);
  context.emit('credit_note.voided', voided);
  return voided;
};

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const matches = (note: Stripe.CreditNote) =>
    (params.invoice === undefined || note.invoice === params.invoice) &&
    (params.customer === undefined || note.customer === params.customer);
  return listPage(context.tx, params, 'credit_note', [], matches, '/v1/credit_notes');
};

const lines: StripeHandler = (context, path) => {
  const params = parseParams(listOnly, context.params);
  const note = requireNote(context, path.id!);
  return paginate(params, [...note.lines.data].reverse(), `/v1/credit_notes/${note.id}/lines`);
};

export const creditNotesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/credit_notes', handler: create },
  { method: 'GET', pattern: '/v1/credit_notes', handler: list },
  { method: 'GET', pattern: '/v1/credit_notes/preview', handler: preview },
  { method: 'GET', pattern: '/v1/credit_notes/preview/lines', handler: previewLines },
  { method: 'GET', pattern: '/v1/credit_notes/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/credit_notes/:id', handler: update },
  { method: 'POST', pattern: '/v1/credit_notes/:id/void', handler: voidNote },
  { method: 'GET', pattern: '/v1/credit_notes/:id/lines', handler: lines },
];
