import type { AdyenPayment, AdyenStore } from './store.ts';

/** Where a payment's money stands, in its currency's minor units. */
export interface PaymentBalance {
  /** Authorised and not yet captured or cancelled: what a capture may still take. */
  readonly capturable: number;
  /** Captured and still captured (a CAPTURE_FAILED gives it back). */
  readonly captured: number;
  /** Everything ever captured, failed captures included: what refunds and chargebacks were taken from. */
  readonly capturedGross: number;
  /** Refunded and not reversed (REFUND_FAILED gives it back). */
  readonly refunded: number;
  /** Lost to chargebacks still standing. */
  readonly disputed: number;
  /** What a refund may still take: captured, less refunds and chargebacks. */
  readonly refundable: number;
}

/**
 * Sums a payment's modifications and chargebacks: the one place that says how much of it may
 * still be captured, refunded or charged back.
 */
export function balanceOf(store: AdyenStore, payment: AdyenPayment): PaymentBalance {
  let capturedGross = payment.autoCapturedAt === null ? 0 : payment.amount.value;
  let captureReversed = 0;
  let refunded = 0;
  for (const modification of store.modificationsOf(payment.pspReference)) {
    if (modification.status !== 'succeeded') continue;
    const value = modification.amount.value;
    if (modification.kind === 'capture') capturedGross += value;
    else if (modification.kind === 'capture_failed') captureReversed += value;
    else if (modification.kind === 'refund') refunded += value;
    else if (modification.kind === 'refund_failed') refunded -= value;
    else if (modification.action === 'refund') refunded += value;
  }
  let disputed = 0;
  for (const dispute of store.disputes.where('paymentPspReference', payment.pspReference)) {
    if (dispute.paymentPspReference === payment.pspReference && dispute.status === 'lost')
      disputed += dispute.amount.value;
  }
  const open = payment.status === 'authorised' && payment.captureMode !== 'automatic';
  const captured = capturedGross - captureReversed;
  return {
    capturable: open ? Math.max(0, payment.amount.value - capturedGross) : 0,
    captured,
    capturedGross,
    refunded,
    disputed,
    refundable: Math.max(0, captured - refunded - disputed),
  };
}
