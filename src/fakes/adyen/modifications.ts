import type { Types } from '@adyen/api-library';
import { balanceOf } from './balances.ts';
import { fail } from './errors.ts';
import {
  insufficientBalance,
  modifiablePayment,
  modificationAmount,
  recordModification,
  type ModificationSpec,
} from './modification-record.ts';
import { readAmount, readMerchantAccount, readModificationReference } from './params.ts';
import type { AdyenContext, AdyenHandler, HandlerResult } from './runtime.ts';
import type { AdyenModification, AdyenPayment } from './store.ts';
import { stringAt, type Wire } from './wire.ts';

/**
 * Captures, refunds, cancels and cancel-or-refunds (docs.adyen.com/online-payments/modify-payments).
 * Adyen answers 201 `received` at once; the outcome — decided here, when Adyen receives the
 * request — arrives by webhook with `success` "true" or "false" and a `reason`. A request Adyen
 * cannot act on at all (unknown or refused payment, bad amount) is a 422 instead.
 */

type Decision = Pick<ModificationSpec, 'status' | 'reason'>;
const succeeded: Decision = { status: 'succeeded', reason: '' };
const failedWith = (reason: string): Decision => ({ status: 'failed', reason });

function common(context: AdyenContext, pspReference: string) {
  const merchantAccount = readMerchantAccount(context, context.body.merchantAccount);
  const payment = modifiablePayment(context.runtime, pspReference, merchantAccount);
  return { merchantAccount, payment, reference: readModificationReference(context.body) };
}

function record(
  context: AdyenContext,
  payment: AdyenPayment,
  spec: Omit<ModificationSpec, 'pspReference' | 'payment' | 'origin' | 'requestId' | 'idempotencyKey'>,
): AdyenModification {
  return recordModification(
    context.runtime,
    {
      ...spec,
      pspReference: context.pspReference,
      payment,
      origin: 'api',
      requestId: context.pspReference,
      idempotencyKey: context.idempotencyKey,
    },
    (draft, objectId) => context.emit(draft, objectId),
  );
}

function created(body: unknown): HandlerResult {
  return { status: 201, body };
}

/** POST /payments/{paymentPspReference}/captures */
export const captureHandler: AdyenHandler = (context, path) => {
  const { merchantAccount, payment, reference } = common(context, path.paymentPspReference!);
  const amount = modificationAmount(readAmount(context.body), payment);
  const pending = context.runtime.store.takeFailure(payment, 'capture');
  const decision =
    pending !== undefined
      ? failedWith(pending.reason)
      : amount.value > balanceOf(context.runtime.store, payment).capturable
        ? failedWith(insufficientBalance)
        : succeeded;
  record(context, payment, { kind: 'capture', amount, reference, ...decision });
  const body: Wire<Types.checkout.PaymentCaptureResponse> = {
    amount,
    merchantAccount,
    paymentPspReference: payment.pspReference,
    pspReference: context.pspReference,
    ...(reference === null ? {} : { reference }),
    status: 'received',
  };
  return created(body);
};

const refundReasons = ['FRAUD', 'CUSTOMER REQUEST', 'RETURN', 'DUPLICATE', 'OTHER'] as const;

function readRefundReason(context: AdyenContext): (typeof refundReasons)[number] | null {
  const value = context.body.merchantRefundReason;
  if (value === undefined || value === null) return null;
  const known = refundReasons.find((reason) => reason === value);
  if (known === undefined) fail({ kind: 'field_invalid', field: 'merchantRefundReason' });
  return known;
}

/** POST /payments/{paymentPspReference}/refunds: several partial refunds up to what was captured. */
export const refundHandler: AdyenHandler = (context, path) => {
  const { merchantAccount, payment, reference } = common(context, path.paymentPspReference!);
  const amount = modificationAmount(readAmount(context.body), payment);
  const merchantRefundReason = readRefundReason(context);
  const balance = balanceOf(context.runtime.store, payment);
  const pending = context.runtime.store.takeFailure(payment, 'refund');
  const decision =
    pending !== undefined
      ? failedWith(pending.reason)
      : balance.captured === 0
        ? failedWith("Transaction hasn't been captured, refund not possible")
        : amount.value > balance.refundable
          ? failedWith(insufficientBalance)
          : succeeded;
  record(context, payment, { kind: 'refund', amount, reference, ...decision });
  const body: Wire<Types.checkout.PaymentRefundResponse> = {
    amount,
    merchantAccount,
    paymentPspReference: payment.pspReference,
    pspReference: context.pspReference,
    ...(reference === null ? {} : { reference }),
    ...(merchantRefundReason === null ? {} : { merchantRefundReason }),
    status: 'received',
  };
  return created(body);
};

