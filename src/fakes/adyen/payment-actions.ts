import { authorisationDraft, type Emit } from './authorise.ts';
import { balanceOf } from './balances.ts';
import { scheduleDelayedCapture } from './delayed-capture.ts';
import { fail } from './errors.ts';
import { recordModification } from './modification-record.ts';
import type { AdyenRuntime } from './runtime.ts';
import type { AdyenDispute, AdyenModification, AdyenPayment, PendingFailure } from './store.ts';
import { isoAt } from './wire.ts';
import { notify } from './webhooks.ts';

/**
 * What happens at Adyen outside the merchant's API calls: a scheme failing a capture, a
 * chargeback, a refund made in the Customer Area, a pending payment settling. Each journals an
 * `action` line first, so the checker sees it as the cause of the notifications that follow.
 */

const dayMs = 86_400_000;

function begin(runtime: AdyenRuntime, action: string, data: Record<string, string>): Emit {
  runtime.sim.journal.append({ kind: 'action', psp: 'adyen', data: { action, ...data } });
  return (draft, objectId) => notify(runtime, draft, objectId, { requestId: null, idempotencyKey: null });
}

/** The payment an action names: by its own pspReference, or by one of its captures'. */
function paymentOf(runtime: AdyenRuntime, pspReference: string): AdyenPayment {
  const capture = runtime.store.modifications.get(pspReference);
  const paymentReference = capture?.kind === 'capture' ? capture.paymentPspReference : pspReference;
  const payment = runtime.store.payments.get(paymentReference);
  if (payment === undefined || payment.resultCode !== 'Authorised')
    fail({ kind: 'original_reference_invalid' });
  return payment;
}

function actionModification(
  runtime: AdyenRuntime,
  emit: Emit,
  payment: AdyenPayment,
  spec: Pick<AdyenModification, 'kind' | 'amount' | 'reason'> & {
    target?: string;
    origin: AdyenModification['origin'];
  },
): AdyenModification {
  return recordModification(
    runtime,
    {
      ...spec,
      pspReference: runtime.ids.adyenPspReference(),
      payment,
      reference: null,
      status: 'succeeded',
      requestId: null,
      idempotencyKey: null,
    },
    emit,
  );
}

/**
 * The harness makes the next capture (or refund) fail in its webhook: of one payment, or of any
 * payment in a merchant account (a payment that does not exist yet), or of any payment.
 */
export function failNext(
  runtime: AdyenRuntime,
  input: {
    readonly operation: 'capture' | 'refund';
    readonly pspReference?: string;
    readonly merchantAccount?: string;
    readonly reason?: string;
  },
): PendingFailure {
  const payment = input.pspReference === undefined ? undefined : paymentOf(runtime, input.pspReference);
  const failure: PendingFailure = {
    paymentPspReference: payment?.pspReference ?? null,
    merchantAccount: input.merchantAccount ?? null,
    operation: input.operation,
    reason: input.reason ?? (input.operation === 'capture' ? 'Capture Failed' : 'Refund Failed'),
  };
  runtime.store.addFailure(failure);
  return failure;
}

/**
 * CAPTURE_FAILED: the scheme rejected a capture Adyen had reported as successful, so the money
 * goes back. Names the capture given, else the payment's latest standing capture (its automatic
 * one if it had no other).
 */
export function captureFailed(runtime: AdyenRuntime, input: { readonly pspReference: string }) {
  const payment = paymentOf(runtime, input.pspReference);
  const modifications = runtime.store.modificationsOf(payment.pspReference);
  const undone = new Set(modifications.filter((m) => m.kind === 'capture_failed').map((m) => m.target));
  const standing = modifications.filter(
    (m) => m.kind === 'capture' && m.status === 'succeeded' && !undone.has(m.pspReference),
  );
  const named = standing.find((m) => m.pspReference === input.pspReference);
  const capture = named ?? (input.pspReference === payment.pspReference ? standing.at(-1) : undefined);
  const automatic =
    capture === undefined && payment.autoCapturedAt !== null && !undone.has(payment.pspReference);
  if (capture === undefined && !automatic) fail({ kind: 'original_reference_invalid' });
  const emit = begin(runtime, 'capture_failed', { pspReference: payment.pspReference });
  // An automatic capture has no pspReference of its own: the failure names the payment's.
  const target = capture?.pspReference ?? payment.pspReference;
  return recordModification(
    runtime,
    {
      pspReference: runtime.ids.adyenPspReference(),
      payment,
      kind: 'capture_failed',
      amount: capture?.amount ?? payment.amount,
      reference: null,
      status: 'succeeded',
      reason: 'Capture Failed',
      target,
      origin: 'scheme',
      requestId: null,
      idempotencyKey: null,
    },
    emit,
  );
}

/** REFUND_FAILED: a refund Adyen had accepted bounced; the money comes back to the merchant. */
export function refundFailed(runtime: AdyenRuntime, input: { readonly pspReference: string }) {
  const refund = runtime.store.modifications.get(input.pspReference);
  const undone = runtime.store.modifications
    .where('target', input.pspReference)
    .some((m) => m.kind === 'refund_failed');
  if (refund === undefined || refund.kind !== 'refund' || refund.status !== 'succeeded' || undone)
    fail({ kind: 'original_reference_invalid' });
  const payment = paymentOf(runtime, refund.paymentPspReference);
  const emit = begin(runtime, 'refund_failed', { pspReference: input.pspReference });
  return actionModification(runtime, emit, payment, {
    kind: 'refund_failed',
    amount: refund.amount,
    reason: 'Refund Failed',
    target: refund.pspReference,
    origin: 'scheme',
  });
}

