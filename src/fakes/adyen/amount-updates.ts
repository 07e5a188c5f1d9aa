import type { Types } from '@adyen/api-library';
import { balanceOf } from './balances.ts';
import {
  insufficientBalance,
  modifiablePayment,
  modificationAmount,
  recordModification,
} from './modification-record.ts';
import { optionalEnum, readAmount, readMerchantAccount, readModificationReference } from './params.ts';
import type { AdyenHandler } from './runtime.ts';
import type { Wire } from './wire.ts';

const industryUsages = ['delayedCharge', 'installment', 'noShow'] as const;

/** Why Adyen cannot adjust an authorisation that is captured already (or cancelled). */
export const notAdjustable =
  'Authorisation adjustment not possible: the payment is not an open authorisation';

/**
 * POST /payments/{paymentPspReference}/amountUpdates `{merchantAccount, amount, reference?,
 * industryUsage?}`: the new total of an authorisation not captured yet (a manual or delayed
 * capture). Asynchronous, as Adyen's default flow: 201 `received`, then AUTHORISATION_ADJUSTMENT
 * with `success` "true" — the payment's authorised amount is the new one, and a capture may take
 * it — or "false" when the payment is no open authorisation or the new amount is below what was
 * captured. (The synchronous flow with `adjustAuthorisationData` is not modelled.)
 */
export const amountUpdateHandler: AdyenHandler = (context, path) => {
  const { body, runtime } = context;
  const merchantAccount = readMerchantAccount(context, body.merchantAccount);
  const payment = modifiablePayment(runtime, path.paymentPspReference!, merchantAccount);
  const amount = modificationAmount(readAmount(body), payment);
  const reference = readModificationReference(body);
  const industryUsage = optionalEnum(body, 'industryUsage', industryUsages);
  const open = payment.status === 'authorised' && payment.captureMode !== 'automatic';
  const captured = balanceOf(runtime.store, payment).captured;
  const reason = !open ? notAdjustable : amount.value < captured ? insufficientBalance : '';
  recordModification(
    runtime,
    {
      pspReference: context.pspReference,
      payment,
      kind: 'amount_update',
      amount,
      reference,
      status: reason === '' ? 'succeeded' : 'failed',
      reason,
      origin: 'api',
      requestId: context.pspReference,
      idempotencyKey: context.idempotencyKey,
    },
    (draft, objectId) => context.emit(draft, objectId),
  );
  if (reason === '') context.runtime.store.payments.set(payment.pspReference, { ...payment, amount });
  const answer: Wire<Types.checkout.PaymentAmountUpdateResponse> = {
    amount,
    ...(industryUsage === null ? {} : { industryUsage }),
    merchantAccount,
    paymentPspReference: payment.pspReference,
    pspReference: context.pspReference,
    reference: reference ?? payment.merchantReference,
    status: 'received',
  };
  return { status: 201, body: answer };
};
