import type { Types } from '@adyen/api-library';
import { fail } from './errors.ts';
import { optionalEnum, optionalString, readMerchantAccount, recurringModels } from './params.ts';
import type { AdyenContext, AdyenHandler } from './runtime.ts';
import type { AdyenStoredMethod } from './store.ts';
import { cardFingerprint, readCard } from './test-cards.ts';
import { isoAt, objectAt, type Wire } from './wire.ts';

type StoredMethodResource = Wire<Types.checkout.StoredPaymentMethodResource>;

function activeMethods(context: AdyenContext, merchantAccount: string, shopperReference: string) {
  return context.runtime.store.storedMethods
    .where('shopperReference', shopperReference)
    .filter(
      (method) =>
        !method.disabled &&
        method.merchantAccount === merchantAccount &&
        method.shopperReference === shopperReference,
    );
}

function resourceOf(method: AdyenStoredMethod): StoredMethodResource {
  return {
    brand: method.card.brand,
    createdAt: method.createdAt,
    ...(method.card.expiryMonth === null ? {} : { expiryMonth: method.card.expiryMonth }),
    ...(method.card.expiryYear === null ? {} : { expiryYear: method.card.expiryYear }),
    ...(method.firstPspReference === null ? {} : { firstPspReference: method.firstPspReference }),
    ...(method.card.holderName === null ? {} : { holderName: method.card.holderName }),
    id: method.id,
    lastFour: method.card.lastFour,
    name: method.card.brand.toUpperCase(),
    shopperReference: method.shopperReference,
    supportedRecurringProcessingModels:
      method.recurringProcessingModel === null ? [] : [method.recurringProcessingModel],
    type: 'scheme',
  };
}

/** POST /paymentMethods: cards, and the shopper's stored cards when a shopperReference is given. */
export const paymentMethodsHandler: AdyenHandler = (context) => {
  const merchantAccount = readMerchantAccount(context, context.body.merchantAccount);
  const shopperReference = optionalString(context.body, 'shopperReference');
  const stored = shopperReference === null ? [] : activeMethods(context, merchantAccount, shopperReference);
  const body: Wire<Types.checkout.PaymentMethodsResponse> = {
    paymentMethods: [{ brands: ['visa', 'mc', 'amex'], name: 'Cards', type: 'scheme' }],
    storedPaymentMethods: stored.map((method) => ({
      brand: method.card.brand,
      ...(method.card.expiryMonth === null ? {} : { expiryMonth: method.card.expiryMonth }),
      ...(method.card.expiryYear === null ? {} : { expiryYear: method.card.expiryYear }),
      ...(method.card.holderName === null ? {} : { holderName: method.card.holderName }),
      id: method.id,
      lastFour: method.card.lastFour,
      name: method.card.brand.toUpperCase(),
      supportedRecurringProcessingModels:
        method.recurringProcessingModel === null ? [] : [method.recurringProcessingModel],
      supportedShopperInteractions: ['Ecommerce', 'ContAuth'],
      type: 'scheme',
    })),
  };
  return { status: 200, body };
};

function queryShopper(context: AdyenContext): { merchantAccount: string; shopperReference: string } {
  const merchantAccount = readMerchantAccount(context, context.query.merchantAccount);
  const shopperReference = context.query.shopperReference;
  if (shopperReference === undefined || shopperReference === '') fail({ kind: 'shopper_reference_required' });
  return { merchantAccount, shopperReference };
}

/** GET /storedPaymentMethods?shopperReference=…&merchantAccount=… */
export const listStoredMethodsHandler: AdyenHandler = (context) => {
  const { merchantAccount, shopperReference } = queryShopper(context);
  const body: Wire<Types.checkout.ListStoredPaymentMethodsResponse> = {
    merchantAccount,
    shopperReference,
    storedPaymentMethods: activeMethods(context, merchantAccount, shopperReference).map(resourceOf),
  };
  return { status: 200, body };
};

/** DELETE /storedPaymentMethods/{id}?shopperReference=…&merchantAccount=…: 204, the token is disabled. */
export const deleteStoredMethodHandler: AdyenHandler = (context, path) => {
  const { merchantAccount, shopperReference } = queryShopper(context);
  const method = context.runtime.store.storedMethods.get(path.storedPaymentMethodId!);
  const owned =
    method !== undefined &&
    !method.disabled &&
    method.merchantAccount === merchantAccount &&
    method.shopperReference === shopperReference;
  if (!owned) fail({ kind: 'contract_not_found' });
  context.runtime.store.storedMethods.set(method.id, { ...method, disabled: true });
  return { status: 204, body: null };
};

/** POST /storedPaymentMethods: stores a card without a payment (201). */
export const createStoredMethodHandler: AdyenHandler = (context) => {
  const { body } = context;
  const merchantAccount = readMerchantAccount(context, body.merchantAccount);
  const method = objectAt(body, 'paymentMethod');
  if (method === undefined) fail({ kind: 'payment_method_missing' });
  const shopperReference = optionalString(body, 'shopperReference');
  if (shopperReference === null || shopperReference === '') fail({ kind: 'shopper_reference_required' });
  const model = optionalEnum(body, 'recurringProcessingModel', recurringModels);
  if (model === null) fail({ kind: 'field_invalid', field: 'recurringProcessingModel' });
  const card = readCard(method);
  const stored: AdyenStoredMethod = {
    id: context.pspReference,
    merchantAccount,
    shopperReference,
    card,
    fingerprint: cardFingerprint(card),
    recurringProcessingModel: model,
    firstPspReference: null,
    createdAt: isoAt(context.nowMs),
    disabled: false,
  };
  context.runtime.store.storedMethods.set(stored.id, stored);
  return { status: 201, body: resourceOf(stored) };
};
