import { fail } from './errors.ts';
import { renderNotes, type PaymentEntity } from './entities.ts';
import { orderRecord, currencyOf } from './orders.ts';
import { allowOnly, integerOf, listOptionsOf, notesOf } from './params.ts';
import { pageOfTable } from './list-page.ts';
import { capture } from './payment-flow.ts';
import type { RazorpayContext, RazorpayHandler } from './runtime.ts';
import type { PaymentRecord } from './store.ts';

/** The payment with an id, or Razorpay's 400 "The id provided does not exist". */
export function paymentRecord(context: RazorpayContext, id: string | undefined): PaymentRecord {
  const record = id === undefined ? undefined : context.runtime.store.payments.get(id);
  return record ?? fail({ kind: 'id_not_found' });
}

/** GET /v1/payments/:id (`expand[]=card` is accepted; the card is always there). */
export const fetchPayment: RazorpayHandler = (context, path) => paymentRecord(context, path.id).payment;

/** GET /v1/payments — count/skip/from/to. */
export const listPayments: RazorpayHandler = (context) => {
  const options = listOptionsOf(context.query);
  const listed = {
    entity: (record: PaymentRecord) => record.payment,
    createdAt: (payment: PaymentEntity) => payment.created_at,
  };
  return pageOfTable(context.runtime.store.payments, listed, options);
};

/**
 * POST /v1/payments/:id/capture `{amount, currency}`: only an authorised payment, and only for
 * exactly the authorised amount; a second capture is refused.
 */
export const capturePayment: RazorpayHandler = (context, path) => {
  const record = paymentRecord(context, path.id);
  const { body } = context;
  allowOnly(body, ['amount', 'currency']);
  const amount = integerOf(body, 'amount', { required: true })!;
  const currency = body.currency === undefined ? undefined : currencyOf(body);
  const { payment } = record;
  if (payment.captured) fail({ kind: 'payment_already_captured', paymentId: payment.id });
  if (payment.status !== 'authorized') fail({ kind: 'capture_only_authorized', paymentId: payment.id });
  if (amount !== payment.amount) fail({ kind: 'capture_amount_mismatch', paymentId: payment.id });
  if (currency !== undefined && currency !== payment.currency)
    fail({ kind: 'capture_currency_mismatch', paymentId: payment.id });
  const order = payment.order_id === null ? undefined : orderRecord(context, payment.order_id);
  capture(context, record, order);
  return payment;
};

/** PATCH /v1/payments/:id — only the notes change. */
export const editPayment: RazorpayHandler = (context, path) => {
  const record = paymentRecord(context, path.id);
  allowOnly(context.body, ['notes']);
  const notes = notesOf(context.body);
  if (notes === undefined) fail({ kind: 'field_required', field: 'notes' });
  record.payment.notes = renderNotes(notes);
  return record.payment;
};
