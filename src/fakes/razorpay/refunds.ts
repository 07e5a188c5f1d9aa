import { fail } from './errors.ts';
import { renderNotes, type Notes, type RefundEntity } from './entities.ts';
import { allowOnly, integerOf, listOptionsOf, notesOf, page, stringOf } from './params.ts';
import { pageOfTable } from './list-page.ts';
import { paymentRecord } from './payments.ts';
import type { RazorpayContext, RazorpayHandler } from './runtime.ts';
import type { PaymentRecord, RefundRecord } from './store.ts';

/** What a refund asks for; the amount defaults to everything not yet refunded. */
export interface RefundRequest {
  readonly amount?: number;
  readonly speed?: 'normal' | 'optimum';
  readonly notes?: Notes;
  readonly receipt?: string | null;
  readonly origin: RefundRecord['origin'];
}

/** The payment's refund status and state from what is refunded of it. */
function applyRefunded(record: PaymentRecord): void {
  const { payment } = record;
  const full = payment.amount_refunded >= payment.amount;
  payment.refund_status = payment.amount_refunded === 0 ? null : full ? 'full' : 'partial';
  // A full refund makes the payment `refunded`; a partial one leaves it `captured`.
  payment.status = full ? 'refunded' : 'captured';
}

/**
 * Refunds a captured payment. Normal refunds in test mode are processed at once (the docs'
 * create-refund response already says `processed`), so `refund.created` and `refund.processed`
 * go out together; `fail_refund` can still send the money back later.
 */
export function refundPayment(
  context: RazorpayContext,
  record: PaymentRecord,
  request: RefundRequest,
): RefundEntity {
  const { payment } = record;
  if (!payment.captured) fail({ kind: 'refund_not_captured', paymentId: payment.id });
  const remaining = payment.amount - payment.amount_refunded;
  if (remaining <= 0) fail({ kind: 'refund_fully_refunded', paymentId: payment.id });
  const amount = request.amount ?? remaining;
  if (amount < 1) fail({ kind: 'field_at_least', field: 'amount', min: 1 });
  if (amount > remaining) fail({ kind: 'refund_amount_too_large', paymentId: payment.id });
  const refund: RefundEntity = {
    id: context.runtime.ids.razorpay('rfnd_'),
    entity: 'refund',
    amount,
    currency: payment.currency,
    payment_id: payment.id,
    notes: renderNotes(request.notes ?? {}),
    receipt: request.receipt ?? null,
    acquirer_data: { arn: null },
    created_at: context.nowSeconds,
    batch_id: null,
    status: 'processed',
    speed_processed: 'normal',
    speed_requested: request.speed ?? 'normal',
  };
  // A refund the harness lined up to fail never leaves: `refund.failed` instead of `processed`.
  const { pending } = context.runtime.store;
  const fails = pending.refundFailures > 0 && request.origin !== 'authorization_expired';
  if (fails) pending.refundFailures -= 1;
  context.runtime.store.refunds.set(refund.id, {
    refund: fails ? { ...refund, status: 'failed' } : refund,
    origin: request.origin,
    requestId: context.cause.requestId,
    idempotencyKey: context.cause.idempotencyKey,
    processedAt: fails ? null : context.nowSeconds,
    failedAt: fails ? context.nowSeconds : null,
  });
  context.emit({ event: 'refund.created', refund: { ...refund, status: 'pending' }, payment });
  if (fails) {
    context.emit({ event: 'refund.failed', refund: { ...refund, status: 'failed' }, payment });
    return { ...refund, status: 'failed' };
  }
  payment.amount_refunded += amount;
  applyRefunded(record);
  context.emit({ event: 'refund.processed', refund, payment });
  return refund;
}

/** A processed refund the bank could not complete: the money comes back (`refund.failed`). */
export function failRefund(context: RazorpayContext, record: RefundRecord): RefundEntity {
  const { refund } = record;
  if (refund.status === 'failed') fail({ kind: 'refund_not_processed', refundId: refund.id });
  const payment = paymentRecord(context, refund.payment_id);
  refund.status = 'failed';
  record.failedAt = context.nowSeconds;
  payment.payment.amount_refunded -= refund.amount;
  applyRefunded(payment);
  context.emit({ event: 'refund.failed', refund, payment: payment.payment });
  return refund;
}

/** POST /v1/payments/:id/refund `{amount?, speed?, notes?, receipt?}` */
export const createRefund: RazorpayHandler = (context, path) => {
  const record = paymentRecord(context, path.id);
  const { body } = context;
  allowOnly(body, ['amount', 'speed', 'notes', 'receipt']);
  const amount = integerOf(body, 'amount');
  const speed = stringOf(body, 'speed');
  if (speed !== undefined && speed !== 'normal' && speed !== 'optimum')
    fail({ kind: 'field_invalid', field: 'speed' });
  const notes = notesOf(body);
  const receipt = stringOf(body, 'receipt', { lengthMax: 40 });
  return refundPayment(context, record, {
    origin: 'api',
    ...(amount === undefined ? {} : { amount }),
    ...(speed === undefined ? {} : { speed }),
    ...(notes === undefined ? {} : { notes }),
    ...(receipt === undefined ? {} : { receipt }),
  });
};

/** The refund with an id, or Razorpay's 400 "The id provided does not exist". */
export function refundRecord(context: RazorpayContext, id: string | undefined): RefundRecord {
  const record = id === undefined ? undefined : context.runtime.store.refunds.get(id);
  return record ?? fail({ kind: 'id_not_found' });
}

/** GET /v1/refunds/:id */
export const fetchRefund: RazorpayHandler = (context, path) => refundRecord(context, path.id).refund;

/** GET /v1/payments/:id/refunds/:refundId — the refund must be the payment's. */
export const fetchPaymentRefund: RazorpayHandler = (context, path) => {
  const payment = paymentRecord(context, path.id);
  const record = refundRecord(context, path.refundId);
  if (record.refund.payment_id !== payment.payment.id) fail({ kind: 'id_not_found' });
  return record.refund;
};

/** GET /v1/refunds — count/skip/from/to. */
export const listRefunds: RazorpayHandler = (context) => {
  const listed = {
    entity: (record: RefundRecord) => record.refund,
    createdAt: (refund: RefundEntity) => refund.created_at,
  };
  return pageOfTable(context.runtime.store.refunds, listed, listOptionsOf(context.query));
};

/** GET /v1/payments/:id/refunds — a payment's refunds, count/skip/from/to. */
export const listPaymentRefunds: RazorpayHandler = (context, path) => {
  const payment = paymentRecord(context, path.id);
  const refunds = context.runtime.store.refundsOfPayment(payment.payment.id).map((record) => record.refund);
  return page(refunds, (refund) => refund.created_at, listOptionsOf(context.query));
};

/** PATCH /v1/refunds/:id — only the notes change. */
export const editRefund: RazorpayHandler = (context, path) => {
  const record = refundRecord(context, path.id);
  allowOnly(context.body, ['notes']);
  const notes = notesOf(context.body);
  if (notes === undefined) fail({ kind: 'field_required', field: 'notes' });
  record.refund.notes = renderNotes(notes);
  return record.refund;
};
