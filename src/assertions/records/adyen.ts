import type { AdyenDispute, AdyenDump, AdyenModification, AdyenPayment } from '../../fakes/adyen/store.ts';
import {
  customerIdMetadataKey,
  defaultObligationMetadataKeys,
  type MoneyMovement,
  type MovementKind,
  type PspCustomerRecord,
  type PspObjectRecord,
  type PspRecords,
} from '../psp-records.ts';

export type { AdyenDump } from '../../fakes/adyen/store.ts';

/** Options for {@link adyenRecords}. */
export interface AdyenRecordsOptions {
  /** Metadata keys whose values name an obligation (default {@link defaultObligationMetadataKeys}). */
  readonly obligationMetadataKeys?: readonly string[];
}

/**
 * A CAPTURE_FAILED takes captured money back: a `capture_reversal` on the capture's own id, so
 * that a capture and its failure, both unbooked, cancel out.
 */
const captureReversalKind: MovementKind = 'capture_reversal';

interface Index {
  readonly payments: ReadonlyMap<string, AdyenPayment>;
  /** Event ids by `objectId eventCode`, successful events only. */
  readonly events: ReadonlyMap<string, string[]>;
  readonly metadataKeys: readonly string[];
}

function indexOf(dump: AdyenDump, metadataKeys: readonly string[]): Index {
  const events = new Map<string, string[]>();
  for (const event of dump.events) {
    if (event.item.success !== 'true') continue;
    const key = `${event.objectId} ${event.eventCode}`;
    const list = events.get(key);
    if (list === undefined) events.set(key, [event.id]);
    else list.push(event.id);
  }
  return { payments: new Map(dump.payments.map((p) => [p.pspReference, p])), events, metadataKeys };
}

const eventsOf = (index: Index, objectId: string, eventCode: string): string[] =>
  index.events.get(`${objectId} ${eventCode}`) ?? [];

/** The shopper a payment belongs to: the harness aligns shopperReference with its customer ids. */
function ownerOf(payment: AdyenPayment | undefined) {
  const shopper = payment?.shopperReference ?? null;
  const fromMetadata = payment?.metadata[customerIdMetadataKey] ?? null;
  return { pspCustomerId: shopper, customerId: shopper ?? fromMetadata };
}

/** What a payment was for: its idempotency key, merchant reference and obligation metadata. */
function paymentKeys(index: Index, payment: AdyenPayment): string[] {
  const keys = new Set<string>();
  if (payment.idempotencyKey !== null) keys.add(`idempotency:${payment.idempotencyKey}`);
  keys.add(`reference:${payment.merchantReference}`);
  for (const key of index.metadataKeys) {
    const value = payment.metadata[key];
    if (value !== undefined && value !== '') keys.add(`metadata:${key}=${value}`);
  }
  return [...keys];
}

interface MovementBase {
  readonly kind: MovementKind;
  readonly objectId: string;
  readonly objectType: string;
  readonly payment: AdyenPayment | undefined;
  readonly parentId: string | null;
  readonly amountMinor: number;
  readonly currency: string;
  readonly at: string;
  readonly status: string;
  readonly eventIds: readonly string[];
  readonly requestId: string | null;
  readonly aliases?: readonly string[];
  readonly obligationKeys?: readonly string[];
}

function movement(base: MovementBase): MoneyMovement {
  const owner = ownerOf(base.payment);
  return {
    psp: 'adyen',
    kind: base.kind,
    objectId: base.objectId,
    objectType: base.objectType,
    parentId: base.parentId,
    aliases: base.aliases ?? [],
    account: base.payment?.merchantAccount ?? null,
    pspCustomerId: owner.pspCustomerId,
    customerId: owner.customerId,
    amountMinor: base.amountMinor,
    currency: base.currency.toLowerCase(),
    at: base.at,
    obligationKeys: [...(base.obligationKeys ?? [])].sort(),
    status: base.status,
    eventIds: base.eventIds,
    requestIds: base.requestId === null ? [] : [base.requestId],
  };
}

