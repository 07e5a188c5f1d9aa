import type { PspName } from '../fakes/common/psp-core.ts';

/**
 * What a PSP actually did, in one PSP-agnostic shape the checker reconciles the ledger against.
 * Each PSP has a builder (`records/stripe.ts`; Adyen and Razorpay later) from its fake's state.
 */

/**
 * The ways money moves at a PSP that a billing ledger must mirror. `transfer` is money the
 * platform sends on to a connected account (a destination charge's Stripe `tr_`), and
 * `application_fee` what the platform keeps back from a connected account's payment (`fee_`).
 */
export type MovementKind =
  | 'capture'
  | 'refund'
  | 'refund_reversal'
  | 'capture_reversal'
  | 'dispute_withdrawal'
  | 'dispute_reinstatement'
  | 'transfer'
  | 'application_fee';

/** Money coming in to the merchant (+1) or going out (-1), as it shows in `psp:<psp>:cash`. */
export function movementSign(kind: MovementKind): 1 | -1 {
  return kind === 'capture' ||
    kind === 'refund_reversal' ||
    kind === 'dispute_reinstatement' ||
    kind === 'application_fee'
    ? 1
    : -1;
}

/** Movements between the platform and a connected account: not charges, and each names its account. */
export function isConnectMovement(kind: MovementKind): boolean {
  return kind === 'transfer' || kind === 'application_fee';
}

/**
 * One movement of money at a PSP.
 *
 * @example
 * { psp: 'stripe', kind: 'capture', objectId: 'ch_1', objectType: 'charge', amountMinor: 3000, currency: 'usd', … }
 */
export interface MoneyMovement {
  readonly psp: PspName;
  readonly kind: MovementKind;
  /** The PSP's id for it: Stripe `ch_`/`re_`/`dp_`/`tr_`/`fee_`; Adyen `pspReference`; Razorpay `pay_`/`rfnd_`. */
  readonly objectId: string;
  /** The PSP's object type: `charge`, `refund`, `dispute`, `payment`, … */
  readonly objectType: string;
  /**
   * The object this one follows from: a refund's, dispute's, transfer's or application fee's
   * charge (Adyen `originalReference`, Razorpay payment id). Null for a capture.
   */
  readonly parentId: string | null;
  /** Other ids a ledger may name the movement by: PaymentIntent, invoice, Checkout Session, order. */
  readonly aliases: readonly string[];
  /** A sub-account it happened in: a Stripe Connect account, an Adyen merchant account. */
  readonly account: string | null;
  /**
   * The connected account on the other side, for {@link isConnectMovement} kinds: where a
   * transfer sent the money, or whose payment an application fee was taken from. A ledger
   * books it on `psp:<psp>:connect:<destination>`.
   */
  readonly destination?: string;
  readonly pspCustomerId: string | null;
  /** The SUT's customer id when the PSP knows it (customer metadata `fakepsp_customer_id`). */
  readonly customerId: string | null;
  /** Positive integer minor units; the direction is in {@link kind}. */
  readonly amountMinor: number;
  /** Lowercase ISO 4217. */
  readonly currency: string;
  /** ISO 8601, when the money moved. */
  readonly at: string;
  /** Keys naming what the money was for: `idempotency:…`, `metadata:order_id=…`, `invoice:in_…`. */
  readonly obligationKeys: readonly string[];
  /** The PSP's own status of the object (`succeeded`, `pending`, `failed`, `lost`, …). */
  readonly status: string;
  /** The PSP events that announced it, for the journal witness. */
  readonly eventIds: readonly string[];
  /** The API requests that caused it, for the journal witness. */
  readonly requestIds: readonly string[];
}

/** Any object the PSP holds that a ledger may refer to, moved money or not. */
export interface PspObjectRecord {
  readonly psp: PspName;
  readonly objectId: string;
  readonly objectType: string;
  readonly status: string | null;
  readonly pspCustomerId: string | null;
  readonly customerId: string | null;
  readonly amountMinor: number | null;
  readonly currency: string | null;
  readonly parentId: string | null;
}

/** A PSP customer and the SUT customer it stands for, when the PSP knows. */
export interface PspCustomerRecord {
  readonly psp: PspName;
  readonly pspCustomerId: string;
  readonly customerId: string | null;
}

/** Everything the checker needs from one PSP. */
export interface PspRecords {
  readonly psp: PspName;
  readonly movements: readonly MoneyMovement[];
  /** Objects that moved no money (failed charges, PaymentIntents, invoices, customers, …). */
  readonly objects: readonly PspObjectRecord[];
  readonly customers: readonly PspCustomerRecord[];
}

/** Metadata keys read as obligation keys unless a builder is told otherwise. */
export const defaultObligationMetadataKeys: readonly string[] = [
  'fakepsp_obligation_id',
  'obligation_id',
  'order_id',
  'invoice_id',
  'topup_id',
  'request_id',
  'requestId',
  'idempotency_key',
];

/** The metadata key through which a SUT tells the PSP its own customer id. */
export const customerIdMetadataKey = 'fakepsp_customer_id';

/** A movement's short name for messages: `capture ch_1`. */
export function movementLabel(movement: Pick<MoneyMovement, 'kind' | 'objectId'>): string {
  return `${movement.kind.replaceAll('_', ' ')} ${movement.objectId}`;
}
