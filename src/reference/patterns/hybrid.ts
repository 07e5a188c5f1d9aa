import { customerOf } from '../context.ts';
import { createRazorpayCustomer, openTopUpOrder } from '../razorpay/payments.ts';
import { createClockedCustomer, advanceTestClocks, mirrorInvoiceEvent, subscribe } from '../subscriptions.ts';
import { debitUsage, topUpWallet } from '../wallet.ts';
import type { Pattern } from './pattern.ts';

/**
 * Modular hybrid: a Stripe subscription (on the customer's test clock) bills the base fee, and
 * a real-time wallet, topped up through PaymentIntents on the platform — or, for a customer of
 * Razorpay, through an order paid on Razorpay's Checkout — pays for usage event by event. The ledger mirrors the subscription's invoices and books wallet top-ups and debits.
 */
export const hybrid: Pattern = {
  name: 'hybrid',
  onSetup: () => Promise.resolve(),
  async createCustomer(runtime, request) {
    const customer = await createClockedCustomer(runtime, request, 'razorpay');
    await subscribe(runtime, customer, false);
    // Top-ups through Razorpay: the same customer id there, in the customer's notes.
    if (request.psp === 'razorpay') {
      Object.assign(customer, { razorpayCustomerId: await createRazorpayCustomer(runtime, request) });
    }
  },
  recordUsage: debitUsage,
  topUp: (runtime, request) =>
    customerOf(runtime, request.customerId).request.psp === 'razorpay'
      ? topUpWallet(runtime, request, { psp: 'razorpay' }, openTopUpOrder)
      : topUpWallet(runtime, request, {}),
  runDueJobs: advanceTestClocks,
  onEvent: mirrorInvoiceEvent,
};
