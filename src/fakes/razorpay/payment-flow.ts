import { fail } from './errors.ts';
import { renderNotes, type CardEntity, type Notes, type TokenEntity } from './entities.ts';
import { expireAuthorization } from './authorization-expiry.ts';
import type { RazorpayContext, RazorpayRuntime } from './runtime.ts';
import { runAction } from './work.ts';
import type { OrderRecord, PaymentOrigin, PaymentRecord, TokenRecord } from './store.ts';
import type { PaymentFailure, TestCard } from './test-cards.ts';

/** Razorpay's standard pricing: 2% of the amount, plus 18% GST on that fee; `fee` includes the tax. */
export function feeOf(amount: number): { readonly fee: number; readonly tax: number } {
  const base = Math.round((amount * 2) / 100);
  const tax = Math.round((base * 18) / 100);
  return { fee: base + tax, tax };
}

/** Checks that a new payment of `amount` may be made on the order (before anything is written). */
export function assertPayable(order: OrderRecord, amount: number, currency: string): void {
  const { id } = order.order;
  if (order.order.status === 'paid') fail({ kind: 'order_already_paid', orderId: id });
  if (currency !== order.order.currency) fail({ kind: 'order_currency_mismatch', orderId: id });
  const due = order.order.amount_due;
  if (order.partialPayment ? amount > due || amount <= 0 : amount !== due)
    fail({ kind: 'order_amount_mismatch', orderId: id });
}

/** What a new payment on an order is made of. */
export interface NewPayment {
  readonly order: OrderRecord;
  readonly amount: number;
  readonly card: TestCard;
  /** A token's card keeps its id; a card typed on Checkout gets a new one. */
  readonly cardId?: string;
  readonly cardName?: string;
  readonly email: string | null;
  readonly contact: string | null;
  readonly customerId: string | null;
  readonly tokenId: string | null;
  readonly notes: Notes;
  readonly description: string | null;
  readonly origin: PaymentOrigin;
}

function cardEntity(context: RazorpayContext, card: TestCard, name: string, id?: string): CardEntity {
  return {
    id: id ?? context.runtime.ids.razorpay('card_'),
    entity: 'card',
    name,
    last4: card.last4,
    network: card.network,
    type: 'credit',
    issuer: null,
    international: false,
    emi: false,
    sub_type: 'consumer',
    token_iin: null,
  };
}

/** Creates a payment (`created`) on an order: the order counts an attempt. */
export function createPayment(context: RazorpayContext, input: NewPayment): PaymentRecord {
  const { runtime, nowSeconds } = context;
  const card = cardEntity(context, input.card, input.cardName ?? '', input.cardId);
  const record: PaymentRecord = {
    payment: {
      id: runtime.ids.razorpay('pay_'),
      entity: 'payment',
      amount: input.amount,
      currency: input.order.order.currency,
      status: 'created',
      order_id: input.order.order.id,
      invoice_id: null,
      international: false,
      method: 'card',
      amount_refunded: 0,
      refund_status: null,
      captured: false,
      description: input.description,
      card_id: card.id,
      card,
      bank: null,
      wallet: null,
      vpa: null,
      email: input.email ?? 'void@razorpay.com',
      contact: input.contact,
      customer_id: input.customerId,
      token_id: input.tokenId,
      notes: renderNotes(input.notes),
      fee: null,
      tax: null,
      error_code: null,
      error_description: null,
      error_source: null,
      error_step: null,
      error_reason: null,
      acquirer_data: {},
      created_at: nowSeconds,
    },
    origin: input.origin,
    cardNumber: input.card.number,
    requestId: context.cause.requestId,
    captureRequestIds: [],
    authorizedAt: null,
    capturedAt: null,
    failedAt: null,
  };
  runtime.store.payments.set(record.payment.id, record);
  const { order } = input.order;
  order.attempts += 1;
  if (order.status === 'created') order.status = 'attempted';
  return record;
}

/** The bank authorised the payment: `payment.authorized`. */
export function authorize(context: RazorpayContext, record: PaymentRecord): void {
  const { payment } = record;
  payment.status = 'authorized';
  payment.error_code = payment.error_description = payment.error_source = null;
  payment.error_step = payment.error_reason = null;
  payment.acquirer_data = { auth_code: String(context.runtime.random.int(100_000, 999_999)) };
  record.authorizedAt = context.nowSeconds;
  context.emit({ event: 'payment.authorized', payment });
}