/** A refund made in the Customer Area: nobody called the API, a REFUND notification arrives. */
export function dashboardRefund(
  runtime: AdyenRuntime,
  input: { readonly pspReference: string; readonly amount?: number },
) {
  const payment = paymentOf(runtime, input.pspReference);
  const refundable = balanceOf(runtime.store, payment).refundable;
  const value = input.amount ?? refundable;
  if (value <= 0 || value > refundable) fail({ kind: 'amount_invalid' });
  const emit = begin(runtime, 'dashboard_refund', { pspReference: payment.pspReference });
  const amount = { value, currency: payment.amount.currency };
  return actionModification(runtime, emit, payment, {
    kind: 'refund',
    amount,
    reason: '',
    origin: 'customer_area',
  });
}

/**
 * A chargeback: NOTIFICATION_OF_CHARGEBACK, then CHARGEBACK when the funds are debited, both
 * with the dispute's own pspReference and the payment's as `originalReference`.
 */
export function chargeback(
  runtime: AdyenRuntime,
  input: {
    readonly pspReference: string;
    readonly amount?: number;
    readonly reason?: string;
    readonly reasonCode?: string;
  },
): AdyenDispute {
  const payment = paymentOf(runtime, input.pspReference);
  const open = balanceOf(runtime.store, payment).refundable;
  const value = input.amount ?? open;
  if (value <= 0 || value > open) fail({ kind: 'amount_invalid' });
  const emit = begin(runtime, 'chargeback', { pspReference: payment.pspReference });
  const nowMs = runtime.sim.clock.nowMs();
  const dispute: AdyenDispute = {
    pspReference: runtime.ids.adyenPspReference(),
    paymentPspReference: payment.pspReference,
    merchantAccount: payment.merchantAccount,
    amount: { value, currency: payment.amount.currency },
    reasonCode: input.reasonCode ?? '10.4',
    reason: input.reason ?? 'Other Fraud-Card Absent Environment',
    status: 'lost',
    createdAt: isoAt(nowMs),
    reversedAt: null,
  };
  runtime.store.disputes.set(dispute.pspReference, dispute);
  const additionalData = {
    chargebackReasonCode: dispute.reasonCode,
    chargebackSchemeCode: payment.paymentMethod.brand,
    defensePeriodEndsAt: isoAt(nowMs + 20 * dayMs),
    disputeStatus: 'Undefended',
  };
  for (const eventCode of ['NOTIFICATION_OF_CHARGEBACK', 'CHARGEBACK'] as const) {
    emit(disputeDraft(payment, dispute, eventCode, additionalData), dispute.pspReference);
  }
  return dispute;
}

function disputeDraft(
  payment: AdyenPayment,
  dispute: AdyenDispute,
  eventCode: 'NOTIFICATION_OF_CHARGEBACK' | 'CHARGEBACK' | 'CHARGEBACK_REVERSED',
  additionalData: Record<string, string>,
) {
  return {
    eventCode,
    pspReference: dispute.pspReference,
    originalReference: payment.pspReference,
    merchantAccountCode: payment.merchantAccount,
    merchantReference: payment.merchantReference,
    amount: dispute.amount,
    success: true,
    reason: dispute.reason,
    paymentMethod: payment.paymentMethod.brand,
    additionalData,
  };
}

/** CHARGEBACK_REVERSED: the merchant won the dispute; the funds come back. */
export function chargebackReversed(
  runtime: AdyenRuntime,
  input: { readonly pspReference: string },
): AdyenDispute {
  const disputes = runtime.store.disputes.values();
  const dispute =
    runtime.store.disputes.get(input.pspReference) ??
    disputes.filter((d) => d.paymentPspReference === input.pspReference && d.status === 'lost').at(-1);
  if (dispute === undefined || dispute.status !== 'lost') fail({ kind: 'original_reference_invalid' });
  const payment = paymentOf(runtime, dispute.paymentPspReference);
  const emit = begin(runtime, 'chargeback_reversed', { pspReference: dispute.pspReference });
  const reversed = runtime.store.disputes.set(dispute.pspReference, {
    ...dispute,
    status: 'reversed',
    reversedAt: isoAt(runtime.sim.clock.nowMs()),
  });
  emit(
    disputeDraft(payment, reversed, 'CHARGEBACK_REVERSED', { disputeStatus: 'Won' }),
    reversed.pspReference,
  );
  return reversed;
}

/** A payment left `Received` (PENDING) gets its final outcome, and its AUTHORISATION. */
export function lateAuthorisation(
  runtime: AdyenRuntime,
  input: { readonly pspReference: string; readonly outcome: 'authorised' | 'refused' },
): AdyenPayment {
  const payment = runtime.store.payments.get(input.pspReference);
  if (payment === undefined || payment.status !== 'received') fail({ kind: 'original_reference_invalid' });
  const emit = begin(runtime, 'late_authorisation', { pspReference: payment.pspReference });
  const authorised = input.outcome === 'authorised';
  const capturedNow = authorised && payment.captureMode === 'automatic' && payment.amount.value > 0;
  const settled = runtime.store.payments.set(payment.pspReference, {
    ...payment,
    resultCode: authorised ? 'Authorised' : 'Refused',
    status: authorised ? 'authorised' : 'refused',
    refusalReason: authorised ? null : 'Refused',
    refusalReasonCode: authorised ? null : '2',
    autoCapturedAt: capturedNow ? isoAt(runtime.sim.clock.nowMs()) : payment.autoCapturedAt,
  });
  if (authorised && settled.captureMode === 'delayed' && settled.amount.value > 0)
    scheduleDelayedCapture(runtime, settled);
  emit(authorisationDraft(settled), settled.pspReference);
  return settled;
}
