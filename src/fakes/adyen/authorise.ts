import type { Types } from '@adyen/api-library';
import type { ItemDraft } from './notifications.ts';
import type { AdyenRuntime, Emit } from './runtime.ts';
import type { AdyenPayment, AdyenStoredMethod, CardSummary } from './store.ts';
import { cardFingerprint, outcomeOf, type TestOutcome } from './test-cards.ts';
import { scheduleDelayedCapture } from './delayed-capture.ts';
import { isoAt, type AdyenAmount, type Wire } from './wire.ts';

/** A `/payments` response as sent. */
export type PaymentResponseBody = Wire<Types.checkout.PaymentResponse>;

/** A validated payment request, however it arrived (API call, session, harness action). */
export interface AuthoriseInput {
  readonly pspReference: string;
  readonly merchantAccount: string;
  readonly merchantReference: string;
  readonly amount: AdyenAmount;
  readonly shopperReference: string | null;
  readonly shopperInteraction: string;
  readonly recurringProcessingModel: string | null;
  readonly card: CardSummary;
  /** The stored method charged, for a token payment. */
  readonly stored: AdyenStoredMethod | null;
  readonly storePaymentMethod: boolean;
  /** The test trigger the request names (holder name or acquirer code), if any. */
  readonly trigger: TestOutcome | undefined;
  readonly captureMode: AdyenPayment['captureMode'];
  readonly captureDelayHours: number | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly sessionId: string | null;
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
}

/** Queues a notification about an object (the request's, or sent at once outside requests). */

export type { Emit };

const statusOf = {
  Authorised: 'authorised',
  Refused: 'refused',
  Error: 'error',
  Received: 'received',
} as const;

/**
 * The outcome of a charge. fakepsp convention: a zero-value authorisation that stores a card
 * defers the card's test trigger to the stored method, so a card stored as
 * `NOT_ENOUGH_BALANCE` tokenizes fine and every later charge with it is refused.
 */
function decide(runtime: AdyenRuntime, input: AuthoriseInput): TestOutcome {
  const tokenizeOnly = input.storePaymentMethod && input.stored === null && input.amount.value === 0;
  return outcomeOf(tokenizeOnly ? undefined : input.trigger, input.card, runtime.sim.clock.nowMs());
}

function tokenize(runtime: AdyenRuntime, input: AuthoriseInput, nowMs: number) {
  const fingerprint = cardFingerprint(input.card);
  const { storedMethods } = runtime.store;
  const existing = (
    input.shopperReference === null
      ? storedMethods.values()
      : storedMethods.where('shopperReference', input.shopperReference)
  ).find(
    (method) =>
      !method.disabled &&
      method.merchantAccount === input.merchantAccount &&
      method.shopperReference === input.shopperReference &&
      method.fingerprint === fingerprint,
  );
  if (existing !== undefined) {
    // The same card again with another holder name: Adyen updates the token's details.
    if (existing.card.holderName === input.card.holderName)
      return { method: existing, operation: 'alreadyExisting' as const };
    const updated = runtime.store.storedMethods.set(existing.id, { ...existing, card: input.card });
    return { method: updated, operation: 'updated' as const };
  }
  const method: AdyenStoredMethod = {
    id: runtime.ids.adyenPspReference(),
    merchantAccount: input.merchantAccount,
    shopperReference: input.shopperReference!,
    card: input.card,
    fingerprint,
    recurringProcessingModel: input.recurringProcessingModel,
    firstPspReference: input.pspReference,
    createdAt: isoAt(nowMs),
    disabled: false,
  };
  runtime.store.storedMethods.set(method.id, method);
  return { method, operation: 'created' as const };
}

/** Tokenization fields as Adyen returns them in `additionalData` (response and webhook). */
function tokenizationData(method: AdyenStoredMethod, operation: string): Record<string, string> {
  return {
    'tokenization.storedPaymentMethodId': method.id,
    'tokenization.shopperReference': method.shopperReference,
    'tokenization.store.operationType': operation,
    'recurring.recurringDetailReference': method.id,
    'recurring.shopperReference': method.shopperReference,
  };
}

/**
 * Runs an authorisation: decides the outcome, stores the payment (and the card, when asked
 * and authorised), captures it now or schedules its capture, and emits AUTHORISATION unless
 * the outcome is still pending (`Received`).
 */
