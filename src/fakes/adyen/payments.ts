import { authorise, type AuthoriseInput } from './authorise.ts';
import { fail } from './errors.ts';
import {
  optionalEnum,
  optionalString,
  readAdditionalData,
  readAmount,
  readCaptureDelayHours,
  readMerchantAccount,
  readMetadata,
  recurringModels,
} from './params.ts';
import type { AdyenContext, AdyenHandler } from './runtime.ts';
import type { AdyenPayment, AdyenStoredMethod } from './store.ts';
import { readCard, triggerOf } from './test-cards.ts';
import { needsAuthentication, startAuthentication } from './three-ds.ts';
import { objectAt, stringAt } from './wire.ts';

/** Interactions without a shopper present: nothing to return them to, so no `returnUrl`. */
const shopperlessInteractions = new Set(['ContAuth', 'Moto', 'POS']);
const shopperInteractions = ['Ecommerce', 'ContAuth', 'Moto', 'POS'] as const;
const cardTypes = new Set(['scheme', 'card']);

/** The stored method a token payment names, for that shopper and merchant account only. */
export function storedMethodFor(
  context: AdyenContext,
  id: string,
  shopperReference: string | null,
  merchantAccount: string,
): AdyenStoredMethod {
  if (shopperReference === null) fail({ kind: 'shopper_reference_required' });
  const method = context.runtime.store.storedMethods.get(id);
  const usable =
    method !== undefined &&
    !method.disabled &&
    method.shopperReference === shopperReference &&
    method.merchantAccount === merchantAccount;
  if (!usable) fail({ kind: 'contract_not_found' });
  return method;
}

/** How the money of an authorisation moves (docs.adyen.com/online-payments/capture). */
function captureModeOf(
  additionalData: Readonly<Record<string, string>>,
  delayHours: number | null,
): AdyenPayment['captureMode'] {
  if (additionalData.manualCapture === 'true') return 'manual';
  return delayHours !== null && delayHours > 0 ? 'delayed' : 'automatic';
}

/**
 * Validates a `/payments` request in the order Adyen reports problems: merchant account,
 * amount, reference, payment method, return URL, then the card or token itself.
 */
export function paymentInput(context: AdyenContext): AuthoriseInput {
  const { body } = context;
  const merchantAccount = readMerchantAccount(context, body.merchantAccount);
  const amount = readAmount(body);
  const reference = stringAt(body, 'reference');
  if (reference === undefined || reference.trim() === '') fail({ kind: 'reference_missing' });
  const method = objectAt(body, 'paymentMethod');
  if (method === undefined) fail({ kind: 'payment_method_missing' });
  const shopperInteraction = optionalEnum(body, 'shopperInteraction', shopperInteractions) ?? 'Ecommerce';
  const returnUrl = optionalString(body, 'returnUrl');
  if ((returnUrl === null || returnUrl === '') && !shopperlessInteractions.has(shopperInteraction))
    fail({ kind: 'return_url_missing' });
  const recurringProcessingModel = optionalEnum(body, 'recurringProcessingModel', recurringModels);
  const metadata = readMetadata(body);
  const captureDelayHours = readCaptureDelayHours(body);
  const additionalData = readAdditionalData(body);
  const shopperReference = optionalString(body, 'shopperReference');
  const storePaymentMethod = body.storePaymentMethod === true || body.enableRecurring === true;
  if (storePaymentMethod && shopperReference === null) fail({ kind: 'shopper_reference_required' });
  const tokenId = stringAt(method, 'storedPaymentMethodId') ?? stringAt(method, 'recurringDetailReference');
  const type = stringAt(method, 'type');
  if (tokenId === undefined && type !== undefined && !cardTypes.has(type))
    fail({ kind: 'payment_method_unsupported' });
  const stored =
    tokenId === undefined ? null : storedMethodFor(context, tokenId, shopperReference, merchantAccount);
  const card = stored?.card ?? readCard(method);
  const requestedHolder = stringAt(method, 'holderName') ?? null;
  const acquirerCode = additionalData.RequestedTestAcquirerResponseCode;
  // A stored method keeps the trigger it was stored with (see authorise.ts); a request may add one.
  const trigger =
    triggerOf(stored?.card.holderName ?? null, acquirerCode) ?? triggerOf(requestedHolder, undefined);
  return {
    pspReference: context.pspReference,
    merchantAccount,
    merchantReference: reference,
    amount,
    shopperReference,
    shopperInteraction,
    recurringProcessingModel,
    card: stored === null ? card : { ...card, holderName: stored.card.holderName },
    stored,
    storePaymentMethod: storePaymentMethod && stored === null,
    trigger,
    captureMode: captureModeOf(additionalData, captureDelayHours),
    captureDelayHours,
    metadata,
    sessionId: null,
    requestId: context.pspReference,
    idempotencyKey: context.idempotencyKey,
  };
}

/**
 * POST /payments: a refusal is a 200 with `resultCode: Refused`, not an error; a card enrolled
 * in 3D Secure waits for the shopper (`RedirectShopper` / `ChallengeShopper` with an `action`).
 */
export const paymentsHandler: AdyenHandler = (context) => {
  const input = paymentInput(context);
  if (needsAuthentication(context.body, input))
    return { status: 200, body: startAuthentication(context, input) };
  const { response } = authorise(context.runtime, input, (draft, objectId) => context.emit(draft, objectId));
  return { status: 200, body: response };
};