/** The authorised amount is captured: `payment.captured`, and `order.paid` once nothing is due. */
export function capture(
  context: RazorpayContext,
  record: PaymentRecord,
  order: OrderRecord | undefined,
): void {
  const { payment } = record;
  const { fee, tax } = feeOf(payment.amount);
  payment.status = 'captured';
  payment.captured = true;
  payment.fee = fee;
  payment.tax = tax;
  record.capturedAt = context.nowSeconds;
  if (context.cause.requestId !== null && record.requestId !== context.cause.requestId)
    record.captureRequestIds.push(context.cause.requestId);
  if (order !== undefined) {
    order.order.amount_paid += payment.amount;
    order.order.amount_due = Math.max(0, order.order.amount - order.order.amount_paid);
    if (order.order.amount_due === 0) order.order.status = 'paid';
  }
  context.emit({ event: 'payment.captured', payment });
  if (order !== undefined && order.order.status === 'paid')
    context.emit({ event: 'order.paid', payment, order: order.order });
}

/** The payment failed: its `error_*` fields say why, and `payment.failed` goes out. */
export function failPayment(context: RazorpayContext, record: PaymentRecord, failure: PaymentFailure): void {
  const { payment } = record;
  payment.status = 'failed';
  payment.error_code = failure.code;
  payment.error_description = failure.description;
  payment.error_source = failure.source;
  payment.error_step = failure.step;
  payment.error_reason = failure.reason;
  record.failedAt = context.nowSeconds;
  context.emit({ event: 'payment.failed', payment });
}

/** Settles a payment the bank has answered: authorised (and captured if the order says so), or failed. */
export function settle(
  context: RazorpayContext,
  record: PaymentRecord,
  order: OrderRecord,
  failure: PaymentFailure | undefined,
): void {
  if (failure !== undefined) {
    failPayment(context, record, failure);
    return;
  }
  authorize(context, record);
  if (order.capture === 'automatic' && !heldBack(context, record)) capture(context, record, order);
  else scheduleAuthorizationExpiry(context.runtime, record);
}

/**
 * How long Razorpay keeps an authorisation nobody captured before refunding it on its own
 * (its docs: within 5 days of creation).
 */
export const authorizationExpiryMs = 5 * 86_400_000;

// A capture the harness held back: the bank's answer came late, past the automatic capture window.
function heldBack(context: RazorpayContext, record: PaymentRecord): boolean {
  const holds = context.runtime.store.pending.captureHolds;
  const index = holds.findIndex((hold) => hold === '*' || hold === record.payment.customer_id);
  if (index < 0) return false;
  holds.splice(index, 1);
  return true;
}

function scheduleAuthorizationExpiry(runtime: RazorpayRuntime, record: PaymentRecord): void {
  const paymentId = record.payment.id;
  runtime.sim.clock.schedule({
    delayMs: authorizationExpiryMs,
    label: `razorpay: authorisation of ${paymentId} expires`,
    run: () => {
      if (runtime.store.payments.get(paymentId)?.payment.status !== 'authorized') return;
      runAction(runtime, 'authorization_expired', { paymentId }, (later) =>
        expireAuthorization(later, later.runtime.store.payments.get(paymentId)!),
      );
    },
  });
}

/** Mandates registered on a card stay valid for ten years unless the order says otherwise. */
const mandateYears = 10;

/** A confirmed card mandate for a customer (`token.confirmed`): later debits go through it. */
export function confirmToken(
  context: RazorpayContext,
  input: {
    readonly customerId: string;
    readonly card: TestCard;
    readonly cardName: string;
    readonly paymentId: string | null;
    readonly maxAmount: number | null;
    readonly expireAt: number | null;
  },
): TokenRecord {
  const { runtime, nowSeconds } = context;
  const token: TokenEntity = {
    id: runtime.ids.razorpay('token_'),
    entity: 'token',
    token: runtime.random.string(14),
    bank: null,
    wallet: null,
    method: 'card',
    card: {
      ...cardEntity(context, input.card, input.cardName),
      expiry_month: 12,
      expiry_year: new Date(nowSeconds * 1000).getUTCFullYear() + 5,
    },
    recurring: true,
    recurring_details: { status: 'confirmed', failure_reason: null },
    auth_type: null,
    mrn: null,
    used_at: null,
    created_at: nowSeconds,
    expired_at: input.expireAt ?? nowSeconds + mandateYears * 365 * 86_400,
    dcc_enabled: false,
    // Razorpay's default card-mandate limit, ₹15,000, unless the registration order set one.
    max_amount: input.maxAmount ?? 1_500_000,
    customer_id: input.customerId,
    notes: [],
  };
  const record: TokenRecord = {
    token,
    cardNumber: input.card.number,
    paymentId: input.paymentId,
    deleted: false,
  };
  runtime.store.tokens.set(token.id, record);
  context.emit({ event: 'token.confirmed', token });
  return record;
}