/** Whether nothing of an authorisation has been captured, so it can still be cancelled. */
function cancellable(context: AdyenContext, payment: AdyenPayment): boolean {
  if (payment.status !== 'authorised' || payment.captureMode === 'automatic') return false;
  return balanceOf(context.runtime.store, payment).capturable === payment.amount.value;
}

/** POST /payments/{paymentPspReference}/cancels: only an uncaptured authorisation cancels. */
export const cancelHandler: AdyenHandler = (context, path) => {
  const { merchantAccount, payment, reference } = common(context, path.paymentPspReference!);
  const decision = cancellable(context, payment) ? succeeded : failedWith(insufficientBalance);
  record(context, payment, { kind: 'cancel', amount: payment.amount, reference, ...decision });
  const body: Wire<Types.checkout.PaymentCancelResponse> = {
    merchantAccount,
    paymentPspReference: payment.pspReference,
    pspReference: context.pspReference,
    ...(reference === null ? {} : { reference }),
    status: 'received',
  };
  return created(body);
};

/** Cancel-or-refund: cancels an uncaptured authorisation, else refunds what is left. */
function cancelOrRefund(
  context: AdyenContext,
  payment: AdyenPayment,
  kind: 'reversal' | 'technical_cancel',
  reference: string | null,
): void {
  if (cancellable(context, payment)) {
    record(context, payment, { kind, amount: payment.amount, reference, action: 'cancel', ...succeeded });
    return;
  }
  const refundable = balanceOf(context.runtime.store, payment).refundable;
  const amount = { value: refundable, currency: payment.amount.currency };
  const decision = refundable > 0 ? succeeded : failedWith(insufficientBalance);
  record(context, payment, {
    kind,
    amount,
    reference,
    ...decision,
    ...(refundable > 0 ? { action: 'refund' } : {}),
  });
}

/** POST /payments/{paymentPspReference}/reversals */
export const reversalHandler: AdyenHandler = (context, path) => {
  const { merchantAccount, payment, reference } = common(context, path.paymentPspReference!);
  cancelOrRefund(context, payment, 'reversal', reference);
  const body: Wire<Types.checkout.PaymentReversalResponse> = {
    merchantAccount,
    paymentPspReference: payment.pspReference,
    pspReference: context.pspReference,
    ...(reference === null ? {} : { reference }),
    status: 'received',
  };
  return created(body);
};

/**
 * POST /cancels: cancel-or-refund by the payment's merchant reference, for a payment whose
 * pspReference the merchant never learned (a lost response). Reported as TECHNICAL_CANCEL.
 */
export const standaloneCancelHandler: AdyenHandler = (context) => {
  const merchantAccount = readMerchantAccount(context, context.body.merchantAccount);
  const paymentReference = stringAt(context.body, 'paymentReference');
  if (paymentReference === undefined || paymentReference === '') fail({ kind: 'reference_missing' });
  const reference = readModificationReference(context.body);
  const payment = context.runtime.store.payments
    .where('merchantReference', paymentReference)
    .reverse()
    .find(
      (candidate) =>
        candidate.merchantAccount === merchantAccount &&
        candidate.merchantReference === paymentReference &&
        candidate.resultCode === 'Authorised',
    );
  if (payment === undefined) fail({ kind: 'original_reference_invalid' });
  cancelOrRefund(context, payment, 'technical_cancel', reference);
  const body: Wire<Types.checkout.StandalonePaymentCancelResponse> = {
    merchantAccount,
    paymentReference,
    pspReference: context.pspReference,
    ...(reference === null ? {} : { reference }),
    status: 'received',
  };
  return created(body);
};