function objectRecord(
  objectId: string,
  objectType: string,
  status: string,
  payment: AdyenPayment | undefined,
  amount: { readonly value: number; readonly currency: string } | null,
  parentId: string | null,
): PspObjectRecord {
  return {
    psp: 'adyen',
    objectId,
    objectType,
    status,
    ...ownerOf(payment),
    amountMinor: amount?.value ?? null,
    currency: amount === null ? null : amount.currency.toLowerCase(),
    parentId,
  };
}

/** An automatic capture: the payment itself moved the money, announced by AUTHORISATION. */
function paymentMovement(index: Index, payment: AdyenPayment): MoneyMovement {
  return movement({
    kind: 'capture',
    objectId: payment.pspReference,
    objectType: 'payment',
    payment,
    parentId: null,
    amountMinor: payment.amount.value,
    currency: payment.amount.currency,
    at: payment.autoCapturedAt!,
    status: 'captured',
    eventIds: eventsOf(index, payment.pspReference, 'AUTHORISATION'),
    requestId: payment.requestId,
    aliases: [payment.merchantReference],
    obligationKeys: paymentKeys(index, payment),
  });
}

const refundTypes: Readonly<Record<string, string>> = {
  refund: 'REFUND',
  reversal: 'CANCEL_OR_REFUND',
  technical_cancel: 'TECHNICAL_CANCEL',
};

/**
 * A modification's movements: a capture (money in; the payment's first capture also carries the
 * payment's obligation keys), a refund or the refund half of a cancel-or-refund (money out), a
 * capture or refund undone by the scheme. Failed ones and cancellations moved nothing.
 */
function modificationMovements(
  index: Index,
  modification: AdyenModification,
  firstCapture: boolean,
): MoneyMovement[] {
  const payment = index.payments.get(modification.paymentPspReference);
  const common = {
    payment,
    parentId: modification.paymentPspReference,
    amountMinor: modification.amount.value,
    currency: modification.amount.currency,
    at: modification.createdAt,
    requestId: modification.requestId,
  };
  const own = modification.pspReference;
  const keys = modification.idempotencyKey === null ? [] : [`idempotency:${modification.idempotencyKey}`];
  const reference = modification.reference === null ? [] : [modification.reference];
  if (modification.status !== 'succeeded') return [];
  switch (modification.kind) {
    case 'capture': {
      const payments = payment === undefined ? [] : [payment.pspReference, payment.merchantReference];
      const obligationKeys =
        firstCapture && payment !== undefined ? [...keys, ...paymentKeys(index, payment)] : keys;
      return [
        movement({
          ...common,
          kind: 'capture',
          objectId: own,
          objectType: 'capture',
          status: 'captured',
          eventIds: eventsOf(index, own, 'CAPTURE'),
          aliases: [...new Set([...payments, ...reference])],
          obligationKeys: [...new Set(obligationKeys)],
        }),
      ];
    }
    case 'capture_failed':
      return [
        movement({
          ...common,
          kind: captureReversalKind,
          objectId: modification.target ?? own,
          objectType: 'capture_failed',
          status: 'capture_failed',
          eventIds: eventsOf(index, modification.target ?? own, 'CAPTURE_FAILED'),
        }),
      ];
    case 'refund_failed':
      return [
        movement({
          ...common,
          kind: 'refund_reversal',
          objectId: modification.target ?? own,
          objectType: 'refund',
          status: 'failed',
          eventIds: eventsOf(index, modification.target ?? own, 'REFUND_FAILED'),
        }),
      ];
    default: {
      const eventCode = refundTypes[modification.kind];
      if (eventCode === undefined || (modification.kind !== 'refund' && modification.action !== 'refund'))
        return [];
      return [
        movement({
          ...common,
          kind: 'refund',
          objectId: own,
          objectType: modification.kind,
          status: 'refunded',
          eventIds: eventsOf(index, own, eventCode),
          aliases: reference,
        }),
      ];
    }
  }
}

