import type { Notes, RenderedNotes } from '../../fakes/razorpay/entities.ts';
import type {
  DisputeRecord,
  OrderRecord,
  PaymentRecord,
  RazorpayDump,
  RefundRecord,
} from '../../fakes/razorpay/store.ts';
import {
  customerIdMetadataKey,
  defaultObligationMetadataKeys,
  type MoneyMovement,
  type MovementKind,
  type PspCustomerRecord,
  type PspObjectRecord,
  type PspRecords,
} from '../psp-records.ts';

export type { RazorpayDump } from '../../fakes/razorpay/store.ts';

/** Options for {@link razorpayRecords}. */
export interface RazorpayRecordsOptions {
  /** Notes keys whose values name an obligation (default {@link defaultObligationMetadataKeys}). */
  readonly obligationMetadataKeys?: readonly string[];
}

interface Index {
  readonly orders: ReadonlyMap<string, OrderRecord>;
  readonly payments: ReadonlyMap<string, PaymentRecord>;
  /** SUT customer ids by Razorpay customer, from the customer's notes. */
  readonly customers: ReadonlyMap<string, string | null>;
  /** Event ids by `objectId event`. */
  readonly events: ReadonlyMap<string, string[]>;
  readonly metadataKeys: readonly string[];
}

const notesOf = (notes: RenderedNotes | undefined): Notes =>
  notes === undefined || Array.isArray(notes) ? {} : notes;
const noted = (notes: Notes, key: string): string | null => {
  const value = notes[key];
  return value === undefined || value === '' ? null : String(value);
};
const isoSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString();

function indexOf(dump: RazorpayDump, metadataKeys: readonly string[]): Index {
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
    customers: new Map(
      dump.customers.map((customer) => [customer.id, noted(notesOf(customer.notes), customerIdMetadataKey)]),
    ),
    events,
    metadataKeys,
  };
}

const eventsOf = (index: Index, objectId: string | null, types: readonly string[]): string[] =>
  objectId === null ? [] : types.flatMap((type) => index.events.get(`${objectId} ${type}`) ?? []);

/**
 * Whose a payment is: the SUT's id from the payment's notes, else its order's, else its
 * Razorpay customer's (`fakepsp_customer_id`); the Razorpay customer from the payment or order.
 */
function ownerOf(index: Index, payment: PaymentRecord | undefined) {
  const order = index.orders.get(payment?.payment.order_id ?? '');
  const pspCustomerId = payment?.payment.customer_id ?? order?.customerId ?? null;
  const customerId =
    noted(notesOf(payment?.payment.notes), customerIdMetadataKey) ??
    noted(notesOf(order?.order.notes), customerIdMetadataKey) ??
    (pspCustomerId === null ? null : (index.customers.get(pspCustomerId) ?? null));
  return { pspCustomerId, customerId };
}

/** What a payment was for: its order's receipt and the obligation notes of payment and order. */
function paymentKeys(index: Index, payment: PaymentRecord): string[] {
  const keys = new Set<string>();
  const order = index.orders.get(payment.payment.order_id ?? '');
  if (order?.order.receipt !== null && order?.order.receipt !== undefined)
    keys.add(`receipt:${order.order.receipt}`);
  for (const notes of [notesOf(payment.payment.notes), notesOf(order?.order.notes)]) {
    for (const key of index.metadataKeys) {
      const value = noted(notes, key);
      if (value !== null) keys.add(`metadata:${key}=${value}`);
    }
  }
  return [...keys].sort();
}

