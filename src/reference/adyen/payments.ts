import { createHash } from 'node:crypto';
import { HttpClientException, Types } from '@adyen/api-library';
import type { CreateCustomerRequest } from '../../sut/contract.ts';
import { InputError, customerOf, type Runtime } from '../context.ts';
import { pspAmount } from '../money.ts';
import type { Payment } from '../payments.ts';
import type { AdyenConnection } from './client.ts';

const { PaymentRequest, PaymentResponse } = Types.checkout;

/**
 * An idempotency key derived from the service's own obligation ids. Adyen allows 64 characters,
 * so the long readable form is hashed; the same obligation always gives the same key.
 */
function keyOf(runtime: Runtime, ...parts: readonly (string | number)[]): string {
  const readable = [runtime.setup?.runId ?? '', ...parts].join(':');
  return createHash('sha256').update(readable).digest('base64url');
}

/** The Adyen clients, once `setup` has run with Adyen. */
export function adyenOf(runtime: Runtime): AdyenConnection {
  if (runtime.adyen === undefined) throw new InputError('setup did not hand over Adyen');
  return runtime.adyen;
}

/**
 * The harness's Adyen test token: a test card placeholder, optionally with the holder name that
 * picks Adyen's test outcome (`test_4111111111111111:NOT_ENOUGH_BALANCE`).
 */
function cardOf(token: string): Types.checkout.CardDetails {
  const [number = '', holderName = 'APPROVED'] = token.split(':');
  if (!number.startsWith('test_')) throw new InputError(`${token} is not an Adyen test card placeholder`);
  return {
    type: Types.checkout.CardDetails.TypeEnum.Scheme,
    encryptedCardNumber: number,
    encryptedExpiryMonth: 'test_03',
    encryptedExpiryYear: 'test_2030',
    encryptedSecurityCode: 'test_737',
    holderName,
  };
}

/**
 * Stores the shopper's card with a zero-value authorisation (no money moves) and answers its
 * `storedPaymentMethodId`; later charges are merchant-initiated (ContAuth) against it.
 */
export async function storeAdyenCard(runtime: Runtime, request: CreateCustomerRequest): Promise<string> {
  const adyen = adyenOf(runtime);
  const response = await adyen.payments.payments(
    {
      amount: { value: 0, currency: request.currency.toUpperCase() },
      merchantAccount: adyen.merchantAccount,
      reference: `card:${request.customerId}`,
      paymentMethod: cardOf(request.paymentMethod),
      shopperReference: request.customerId,
      shopperEmail: request.email,
      storePaymentMethod: true,
      shopperInteraction: PaymentRequest.ShopperInteractionEnum.Ecommerce,
      recurringProcessingModel: PaymentRequest.RecurringProcessingModelEnum.Subscription,
      returnUrl: 'https://billing.example/return',
    },
    { idempotencyKey: keyOf(runtime, 'card', request.customerId) },
  );
  const stored =
    response.additionalData?.['tokenization.storedPaymentMethodId'] ??
    response.additionalData?.['recurring.recurringDetailReference'];
  if (response.resultCode !== PaymentResponse.ResultCodeEnum.Authorised || stored === undefined) {
    throw new InputError(`Adyen refused to store the card: ${response.refusalReason ?? response.resultCode}`);
  }
  return stored;
}

// A 4xx other than 429 means Adyen answered and did nothing; anything else may have acted.
function answeredWithoutActing(error: unknown): boolean {
  if (!(error instanceof HttpClientException)) return false;
  return error.statusCode >= 400 && error.statusCode < 500 && error.statusCode !== 429;
}

/** Charges a payment obligation with the stored card: a new attempt gets new keys. */
export async function chargeAdyen(runtime: Runtime, payment: Payment): Promise<void> {
  payment.attempts += 1;
  payment.lastAttemptMs = runtime.nowMs;
  await driveAdyen(runtime, payment);
}

/**
 * Authorises (manual capture), then asks for the capture, each under a key of this attempt, so
 * a re-drive after a lost answer replays rather than charges again. The capture's outcome comes
 * later, by the CAPTURE webhook: `received` is not `captured`.
 */
export async function driveAdyen(runtime: Runtime, payment: Payment): Promise<void> {
  const adyen = adyenOf(runtime);
  const customer = customerOf(runtime, payment.customerId);

  const amount = {
    value: pspAmount(runtime, payment.amount, payment.currency),
    currency: payment.currency.toUpperCase(),
  };
  try {
    if (payment.pspRef === undefined) {
      const response = await adyen.payments.payments(
        {
          amount,
          merchantAccount: adyen.merchantAccount,
          reference: payment.id,
          paymentMethod: {
            type: Types.checkout.CardDetails.TypeEnum.Scheme,
            storedPaymentMethodId: customer.adyenStoredMethodId ?? '',
          },
          shopperReference: payment.customerId,
          shopperInteraction: PaymentRequest.ShopperInteractionEnum.ContAuth,
          recurringProcessingModel: PaymentRequest.RecurringProcessingModelEnum.Subscription,
          additionalData: { manualCapture: 'true' },
          returnUrl: 'https://billing.example/return',
          metadata: { obligation_id: payment.id, fakepsp_customer_id: payment.customerId },
        },
        { idempotencyKey: keyOf(runtime, payment.id, payment.attempts, 'authorise') },
      );
      if (response.resultCode !== PaymentResponse.ResultCodeEnum.Authorised) {
        runtime.payments.move(payment, 'failed');
        return;
      }
      payment.pspRef = response.pspReference!;
      runtime.pspPayments.set(payment.pspRef, payment.id);
    }
    await adyen.modifications.captureAuthorisedPayment(
      payment.pspRef,
      { merchantAccount: adyen.merchantAccount, amount, reference: payment.id },
      { idempotencyKey: keyOf(runtime, payment.id, payment.attempts, 'capture') },
    );
    runtime.payments.move(payment, 'processing');
  } catch (error) {
    runtime.payments.move(payment, answeredWithoutActing(error) ? 'failed' : 'unknown');
  }
}

/** The poll job's share for Adyen: re-drive answers that were lost, under the same keys. */
export async function redriveAdyen(runtime: Runtime): Promise<void> {
  for (const payment of runtime.payments.all()) {
    if (payment.psp !== 'adyen') continue;
    if (payment.state === 'unknown' || payment.state === 'created') {
      if (payment.attempts === 0) payment.attempts = 1;
      await driveAdyen(runtime, payment);
    }
  }
}

/** Refunds part of a captured Adyen payment; the money moves (and is booked) on the REFUND webhook. */
export async function refundAdyen(
  runtime: Runtime,
  request: { readonly ref: string; readonly amount: number; readonly requestId: string; currency: string },
): Promise<void> {
  const adyen = adyenOf(runtime);
  runtime.refundRequests.add(request.requestId);
  const amount = {
    value: pspAmount(runtime, request.amount, request.currency),
    currency: request.currency.toUpperCase(),
  };
  // The SDK does not retry: a lost answer is asked again under the same key, which replays it.
  for (let attempt = 1; ; attempt++) {
    try {
      await adyen.modifications.refundCapturedPayment(
        request.ref,
        { merchantAccount: adyen.merchantAccount, amount, reference: request.requestId },
        { idempotencyKey: keyOf(runtime, 'refund', request.requestId) },
      );
      return;
    } catch (error) {
      if (answeredWithoutActing(error) || attempt >= refundAttemptsMax) throw error;
    }
  }
}

/** How often a refund whose answer was lost is asked again before the caller hears of it. */
const refundAttemptsMax = 3;