/** A chargeback: money out with CHARGEBACK, back in with CHARGEBACK_REVERSED. */
function disputeMovements(index: Index, dispute: AdyenDispute): MoneyMovement[] {
  const payment = index.payments.get(dispute.paymentPspReference);
  const common = {
    objectId: dispute.pspReference,
    objectType: 'chargeback',
    payment,
    parentId: dispute.paymentPspReference,
    amountMinor: dispute.amount.value,
    currency: dispute.amount.currency,
    status: dispute.status,
    requestId: null,
  };
  const result = [
    movement({
      ...common,
      kind: 'dispute_withdrawal',
      at: dispute.createdAt,
      eventIds: eventsOf(index, dispute.pspReference, 'CHARGEBACK'),
    }),
  ];
  if (dispute.reversedAt !== null) {
    result.push(
      movement({
        ...common,
        kind: 'dispute_reinstatement',
        at: dispute.reversedAt,
        eventIds: eventsOf(index, dispute.pspReference, 'CHARGEBACK_REVERSED'),
      }),
    );
  }
  return result;
}

/**
 * Builds the checker's view of what the fake Adyen did from its dump. `customerId` is the
 * payment's `shopperReference`; obligation keys are `idempotency:<key>`, `reference:<merchant
 * reference>` and obligation metadata. An automatic capture is the payment itself (`payment`);
 * a manual or delayed one is its capture modification (`capture`, parent and alias the payment).
 *
 * @example
 * const sim = createSimulation({ seed: 42 }), ledger = await createReferenceBillingSystem().ledger();
 * reconcile({ ledger, psps: [adyenRecords(createAdyenFake(sim).dump())], journal: sim.journal });
 */
export function adyenRecords(dump: AdyenDump, options: AdyenRecordsOptions = {}): PspRecords {
  const index = indexOf(dump, options.obligationMetadataKeys ?? defaultObligationMetadataKeys);
  const movements: MoneyMovement[] = [];
  const objects: PspObjectRecord[] = [];
  for (const payment of dump.payments) {
    if (payment.autoCapturedAt !== null) movements.push(paymentMovement(index, payment));
    else
      objects.push(
        objectRecord(payment.pspReference, 'payment', payment.status, payment, payment.amount, null),
      );
  }
  const captured = new Set<string>();
  for (const modification of dump.modifications) {
    const payment = index.payments.get(modification.paymentPspReference);
    const first = modification.kind === 'capture' && !captured.has(modification.paymentPspReference);
    const moved = modificationMovements(index, modification, first);
    if (first && moved.length > 0) captured.add(modification.paymentPspReference);
    for (const entry of moved) movements.push(entry);
    if (moved.length === 0) {
      const cancelled = modification.kind === 'cancel' || modification.action === 'cancel';
      const status = modification.status === 'failed' ? 'failed' : cancelled ? 'cancelled' : 'succeeded';
      const record = objectRecord(
        modification.pspReference,
        modification.kind,
        status,
        payment,
        modification.amount,
        modification.paymentPspReference,
      );
      objects.push(record);
    }
  }
  for (const dispute of dump.disputes)
    for (const entry of disputeMovements(index, dispute)) movements.push(entry);
  const shoppers = new Set<string>();
  for (const payment of dump.payments)
    if (payment.shopperReference !== null) shoppers.add(payment.shopperReference);
  for (const method of dump.storedPaymentMethods) shoppers.add(method.shopperReference);
  const customers: PspCustomerRecord[] = [...shoppers].map((shopper) => ({
    psp: 'adyen',
    pspCustomerId: shopper,
    customerId: shopper,
  }));
  return { psp: 'adyen', movements, objects, customers };
}