interface MovementBase {
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

function movement(index: Index, base: MovementBase): MoneyMovement {
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

/** A captured payment: money in, named also by its order. */
function captureMovement(index: Index, record: PaymentRecord): MoneyMovement {
  const { payment } = record;
  return movement(index, {
    kind: 'capture',
    objectId: payment.id,
    objectType: 'payment',
    payment: record,
    parentId: null,
    amountMinor: payment.amount,
    currency: payment.currency,
    atSeconds: record.capturedAt ?? payment.created_at,
    status: payment.status,
    eventIds: [
      ...eventsOf(index, payment.id, ['payment.captured']),
      ...eventsOf(index, payment.order_id, ['order.paid']),
    ],
    requestIds: [record.requestId, ...record.captureRequestIds],
    aliases: payment.order_id === null ? [] : [payment.order_id],
    obligationKeys: paymentKeys(index, record),
  });
}

/**
 * A refund moves money out once processed; one that failed after that brings it back (a
 * `refund_reversal`). A refund that failed before it was processed moved nothing, and neither
 * did Razorpay giving back an authorisation that was never captured.
 */
function refundMovements(index: Index, record: RefundRecord): MoneyMovement[] {
  const { refund } = record;
  if (record.processedAt === null || record.origin === 'authorization_expired') return [];
  const common = {
    objectId: refund.id,
    objectType: 'refund',
    payment: index.payments.get(refund.payment_id),
    parentId: refund.payment_id,
    amountMinor: refund.amount,
    currency: refund.currency,
    status: refund.status,
  };
  const keys = record.idempotencyKey === null ? [] : [`idempotency:${record.idempotencyKey}`];
  for (const key of index.metadataKeys) {
    const value = noted(notesOf(refund.notes), key);
    if (value !== null) keys.push(`metadata:${key}=${value}`);
  }
  const result = [
    movement(index, {
      ...common,
      kind: 'refund',
      atSeconds: record.processedAt,
      eventIds: eventsOf(index, refund.id, ['refund.created', 'refund.processed']),
      requestIds: [record.requestId],
      obligationKeys: keys.sort(),
    }),
  ];
  if (record.failedAt !== null) {
    result.push(
      movement(index, {
        ...common,
        kind: 'refund_reversal',
        atSeconds: record.failedAt,
        eventIds: eventsOf(index, refund.id, ['refund.failed']),
        requestIds: [],
      }),
    );
  }
  return result;
}

/** A lost dispute: the disputed amount leaves for good. A won one moved nothing. */
function disputeMovements(index: Index, record: DisputeRecord): MoneyMovement[] {
  const { dispute } = record;
  if (record.lostAt === null) return [];
  return [
    movement(index, {
      kind: 'dispute_withdrawal',
      objectId: dispute.id,
      objectType: 'dispute',
      payment: index.payments.get(dispute.payment_id),
      parentId: dispute.payment_id,
      amountMinor: dispute.amount_deducted,
      currency: dispute.currency,
      atSeconds: record.lostAt,
      status: dispute.status,
      eventIds: eventsOf(index, dispute.id, ['payment.dispute.created', 'payment.dispute.lost']),
      requestIds: [],
    }),
  ];
}

function objectRecord(
  index: Index,
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

/**
 * Builds the checker's view of what the fake Razorpay did from its dump. A captured payment is
 * a `capture` (alias: its order); a processed refund a `refund` (parent: the payment), and a
 * `refund_reversal` too if it failed afterwards; a lost dispute a `dispute_withdrawal`. Orders,
 * failed or uncaptured payments, unprocessed refunds and won disputes are objects. The SUT's
 * customer comes from `notes.fakepsp_customer_id` of the payment, its order or the Razorpay
 * customer; obligation keys are `receipt:<order receipt>`, `metadata:<key>=<value>` of obligation
 * notes and `idempotency:<X-Refund-Idempotency>`.
 *
 * @example
 * const records = razorpayRecords(razorpay.dump() as RazorpayDump);
 * reconcile({ ledger, psps: [records], journal: sim.journal });
 */
export function razorpayRecords(dump: RazorpayDump, options: RazorpayRecordsOptions = {}): PspRecords {
  const index = indexOf(dump, options.obligationMetadataKeys ?? defaultObligationMetadataKeys);
  const movements: MoneyMovement[] = [];
  const objects: PspObjectRecord[] = [];
  for (const record of dump.orders) {
    const { order } = record;
    const first = dump.payments.find((payment) => payment.payment.order_id === order.id);
    objects.push(
      objectRecord(index, { id: order.id, type: 'order', status: order.status }, first, order, null),
    );
  }
  for (const record of dump.payments) {
    const { payment } = record;
    if (payment.captured) movements.push(captureMovement(index, record));
    else
      objects.push(
        objectRecord(
          index,
          { id: payment.id, type: 'payment', status: payment.status },
          record,
          payment,
          payment.order_id,
        ),
      );
  }
  for (const record of dump.refunds) {
    const moved = refundMovements(index, record);
    movements.push(...moved);
    if (moved.length === 0) {
      const { refund } = record;
      const payment = index.payments.get(refund.payment_id);
      objects.push(
        objectRecord(
          index,
          { id: refund.id, type: 'refund', status: refund.status },
          payment,
          refund,
          refund.payment_id,
        ),
      );
    }
  }
  for (const record of dump.disputes) {
    const moved = disputeMovements(index, record);
    movements.push(...moved);
    if (moved.length === 0) {
      const { dispute } = record;
      const payment = index.payments.get(dispute.payment_id);
      objects.push(
        objectRecord(
          index,
          { id: dispute.id, type: 'dispute', status: dispute.status },
          payment,
          dispute,
          dispute.payment_id,
        ),
      );
    }
  }
  const customers: PspCustomerRecord[] = dump.customers.map((customer) => ({
    psp: 'razorpay',
    pspCustomerId: customer.id,
    customerId: index.customers.get(customer.id) ?? null,
  }));
  return { psp: 'razorpay', movements, objects, customers };
}
