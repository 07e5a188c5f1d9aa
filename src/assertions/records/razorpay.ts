import type { DisputeRecord, PaymentRecord, RazorpayDump, RefundRecord } from '../../fakes/razorpay/store.ts';
import {
  defaultObligationMetadataKeys,
  type MoneyMovement,
  type PspCustomerRecord,
  type PspObjectRecord,
  type PspRecords,
} from '../psp-records.ts';
import {
  eventsOf,
  indexOf,
  movement,
  noted,
  notesOf,
  objectRecord,
  paymentKeys,
  type RazorpayIndex as Index,
} from './razorpay-index.ts';
import { subscriptionObjects } from './razorpay-subscriptions.ts';

export type { RazorpayDump } from '../../fakes/razorpay/store.ts';

/** Options for {@link razorpayRecords}. */
export interface RazorpayRecordsOptions {
  /** Notes keys whose values name an obligation (default {@link defaultObligationMetadataKeys}). */
  readonly obligationMetadataKeys?: readonly string[];
}

/** A captured payment: money in, named also by its order and the invoice it paid. */
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
    aliases: [payment.order_id, payment.invoice_id].filter((id): id is string => id !== null),
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

/**
 * Builds the checker's view of what the fake Razorpay did from its dump. A captured payment is
 * a `capture` (aliases: its order and the subscription invoice it paid); a processed refund a `refund` (parent: the payment), and a
 * `refund_reversal` too if it failed afterwards; a lost dispute a `dispute_withdrawal`. Orders,
 * failed or uncaptured payments, unprocessed refunds, won disputes, subscriptions and their
 * invoices are objects. The SUT's customer comes from `notes.fakepsp_customer_id` of the payment,
 * its order, the Razorpay customer or the subscription; obligation keys are `receipt:<order
 * receipt>`, `invoice:<inv_…>` of a subscription's charge,
 * `metadata:<key>=<value>` of obligation notes and `idempotency:<X-Refund-Idempotency>`.
 *
 * @example
 * const sim = createSimulation({ seed: 42 });
 * const razorpay = createRazorpayFake(sim);
 * const ledger = await createReferenceBillingSystem().ledger();
 * reconcile({ ledger, psps: [razorpayRecords(razorpay.dump())], journal: sim.journal });
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
  objects.push(...subscriptionObjects(index, dump));
  const customers: PspCustomerRecord[] = dump.customers.map((customer) => ({
    psp: 'razorpay',
    pspCustomerId: customer.id,
    customerId: index.customers.get(customer.id) ?? null,
  }));
  return { psp: 'razorpay', movements, objects, customers };
}
