import type { JsonValue } from '../../sim/canonical-json.ts';
import { UnitOfWork } from '../common/unit-of-work.ts';
import type { AdyenAmount, NotificationItem, RecurringModel } from './wire.ts';

/** Where a payment stands after its authorisation (captures and refunds are modifications). */
/** `authenticating`: waiting for the shopper's 3D Secure (a `RedirectShopper` or `ChallengeShopper`). */
export type PaymentStatus = 'authorised' | 'refused' | 'error' | 'received' | 'cancelled' | 'authenticating';

/**
 * A `/payments` call and its outcome. `captureMode` says how the money moves: `automatic`
 * (captured with the authorisation), `manual` (captures are API calls), `delayed` (a capture
 * that runs `captureDelayHours` after authorisation unless the merchant captured or cancelled).
 */
export type AdyenPayment = {
  readonly pspReference: string;
  readonly merchantAccount: string;
  readonly merchantReference: string;
  readonly amount: AdyenAmount;
  readonly resultCode:
    'Authorised' | 'Refused' | 'Error' | 'Received' | 'RedirectShopper' | 'ChallengeShopper';
  readonly refusalReason: string | null;
  readonly refusalReasonCode: string | null;
  readonly status: PaymentStatus;
  readonly shopperReference: string | null;
  readonly shopperInteraction: string;
  readonly recurringProcessingModel: string | null;
  readonly paymentMethod: CardSummary;
  /** The stored method charged, or the one this payment created. */
  readonly storedPaymentMethodId: string | null;
  readonly tokenization: 'created' | 'updated' | 'alreadyExisting' | null;
  readonly captureMode: 'automatic' | 'manual' | 'delayed';
  readonly captureDelayHours: number | null;
  /** When an automatic capture moved the money (with the authorisation). */
  readonly autoCapturedAt: string | null;
  readonly authCode: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly sessionId: string | null;
  readonly createdAt: string;
  /** The API request that created it (its pspReference); none for a harness action. */
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
};

/** What the fake keeps of a card: never the full number. */
export type CardSummary = {
  readonly type: string;
  readonly brand: string;
  readonly lastFour: string;
  readonly expiryMonth: string | null;
  readonly expiryYear: string | null;
  readonly holderName: string | null;
};

/** The modifications a payment can receive, plus the later reversals of a capture or refund. */
export type ModificationKind =
  | 'capture'
  | 'refund'
  | 'cancel'
  | 'reversal'
  | 'technical_cancel'
  | 'capture_failed'
  | 'refund_failed'
  | 'amount_update';

/**
 * One modification. Its outcome is decided when Adyen receives it and reported by webhook
 * (`status`, `reason`); `action` says what a cancel-or-refund did. A `capture_failed` or
 * `refund_failed` names the capture or refund it undid in `target`.
 */
export type AdyenModification = {
  readonly pspReference: string;
  readonly paymentPspReference: string;
  readonly kind: ModificationKind;
  readonly merchantAccount: string;
  readonly reference: string | null;
  readonly amount: AdyenAmount;
  readonly status: 'succeeded' | 'failed';
  readonly reason: string;
  readonly action: 'cancel' | 'refund' | null;
  readonly target: string | null;
  readonly origin: 'api' | 'customer_area' | 'automatic' | 'scheme';
  readonly createdAt: string;
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
};

/** A chargeback: the money leaves with CHARGEBACK, comes back with CHARGEBACK_REVERSED. */
export type AdyenDispute = {
  readonly pspReference: string;
  readonly paymentPspReference: string;
  readonly merchantAccount: string;
  readonly amount: AdyenAmount;
  readonly reasonCode: string;
  readonly reason: string;
  readonly status: 'lost' | 'reversed';
  readonly createdAt: string;
  readonly reversedAt: string | null;
};

/**
 * A stored card (token). fakepsp convention: the `holderName` it was stored with sticks, so a
 * card stored as `NOT_ENOUGH_BALANCE` tokenizes fine and every later charge with it is refused.
 */
export type AdyenStoredMethod = {
  readonly id: string;
  readonly merchantAccount: string;
  readonly shopperReference: string;
  readonly card: CardSummary;
  /** Brand, last four and expiry: a second store of the same card is `alreadyExisting`. */
  readonly fingerprint: string;
  readonly recurringProcessingModel: string | null;
  readonly firstPspReference: string | null;
  readonly createdAt: string;
  readonly disabled: boolean;
};

/** A Checkout session (Drop-in / Components). */
export type AdyenSession = {
  readonly id: string;
  readonly sessionData: string;
  readonly merchantAccount: string;
  readonly reference: string;
  readonly amount: AdyenAmount;
  readonly returnUrl: string;
  readonly shopperReference: string | null;
  readonly storePaymentMethod: boolean;
  readonly recurringProcessingModel: RecurringModel | null;
  readonly expiresAt: string;
  readonly status: 'active' | 'completed' | 'refused' | 'paymentPending' | 'expired';
  readonly paymentPspReference: string | null;
  readonly createdAt: string;
};

