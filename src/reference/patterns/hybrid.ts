import { createClockedCustomer, advanceTestClocks, mirrorInvoiceEvent, subscribe } from '../subscriptions.ts';
import { debitUsage, topUpWallet } from '../wallet.ts';
import type { Pattern } from './pattern.ts';

/**
 * Modular hybrid: a Stripe subscription (on the customer's test clock) bills the base fee, and
 * a real-time wallet, topped up through PaymentIntents on the platform, pays for usage event by
 * event. The ledger mirrors the subscription's invoices and books wallet top-ups and debits.
 */
export const hybrid: Pattern = {
  name: 'hybrid',
  onSetup: () => Promise.resolve(),
  async createCustomer(runtime, request) {
    const customer = await createClockedCustomer(runtime, request);
    await subscribe(runtime, customer, false);
  },
  recordUsage: debitUsage,
  topUp: (runtime, request) => topUpWallet(runtime, request, {}),
  runDueJobs: advanceTestClocks,
  onEvent: mirrorInvoiceEvent,
};
