import type { Types } from '@adyen/api-library';
import { fail } from './errors.ts';
import { optionalEnum, optionalString, readAmount, readMerchantAccount, recurringModels } from './params.ts';
import type { AdyenContext, AdyenHandler, AdyenRuntime } from './runtime.ts';
import type { AdyenPayment, AdyenSession } from './store.ts';
import { payHostedPage } from './hosted-page.ts';
import { isoAt, stringAt, type Wire } from './wire.ts';

/** A session lives an hour unless `expiresAt` says otherwise (at most 24 hours). */
const sessionLifetimeMs = 3_600_000;

function sessionResponse(session: AdyenSession): Wire<Types.checkout.CreateCheckoutSessionResponse> {
  return {
    amount: session.amount,
    expiresAt: session.expiresAt,
    id: session.id,
    merchantAccount: session.merchantAccount,
    mode: 'embedded',
    reference: session.reference,
    returnUrl: session.returnUrl,
    sessionData: session.sessionData,
    ...(session.shopperReference === null ? {} : { shopperReference: session.shopperReference }),
    ...(session.storePaymentMethod ? { storePaymentMethod: true } : {}),
    ...(session.recurringProcessingModel === null
      ? {}
      : { recurringProcessingModel: session.recurringProcessingModel }),
  };
}

/** POST /sessions (201): the shopper pays in Drop-in; the harness plays them (`complete_session`). */
export const createSessionHandler: AdyenHandler = (context) => {
  const { body } = context;
  const merchantAccount = readMerchantAccount(context, body.merchantAccount);
  const amount = readAmount(body);
  const reference = stringAt(body, 'reference');
  if (reference === undefined || reference.trim() === '') fail({ kind: 'reference_missing' });
  const returnUrl = optionalString(body, 'returnUrl');
  if (returnUrl === null || returnUrl === '') fail({ kind: 'return_url_missing' });
  const shopperReference = optionalString(body, 'shopperReference');
  const storePaymentMethod = body.storePaymentMethod === true;
  if (storePaymentMethod && shopperReference === null) fail({ kind: 'shopper_reference_required' });
  const id = `CS${context.pspReference}`;
  const session: AdyenSession = {
    id,
    sessionData: Buffer.from(`fakepsp:${id}`).toString('base64'),
    merchantAccount,
    reference,
    amount,
    returnUrl,
    shopperReference,
    storePaymentMethod,
    recurringProcessingModel: optionalEnum(body, 'recurringProcessingModel', recurringModels),
    expiresAt: isoAt(context.nowMs + sessionLifetimeMs),
    status: 'active',
    paymentPspReference: null,
    createdAt: isoAt(context.nowMs),
  };
  context.runtime.store.sessions.set(id, session);
  return { status: 201, body: sessionResponse(session) };
};

/** A session's status now: an unpaid session past `expiresAt` has expired. */
function currentStatus(runtime: AdyenRuntime, session: AdyenSession): AdyenSession['status'] {
  if (session.status === 'active' && runtime.sim.clock.nowMs() >= Date.parse(session.expiresAt))
    return 'expired';
  return session.status;
}

/** GET /sessions/{sessionId}?sessionResult=…: the session's outcome. */
export const sessionResultHandler: AdyenHandler = (context: AdyenContext, path) => {
  const session = context.runtime.store.sessions.get(path.sessionId!);
  if (session === undefined) fail({ kind: 'not_found_by_id', what: 'Session', id: path.sessionId! });
  const payment =
    session.paymentPspReference === null
      ? undefined
      : context.runtime.store.payments.get(session.paymentPspReference);
  const body: Wire<Types.checkout.SessionResultResponse> = {
    id: session.id,
    reference: session.reference,
    status: currentStatus(context.runtime, session),
    ...(payment === undefined
      ? {}
      : {
          payments: [
            {
              amount: payment.amount,
              paymentMethod: { brand: payment.paymentMethod.brand, type: payment.paymentMethod.type },
              pspReference: payment.pspReference,
              ...(payment.resultCode === 'Authorised' || payment.resultCode === 'Received'
                ? { resultCode: payment.resultCode }
                : {}),
            },
          ],
        }),
  };
  return { status: 200, body };
};

/**
 * The shopper pays a session in Drop-in with a test card (the harness's `complete_session`):
 * an authorisation like `/payments`, its AUTHORISATION carrying `checkoutSessionId`.
 */
export function completeSession(
  runtime: AdyenRuntime,
  input: { readonly sessionId: string; readonly holderName?: string; readonly cardNumber?: string },
): AdyenPayment {
  const session = runtime.store.sessions.get(input.sessionId);
  if (session === undefined || currentStatus(runtime, session) !== 'active')
    fail({ kind: 'not_found_by_id', what: 'Session', id: input.sessionId });
  const page = {
    merchantAccount: session.merchantAccount,
    merchantReference: session.reference,
    amount: session.amount,
    shopperReference: session.shopperReference,
    recurringProcessingModel: session.recurringProcessingModel,
    storePaymentMethod: session.storePaymentMethod,
    captureMode: 'automatic' as const,
    captureDelayHours: null,
    metadata: {},
    sessionId: session.id,
  };
  const payment = payHostedPage(runtime, page, { ...input, holderNameDefault: 'Checkout Shopper' });
  runtime.store.sessions.set(session.id, {
    ...session,
    paymentPspReference: payment.pspReference,
    status:
      payment.resultCode === 'Authorised'
        ? 'completed'
        : payment.resultCode === 'Received'
          ? 'paymentPending'
          : 'refused',
  });
  return payment;
}
