import type { Route } from '../common/router.ts';
import {
  createCustomer,
  deleteToken,
  editCustomer,
  fetchCustomer,
  fetchToken,
  listCustomers,
  listTokens,
} from './customers-tokens.ts';
import { createOrder, editOrder, fetchOrder, listOrders, orderPayments } from './orders.ts';
import { capturePayment, editPayment, fetchPayment, listPayments } from './payments.ts';
import { createRecurringPayment } from './recurring.ts';
import {
  createRefund,
  editRefund,
  fetchPaymentRefund,
  fetchRefund,
  listPaymentRefunds,
  listRefunds,
} from './refunds.ts';
import type { RazorpayHandler } from './runtime.ts';
import { subscriptionRoutes } from './subscription-routes.ts';

/** The route that takes `X-Refund-Idempotency`: Razorpay's only idempotent endpoint. */
export const refundRoutePattern = '/v1/payments/:id/refund';

/** The API routes, under `/v1`; `create/recurring` comes before `/:id/…` of the same shape. */
export const razorpayRoutes: readonly Route<RazorpayHandler>[] = [
  { method: 'POST', pattern: '/v1/orders', handler: createOrder },
  { method: 'GET', pattern: '/v1/orders', handler: listOrders },
  { method: 'GET', pattern: '/v1/orders/:id', handler: fetchOrder },
  { method: 'PATCH', pattern: '/v1/orders/:id', handler: editOrder },
  { method: 'GET', pattern: '/v1/orders/:id/payments', handler: orderPayments },
  { method: 'POST', pattern: '/v1/payments/create/recurring', handler: createRecurringPayment },
  { method: 'GET', pattern: '/v1/payments', handler: listPayments },
  { method: 'GET', pattern: '/v1/payments/:id', handler: fetchPayment },
  { method: 'PATCH', pattern: '/v1/payments/:id', handler: editPayment },
  { method: 'POST', pattern: '/v1/payments/:id/capture', handler: capturePayment },
  { method: 'POST', pattern: refundRoutePattern, handler: createRefund },
  { method: 'GET', pattern: '/v1/payments/:id/refunds', handler: listPaymentRefunds },
  { method: 'GET', pattern: '/v1/payments/:id/refunds/:refundId', handler: fetchPaymentRefund },
  { method: 'GET', pattern: '/v1/refunds', handler: listRefunds },
  { method: 'GET', pattern: '/v1/refunds/:id', handler: fetchRefund },
  { method: 'PATCH', pattern: '/v1/refunds/:id', handler: editRefund },
  { method: 'POST', pattern: '/v1/customers', handler: createCustomer },
  { method: 'GET', pattern: '/v1/customers', handler: listCustomers },
  { method: 'GET', pattern: '/v1/customers/:id', handler: fetchCustomer },
  { method: 'PUT', pattern: '/v1/customers/:id', handler: editCustomer },
  { method: 'GET', pattern: '/v1/customers/:id/tokens', handler: listTokens },
  { method: 'GET', pattern: '/v1/customers/:id/tokens/:tokenId', handler: fetchToken },
  { method: 'DELETE', pattern: '/v1/customers/:id/tokens/:tokenId', handler: deleteToken },
  ...subscriptionRoutes,
];