export function authorise(
  runtime: AdyenRuntime,
  input: AuthoriseInput,
  emit: Emit,
): { payment: AdyenPayment; response: PaymentResponseBody } {
  const nowMs = runtime.sim.clock.nowMs();
  const outcome = decide(runtime, input);
  const authorised = outcome.resultCode === 'Authorised';
  const stored = authorised && input.storePaymentMethod && input.stored === null;
  const token = stored ? tokenize(runtime, input, nowMs) : undefined;
  const authCode = authorised ? String(runtime.random.int(0, 999_999)).padStart(6, '0') : null;
  const payment = paymentRecordOf(input, nowMs, {
    resultCode: outcome.resultCode,
    refusalReason: outcome.refusalReason,
    refusalReasonCode: outcome.resultCode === 'Authorised' ? null : String(outcome.code),
    status: statusOf[outcome.resultCode],
    storedPaymentMethodId: input.stored?.id ?? token?.method.id ?? null,
    tokenization: token?.operation ?? null,
    autoCapturedAt:
      authorised && input.captureMode === 'automatic' && input.amount.value > 0 ? isoAt(nowMs) : null,
    authCode,
  });
  runtime.store.payments.set(payment.pspReference, payment);
  if (authorised && input.captureMode === 'delayed' && input.amount.value > 0)
    scheduleDelayedCapture(runtime, payment);
  const tokenData = token === undefined ? {} : tokenizationData(token.method, token.operation);
  if (outcome.resultCode !== 'Received') emit(authorisationDraft(payment, tokenData), payment.pspReference);
  return { payment, response: responseOf(payment, input, tokenData) };
}

/** What a payment record holds beyond its request: the outcome and what it made. */
type Outcome = Pick<
  AdyenPayment,
  | 'resultCode'
  | 'refusalReason'
  | 'refusalReasonCode'
  | 'status'
  | 'storedPaymentMethodId'
  | 'tokenization'
  | 'autoCapturedAt'
  | 'authCode'
>;

/** A payment record of a validated request and its outcome (final, or awaiting 3D Secure). */
export function paymentRecordOf(input: AuthoriseInput, nowMs: number, outcome: Outcome): AdyenPayment {
  return {
    pspReference: input.pspReference,
    merchantAccount: input.merchantAccount,
    merchantReference: input.merchantReference,
    amount: input.amount,
    resultCode: outcome.resultCode,
    refusalReason: outcome.refusalReason,
    refusalReasonCode: outcome.refusalReasonCode,
    status: outcome.status,
    shopperReference: input.shopperReference,
    shopperInteraction: input.shopperInteraction,
    recurringProcessingModel: input.recurringProcessingModel,
    paymentMethod: input.card,
    storedPaymentMethodId: outcome.storedPaymentMethodId,
    tokenization: outcome.tokenization,
    captureMode: input.captureMode,
    captureDelayHours: input.captureDelayHours,
    autoCapturedAt: outcome.autoCapturedAt,
    authCode: outcome.authCode,
    metadata: input.metadata,
    sessionId: input.sessionId,
    createdAt: isoAt(nowMs),
    requestId: input.requestId,
    idempotencyKey: input.idempotencyKey,
  };
}

/** The AUTHORISATION notification of a payment whose outcome is final. */
export function authorisationDraft(payment: AdyenPayment, extra: Record<string, string> = {}): ItemDraft {
  const success = payment.resultCode === 'Authorised';
  const card = payment.paymentMethod;
  const metadata = Object.fromEntries(Object.entries(payment.metadata).map(([k, v]) => [`metadata.${k}`, v]));
  return {
    eventCode: 'AUTHORISATION',
    pspReference: payment.pspReference,
    merchantAccountCode: payment.merchantAccount,
    merchantReference: payment.merchantReference,
    amount: payment.amount,
    success,
    reason: success
      ? `${payment.authCode ?? ''}:${card.lastFour}:${card.expiryMonth ?? ''}/${card.expiryYear ?? ''}`
      : (payment.refusalReason ?? ''),
    paymentMethod: card.brand,
    ...(success ? { operations: ['CANCEL', 'CAPTURE', 'REFUND'] as const } : {}),
    additionalData: {
      ...metadata,
      ...extra,
      ...(payment.shopperReference === null ? {} : { shopperReference: payment.shopperReference }),
      ...(payment.sessionId === null ? {} : { checkoutSessionId: payment.sessionId }),
    },
  };
}

function responseOf(
  payment: AdyenPayment,
  input: AuthoriseInput,
  tokenData: Record<string, string>,
): PaymentResponseBody {
  const additionalData: Record<string, string> = { ...tokenData };
  if (input.recurringProcessingModel !== null)
    additionalData.recurringProcessingModel = input.recurringProcessingModel;
  const refusal =
    payment.refusalReason === null
      ? {}
      : { refusalReason: payment.refusalReason, refusalReasonCode: payment.refusalReasonCode ?? '' };
  return {
    additionalData,
    amount: payment.amount,
    merchantReference: payment.merchantReference,
    paymentMethod: { brand: payment.paymentMethod.brand, type: payment.paymentMethod.type },
    pspReference: payment.pspReference,
    resultCode: payment.resultCode,
    ...refusal,
  };
}
