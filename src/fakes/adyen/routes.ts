import type { Route } from '../common/router.ts';
import {
  cancelHandler,
  captureHandler,
  refundHandler,
  reversalHandler,
  standaloneCancelHandler,
} from './modifications.ts';
import { amountUpdateHandler } from './amount-updates.ts';
import { paymentsHandler } from './payments.ts';
import { paymentDetailsHandler } from './three-ds.ts';
import type { AdyenHandler } from './runtime.ts';
import {
  createPaymentLinkHandler,
  getPaymentLinkHandler,
  updatePaymentLinkHandler,
} from './payment-links.ts';
import { createSessionHandler, sessionResultHandler } from './sessions.ts';
import {
  createStoredMethodHandler,
  deleteStoredMethodHandler,
  listStoredMethodsHandler,
  paymentMethodsHandler,
} from './stored-methods.ts';

/** Checkout API versions the fake answers under `/v{NN}/` (the SDK 32.1.0 speaks v72). */
export const checkoutVersions = { min: 37, max: 72 } as const;

/** `/v72/payments` → `/payments`, for the Checkout versions the fake answers; else `undefined`. */
export function unversioned(path: string): string | undefined {
  const found = /^\/v(\d+)(\/.*)$/.exec(path);
  if (found === null) return undefined;
  const version = Number(found[1]);
  return version >= checkoutVersions.min && version <= checkoutVersions.max ? found[2] : undefined;
}

/** The Checkout API routes, without their version prefix. */
export const adyenRoutes: readonly Route<AdyenHandler>[] = [
  { method: 'POST', pattern: '/payments', handler: paymentsHandler },
  { method: 'POST', pattern: '/payments/details', handler: paymentDetailsHandler },
  { method: 'POST', pattern: '/payments/:paymentPspReference/amountUpdates', handler: amountUpdateHandler },
  { method: 'POST', pattern: '/payments/:paymentPspReference/captures', handler: captureHandler },
  { method: 'POST', pattern: '/payments/:paymentPspReference/refunds', handler: refundHandler },
  { method: 'POST', pattern: '/payments/:paymentPspReference/cancels', handler: cancelHandler },
  { method: 'POST', pattern: '/payments/:paymentPspReference/reversals', handler: reversalHandler },
  { method: 'POST', pattern: '/cancels', handler: standaloneCancelHandler },
  { method: 'POST', pattern: '/paymentMethods', handler: paymentMethodsHandler },
  { method: 'GET', pattern: '/storedPaymentMethods', handler: listStoredMethodsHandler },
  { method: 'POST', pattern: '/storedPaymentMethods', handler: createStoredMethodHandler },
  {
    method: 'DELETE',
    pattern: '/storedPaymentMethods/:storedPaymentMethodId',
    handler: deleteStoredMethodHandler,
  },
  { method: 'POST', pattern: '/paymentLinks', handler: createPaymentLinkHandler },
  { method: 'GET', pattern: '/paymentLinks/:linkId', handler: getPaymentLinkHandler },
  { method: 'PATCH', pattern: '/paymentLinks/:linkId', handler: updatePaymentLinkHandler },
  { method: 'POST', pattern: '/sessions', handler: createSessionHandler },
  { method: 'GET', pattern: '/sessions/:sessionId', handler: sessionResultHandler },
];
