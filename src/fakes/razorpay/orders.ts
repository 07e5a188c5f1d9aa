import { currencyExponent } from '../../sim/money.ts';
import { fail } from './errors.ts';
import { renderNotes, type Notes, type OrderEntity, type PaymentEntity } from './entities.ts';
import {
  allowOnly,
  booleanOf,
  integerOf,
  listOptionsOf,
  notesOf,
  page,
  stringOf,
  type Body,
} from './params.ts';
import { pageOfTable } from './list-page.ts';
import type { RazorpayContext, RazorpayHandler } from './runtime.ts';
import type { CaptureMode, OrderRecord } from './store.ts';

/** The currencies the fake's account accepts (Razorpay's international list, abridged). */
export const supportedCurrencies: ReadonlySet<string> = new Set(
  'INR USD EUR GBP SGD AED AUD CAD CHF HKD JPY MYR NZD SAR QAR KWD BHD OMR SEK DKK NOK ZAR THB'.split(' '),
);

/** Longest order `receipt`. */
export const receiptLengthMax = 40;

const createFields = [
  'amount',
  'currency',
  'receipt',
  'notes',
  'partial_payment',
  'first_payment_min_amount',
  'payment_capture',
  'payment',
  'customer_id',
  'method',
  'token',
  'bank_account',
  'notification',
  'offer_id',
  'description',
  'unique_receipt',
];

/** A currency code as Razorpay takes it (uppercase ISO 4217 it supports). */
export function currencyOf(body: Body, options: { readonly initiation?: boolean } = {}): string {
  const code = stringOf(body, 'currency', { required: true, ...options })!;
  if (!supportedCurrencies.has(code)) fail({ kind: 'currency_unsupported' });
  return code;
}

/** The smallest order: one unit of the currency (₹1.00 is 100 paise). */
export function minimumAmount(currency: string): number {
  return 10 ** currencyExponent(currency.toLowerCase());
}

function captureModeOf(body: Body): CaptureMode {
  const payment = body.payment;
  if (payment !== undefined && payment !== null) {
    const mode = typeof payment === 'object' ? (payment as Body).capture : undefined;
    if (mode !== 'automatic' && mode !== 'manual') fail({ kind: 'field_invalid', field: 'payment' });
    return mode;
  }
  // Orders capture automatically unless told not to (what the account setting defaults to).
  return booleanOf(body, 'payment_capture') === false ? 'manual' : 'automatic';
}

function mandateOf(body: Body): OrderRecord['mandate'] {
  const method = stringOf(body, 'method');
  if (method === undefined) return null;
  if (!['card', 'emandate', 'nach', 'upi'].includes(method)) fail({ kind: 'field_invalid', field: 'method' });
  const token = body.token;
  if (token === undefined || token === null) return { method, maxAmount: null, expireAt: null };
  if (typeof token !== 'object' || Array.isArray(token))
    return fail({ kind: 'field_invalid', field: 'token' });
  const config = token as Body;
  return {
    method,
    maxAmount: integerOf(config, 'max_amount') ?? null,
    expireAt: integerOf(config, 'expire_at') ?? null,
  };
}

/** POST /v1/orders. With unique receipts on, a receipt seen before returns that order. */
export const createOrder: RazorpayHandler = (context) => {
  const { body, runtime } = context;
  allowOnly(body, createFields);
  const amount = integerOf(body, 'amount', { required: true })!;
  const currency = currencyOf(body);
  if (amount < minimumAmount(currency)) fail({ kind: 'amount_too_small', currency });
  const receipt = stringOf(body, 'receipt', { lengthMax: receiptLengthMax }) ?? null;
  const notes: Notes = notesOf(body) ?? {};
  const partialPayment = booleanOf(body, 'partial_payment') ?? false;
  const capture = captureModeOf(body);
  const customerId = stringOf(body, 'customer_id') ?? null;
  if (customerId !== null && !runtime.store.customers.has(customerId)) fail({ kind: 'id_not_found' });
  if (stringOf(body, 'offer_id') !== undefined) fail({ kind: 'id_not_found' });
  const mandate = mandateOf(body);
  if (receipt !== null && (runtime.uniqueReceipts || booleanOf(body, 'unique_receipt') === true)) {
    const existing = runtime.store.orderWithReceipt(receipt);
    if (existing !== undefined) return existing.order;
  }
  const order: OrderEntity = {
    id: runtime.ids.razorpay('order_'),
    entity: 'order',
    amount,
    amount_paid: 0,
    amount_due: amount,
    currency,
    receipt,
    offer_id: null,
    status: 'created',
    attempts: 0,
    notes: renderNotes(notes),
    created_at: context.nowSeconds,
  };
  runtime.store.orders.set(order.id, {
    order,
    keyId: context.keyId ?? runtime.keys[0]!.keyId,
    requestId: context.cause.requestId,
    capture,
    partialPayment,
    customerId,
    mandate,
  });
  return order;
};

/** The order with an id, or Razorpay's 400 "The id provided does not exist". */
export function orderRecord(context: RazorpayContext, id: string | undefined): OrderRecord {
  const record = id === undefined ? undefined : context.runtime.store.orders.get(id);
  return record ?? fail({ kind: 'id_not_found' });
}

/** GET /v1/orders/:id */
export const fetchOrder: RazorpayHandler = (context, path) => orderRecord(context, path.id).order;

/** GET /v1/orders — count/skip/from/to, plus `receipt` and `authorized` filters. */
export const listOrders: RazorpayHandler = (context) => {
  const { query, runtime } = context;
  const options = listOptionsOf(query);
  const receipt = stringOf(query, 'receipt');
  const authorized = booleanOf(query, 'authorized');
  const matches = (order: OrderEntity) =>
    (receipt === undefined || order.receipt === receipt) &&
    (authorized !== true ||
      runtime.store.paymentsOfOrder(order.id).some((record) => record.payment.status === 'authorized'));
  const listed = {
    entity: (record: OrderRecord) => record.order,
    createdAt: (order: OrderEntity) => order.created_at,
    matches,
  };
  return pageOfTable(runtime.store.orders, listed, options);
};

/** GET /v1/orders/:id/payments — every attempt, newest first. */
export const orderPayments: RazorpayHandler = (context, path) => {
  const order = orderRecord(context, path.id);
  const payments: PaymentEntity[] = context.runtime.store
    .paymentsOfOrder(order.order.id)
    .map((record) => record.payment);
  return page(payments, (payment) => payment.created_at, {
    count: 100,
    skip: 0,
    from: undefined,
    to: undefined,
  });
};

/** PATCH /v1/orders/:id — only the notes change. */
export const editOrder: RazorpayHandler = (context, path) => {
  const record = orderRecord(context, path.id);
  allowOnly(context.body, ['notes']);
  const notes = notesOf(context.body);
  if (notes === undefined) fail({ kind: 'field_required', field: 'notes' });
  record.order.notes = renderNotes(notes);
  return record.order;
};
