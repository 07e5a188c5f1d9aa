import type { Notes, RenderedNotes } from '../../fakes/razorpay/entities.ts';
import type {
  InvoiceRecord,
  OrderRecord,
  PaymentRecord,
  RazorpayDump,
  SubscriptionRecord,
} from '../../fakes/razorpay/store.ts';
import {
  customerIdMetadataKey,
  type MoneyMovement,
  type MovementKind,
  type PspObjectRecord,
} from '../psp-records.ts';

/** The fake Razorpay's dump, indexed for building the checker's records. */
export interface RazorpayIndex {
  readonly orders: ReadonlyMap<string, OrderRecord>;
  readonly payments: ReadonlyMap<string, PaymentRecord>;
  readonly invoices: ReadonlyMap<string, InvoiceRecord>;
  readonly subscriptions: ReadonlyMap<string, SubscriptionRecord>;
  /** SUT customer ids by Razorpay customer, from the customer's notes. */
  readonly customers: ReadonlyMap<string, string | null>;
  /** Event ids by `objectId event`. */
  readonly events: ReadonlyMap<string, string[]>;
  readonly metadataKeys: readonly string[];
}

export const notesOf = (notes: RenderedNotes | undefined): Notes =>
  notes === undefined || Array.isArray(notes) ? {} : notes;

export const noted = (notes: Notes, key: string): string | null => {
  const value = notes[key];
  return value === undefined || value === '' ? null : String(value);
};

const isoSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString();

export function indexOf(dump: RazorpayDump, metadataKeys: readonly string[]): RazorpayIndex {
  const events = new Map<string, string[]>();
  for (const event of dump.events) {
    const key = `${event.objectId} ${event.event}`;
    const list = events.get(key);
    if (list === undefined) events.set(key, [event.id]);
    else list.push(event.id);
  }
  return {
    orders: new Map(dump.orders.map((record) => [record.order.id, record])),
    payments: new Map(dump.payments.map((record) => [record.payment.id, record])),
    invoices: new Map(dump.invoices.map((record) => [record.invoice.id, record])),
    subscriptions: new Map(dump.subscriptions.map((record) => [record.subscription.id, record])),
    customers: new Map(
      dump.customers.map((customer) => [customer.id, noted(notesOf(customer.notes), customerIdMetadataKey)]),
    ),
    events,
    metadataKeys,
  };
}

export const eventsOf = (
  index: RazorpayIndex,
  objectId: string | null,
  types: readonly string[],
): string[] =>
  objectId === null ? [] : types.flatMap((type) => index.events.get(`${objectId} ${type}`) ?? []);

/** The subscription a payment paid an invoice of, if any. */
export function subscriptionOfPayment(index: RazorpayIndex, payment: PaymentRecord | undefined) {
  const invoice = index.invoices.get(payment?.payment.invoice_id ?? '');
  return index.subscriptions.get(invoice?.invoice.subscription_id ?? '');
}

/**
 * Whose a payment is: the SUT's id from the payment's notes, else its order's, else its
 * Razorpay customer's, else its subscription's (`fakepsp_customer_id`); the Razorpay customer
 * from the payment or order.
 */
export function ownerOf(index: RazorpayIndex, payment: PaymentRecord | undefined) {
  const order = index.orders.get(payment?.payment.order_id ?? '');
  const pspCustomerId = payment?.payment.customer_id ?? order?.customerId ?? null;
  const subscription = subscriptionOfPayment(index, payment);
  const customerId =
    noted(notesOf(payment?.payment.notes), customerIdMetadataKey) ??
    noted(notesOf(order?.order.notes), customerIdMetadataKey) ??
    index.customers.get(pspCustomerId ?? '') ??
    noted(notesOf(subscription?.subscription.notes), customerIdMetadataKey);
  return { pspCustomerId, customerId };
}

/**
 * What a payment was for: its order's receipt, the invoice it paid (one per subscription
 * cycle), and the obligation notes of payment and order.
 */
export function paymentKeys(index: RazorpayIndex, payment: PaymentRecord): string[] {
  const keys = new Set<string>();
  const order = index.orders.get(payment.payment.order_id ?? '');
  if (order?.order.receipt !== null && order?.order.receipt !== undefined)
    keys.add(`receipt:${order.order.receipt}`);
  if (payment.payment.invoice_id !== null) keys.add(`invoice:${payment.payment.invoice_id}`);
  for (const notes of [notesOf(payment.payment.notes), notesOf(order?.order.notes)]) {
    for (const key of index.metadataKeys) {
      const value = noted(notes, key);
      if (value !== null) keys.add(`metadata:${key}=${value}`);
    }
  }
  return [...keys].sort();
}

export interface MovementBase {
  readonly kind: MovementKind;
  readonly objectId: string;
  readonly objectType: string;
  readonly payment: PaymentRecord | undefined;
  readonly parentId: string | null;
  readonly amountMinor: number;
  readonly currency: string;
  readonly atSeconds: number;
  readonly status: string;
  readonly eventIds: readonly string[];
  readonly requestIds: readonly (string | null)[];
  readonly aliases?: readonly string[];
  readonly obligationKeys?: readonly string[];
}

export function movement(index: RazorpayIndex, base: MovementBase): MoneyMovement {
  const owner = ownerOf(index, base.payment);
  return {
    psp: 'razorpay',
    kind: base.kind,
    objectId: base.objectId,
    objectType: base.objectType,
    parentId: base.parentId,
    aliases: base.aliases ?? [],
    account: null,
    pspCustomerId: owner.pspCustomerId,
    customerId: owner.customerId,
    amountMinor: base.amountMinor,
    currency: base.currency.toLowerCase(),
    at: isoSeconds(base.atSeconds),
    obligationKeys: base.obligationKeys ?? [],
    status: base.status,
    eventIds: base.eventIds,
    requestIds: [...new Set(base.requestIds.filter((id) => id !== null))],
  };
}

export function objectRecord(
  index: RazorpayIndex,
  object: { readonly id: string; readonly type: string; readonly status: string },
  payment: PaymentRecord | undefined,
  money: { readonly amount: number; readonly currency: string } | null,
  parentId: string | null,
): PspObjectRecord {
  return {
    psp: 'razorpay',
    objectId: object.id,
    objectType: object.type,
    status: object.status,
    ...ownerOf(index, payment),
    amountMinor: money?.amount ?? null,
    currency: money === null ? null : money.currency.toLowerCase(),
    parentId,
  };
}