/**
 * A Pay by Link link (`/paymentLinks`): the shopper pays on Adyen's hosted page, which the harness
 * plays (`pay_payment_link`). A single-use link is `completed` by its first authorised payment.
 */
export type AdyenPaymentLink = {
  readonly id: string;
  readonly url: string;
  readonly merchantAccount: string;
  readonly reference: string;
  readonly amount: AdyenAmount;
  readonly description: string | null;
  readonly shopperReference: string | null;
  readonly shopperEmail: string | null;
  readonly returnUrl: string | null;
  readonly reusable: boolean;
  readonly metadata: Readonly<Record<string, string>>;
  readonly captureMode: AdyenPayment['captureMode'];
  readonly captureDelayHours: number | null;
  readonly expiresAt: string;
  readonly status: 'active' | 'completed' | 'paymentPending' | 'expired';
  readonly updatedAt: string;
  /** Its payments' pspReferences, oldest first. */
  readonly payments: readonly string[];
};

/** A webhook event: the unsigned item, and what caused it. */
export type AdyenEventRecord = {
  readonly id: string;
  readonly eventCode: string;
  readonly item: NotificationItem;
  /** The object the event is about: the payment, modification or chargeback. */
  readonly objectId: string;
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
  readonly at: string;
};

/**
 * A modification the harness asked to fail (`fail_next_capture`, `fail_next_refund`): the next
 * one of that payment, or of any payment in that merchant account, or of any payment at all.
 */
export type PendingFailure = {
  readonly paymentPspReference: string | null;
  readonly merchantAccount: string | null;
  readonly operation: 'capture' | 'refund';
  readonly reason: string;
};

/** Everything the fake holds, as `dump()` and `/_fakepsp/state` give it; lists in creation order. */
export type AdyenDump = {
  readonly payments: readonly AdyenPayment[];
  readonly modifications: readonly AdyenModification[];
  readonly disputes: readonly AdyenDispute[];
  readonly storedPaymentMethods: readonly AdyenStoredMethod[];
  readonly sessions: readonly AdyenSession[];
  readonly paymentLinks: readonly AdyenPaymentLink[];
  readonly events: readonly AdyenEventRecord[];
  readonly pendingFailures: readonly PendingFailure[];
  readonly webhooks: readonly { readonly id: string; readonly url: string }[];
};

/**
 * The fake's state: tables keyed by id keep insertion order, so dumps are deterministic. Every
 * write goes through {@link AdyenStore.unit}: a request, harness action or job commits once, after
 * the money invariants hold, or leaves nothing behind.
 */
export class AdyenStore {
  readonly unit = new UnitOfWork();
  readonly payments = this.unit.table<AdyenPayment>();
  readonly modifications = this.unit.table<AdyenModification>();
  readonly disputes = this.unit.table<AdyenDispute>();
  readonly storedMethods = this.unit.table<AdyenStoredMethod>();
  readonly sessions = this.unit.table<AdyenSession>();
  readonly paymentLinks = this.unit.table<AdyenPaymentLink>();
  /** Failures the harness asked for, oldest first, keyed by the order they were asked in. */
  readonly pendingFailures = this.unit.table<PendingFailure>();
  /** Published notifications: written when they go out, after their unit committed. */
  readonly events = this.unit.rows<AdyenEventRecord>();
  #failuresAsked = 0;

  /** The modifications of one payment, oldest first. */
  modificationsOf(paymentPspReference: string): AdyenModification[] {
    return this.modifications.where('paymentPspReference', paymentPspReference);
  }

  /** Queues a failure the harness asked for. */
  addFailure(failure: PendingFailure): void {
    this.pendingFailures.set(String(++this.#failuresAsked), failure);
  }

  /** Takes the harness's pending failure for a payment's next capture or refund, if any. */
  takeFailure(payment: AdyenPayment, operation: 'capture' | 'refund'): PendingFailure | undefined {
    for (const [key, failure] of this.pendingFailures.entries()) {
      const matches =
        failure.operation === operation &&
        (failure.paymentPspReference === null || failure.paymentPspReference === payment.pspReference) &&
        (failure.merchantAccount === null || failure.merchantAccount === payment.merchantAccount);
      if (!matches) continue;
      this.pendingFailures.delete(key);
      return failure;
    }
    return undefined;
  }

  dump(webhooks: readonly { readonly id: string; readonly url: string }[]): AdyenDump {
    const dump: AdyenDump = {
      payments: this.payments.values(),
      modifications: this.modifications.values(),
      disputes: this.disputes.values(),
      storedPaymentMethods: this.storedMethods.values(),
      sessions: this.sessions.values(),
      paymentLinks: this.paymentLinks.values(),
      events: [...this.events.values()],
      pendingFailures: this.pendingFailures.values(),
      webhooks,
    };
    // A deep copy: later changes must not rewrite a dump already handed out.
    return JSON.parse(JSON.stringify(dump as JsonValue)) as AdyenDump;
  }
}
