import { fail } from './errors.ts';
import type { EventCode } from './notifications.ts';
import type { AdyenRuntime, Emit } from './runtime.ts';
import type { AdyenModification, AdyenPayment, ModificationKind } from './store.ts';
import { isoAt, type AdyenAmount } from './wire.ts';

/** Adyen's reason for a modification the payment's balance cannot cover. */
export const insufficientBalance = 'Insufficient balance on payment';

/** The notification each modification kind is reported with. */
const eventCodes: Readonly<Record<ModificationKind, EventCode>> = {
  capture: 'CAPTURE',
  refund: 'REFUND',
  cancel: 'CANCELLATION',
  reversal: 'CANCEL_OR_REFUND',
  technical_cancel: 'TECHNICAL_CANCEL',
  capture_failed: 'CAPTURE_FAILED',
  refund_failed: 'REFUND_FAILED',
  amount_update: 'AUTHORISATION_ADJUSTMENT',
};

/** A modification decided and ready to record. */
export interface ModificationSpec {
  readonly pspReference: string;
  readonly payment: AdyenPayment;
  readonly kind: ModificationKind;
  readonly amount: AdyenAmount;
  readonly reference: string | null;
  readonly status: AdyenModification['status'];
  readonly reason: string;
  readonly action?: 'cancel' | 'refund';
  readonly target?: string;
  readonly origin: AdyenModification['origin'];
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
}

/**
 * Records a modification and emits its notification: pspReference the modification's own,
 * originalReference the payment's, merchantReference the modification's reference or else the
 * payment's. A successful cancel (or a cancel-or-refund that cancelled) cancels the payment.
 */
export function recordModification(
  runtime: AdyenRuntime,
  spec: ModificationSpec,
  emit: Emit,
): AdyenModification {
  const { payment } = spec;
  const modification: AdyenModification = {
    pspReference: spec.pspReference,
    paymentPspReference: payment.pspReference,
    kind: spec.kind,
    merchantAccount: payment.merchantAccount,
    reference: spec.reference,
    amount: spec.amount,
    status: spec.status,
    reason: spec.reason,
    action: spec.action ?? null,
    target: spec.target ?? null,
    origin: spec.origin,
    createdAt: isoAt(runtime.sim.clock.nowMs()),
    requestId: spec.requestId,
    idempotencyKey: spec.idempotencyKey,
  };
  runtime.store.modifications.set(modification.pspReference, modification);
  const cancels = spec.kind === 'cancel' || spec.action === 'cancel';
  if (spec.status === 'succeeded' && cancels)
    runtime.store.payments.set(payment.pspReference, { ...payment, status: 'cancelled' });
  // CAPTURE_FAILED and REFUND_FAILED carry the pspReference of the capture or refund they undo.
  const about = spec.target ?? modification.pspReference;
  emit(
    {
      eventCode: eventCodes[spec.kind],
      pspReference: about,
      originalReference: payment.pspReference,
      merchantAccountCode: payment.merchantAccount,
      merchantReference: spec.reference ?? payment.merchantReference,
      amount: spec.amount,
      success: spec.status === 'succeeded',
      reason: spec.reason,
      paymentMethod: payment.paymentMethod.brand,
      additionalData: spec.action === undefined ? {} : { 'modification.action': spec.action },
    },
    about,
  );
  return modification;
}

/**
 * The payment a modification names, in the merchant account of the request. Adyen answers an
 * unknown pspReference, or one that never authorised, with 422 `167`.
 */
export function modifiablePayment(runtime: AdyenRuntime, pspReference: string, merchantAccount: string) {
  const payment = runtime.store.payments.get(pspReference);
  if (payment === undefined || payment.merchantAccount !== merchantAccount)
    fail({ kind: 'original_reference_invalid' });
  if (payment.resultCode !== 'Authorised') fail({ kind: 'original_reference_invalid' });
  return payment;
}

/** A modification amount: positive, in the payment's currency. */
export function modificationAmount(amount: AdyenAmount, payment: AdyenPayment): AdyenAmount {
  if (amount.value <= 0 || amount.currency !== payment.amount.currency) fail({ kind: 'amount_invalid' });
  return amount;
}
