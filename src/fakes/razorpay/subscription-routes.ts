import type { Route } from '../common/router.ts';
import { createAddon, deleteAddon, fetchAddon, listAddons } from './addons.ts';
import { fetchInvoice, listInvoices } from './invoices.ts';
import {
  cancelPaymentLink,
  createPaymentLink,
  editPaymentLink,
  fetchPaymentLink,
  listPaymentLinks,
} from './payment-links.ts';
import { createPlan, fetchPlan, listPlans } from './plans.ts';
import type { RazorpayHandler } from './runtime.ts';
import {
  cancelScheduledChanges,
  cancelSubscription,
  pauseSubscription,
  pendingUpdate,
  resumeSubscription,
  updateSubscription,
} from './subscription-changes.ts';
import { createSubscription, fetchSubscription, listSubscriptions } from './subscriptions.ts';

/** Razorpay's billing products' routes: plans, subscriptions, add-ons, invoices and payment links. */
export const subscriptionRoutes: readonly Route<RazorpayHandler>[] = [
  { method: 'POST', pattern: '/v1/plans', handler: createPlan },
  { method: 'GET', pattern: '/v1/plans', handler: listPlans },
  { method: 'GET', pattern: '/v1/plans/:id', handler: fetchPlan },
  { method: 'POST', pattern: '/v1/subscriptions', handler: createSubscription },
  { method: 'GET', pattern: '/v1/subscriptions', handler: listSubscriptions },
  { method: 'GET', pattern: '/v1/subscriptions/:id', handler: fetchSubscription },
  { method: 'PATCH', pattern: '/v1/subscriptions/:id', handler: updateSubscription },
  { method: 'POST', pattern: '/v1/subscriptions/:id/cancel', handler: cancelSubscription },
  { method: 'POST', pattern: '/v1/subscriptions/:id/pause', handler: pauseSubscription },
  { method: 'POST', pattern: '/v1/subscriptions/:id/resume', handler: resumeSubscription },
  { method: 'GET', pattern: '/v1/subscriptions/:id/retrieve_scheduled_changes', handler: pendingUpdate },
  {
    method: 'POST',
    pattern: '/v1/subscriptions/:id/cancel_scheduled_changes',
    handler: cancelScheduledChanges,
  },
  { method: 'POST', pattern: '/v1/subscriptions/:id/addons', handler: createAddon },
  { method: 'GET', pattern: '/v1/addons', handler: listAddons },
  { method: 'GET', pattern: '/v1/addons/:id', handler: fetchAddon },
  { method: 'DELETE', pattern: '/v1/addons/:id', handler: deleteAddon },
  { method: 'GET', pattern: '/v1/invoices', handler: listInvoices },
  { method: 'GET', pattern: '/v1/invoices/:id', handler: fetchInvoice },
  { method: 'POST', pattern: '/v1/payment_links', handler: createPaymentLink },
  { method: 'GET', pattern: '/v1/payment_links', handler: listPaymentLinks },
  { method: 'GET', pattern: '/v1/payment_links/:id', handler: fetchPaymentLink },
  { method: 'PATCH', pattern: '/v1/payment_links/:id', handler: editPaymentLink },
  { method: 'POST', pattern: '/v1/payment_links/:id/cancel', handler: cancelPaymentLink },
];
