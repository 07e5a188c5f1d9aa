import type { PspName } from '../../fakes/common/psp-core.ts';
import { chargeAdyen, storeAdyenCard } from '../adyen/payments.ts';
import { InputError, bug, customerOf, nextCount, type CustomerRecord, type Runtime } from '../context.ts';
import { acceptUsage, createStripeCustomer, newCustomerRecord } from '../customers.ts';
import { parseInstant } from '../money.ts';
import { chargePayment, type Payment } from '../payments.ts';
import { billDuePeriods, retryDeclined } from '../period-billing.ts';
import { chargeRazorpay, createRazorpayCustomer } from '../razorpay/payments.ts';
import { ignoreEvent, type Pattern } from './pattern.ts';

// The same billing flow, collected wherever the customer's region put them.
const collectors: Readonly<Record<PspName, (runtime: Runtime, payment: Payment) => Promise<void>>> = {
  stripe: chargePayment,
  adyen: chargeAdyen,
  razorpay: chargeRazorpay,
};

const collect = (runtime: Runtime, payment: Payment) => collectors[payment.psp ?? 'stripe'](runtime, payment);

/**
 * Native multi-PSP: customers are routed to Stripe, Adyen or Razorpay (the harness names the
 * PSP, as a region/currency rule would), and every one gets the same flow: usage metered once
 * per eventId, one invoice per period in arrears, collected with the customer's stored means of
 * payment and settled by that PSP's webhooks — a PaymentIntent at Stripe, an authorisation and an
 * asynchronous capture at Adyen, an order and a mandate payment at Razorpay.
 */
export const multiPsp: Pattern = {
  name: 'multi-psp',
  onSetup: () => Promise.resolve(),
  async createCustomer(runtime, request) {
    if (runtime.customers.has(request.customerId))
      throw new InputError(`customer ${request.customerId} exists`);
    let record: CustomerRecord;
    switch (request.psp) {
      case 'stripe':
        await createStripeCustomer(runtime, request);
        return;
      case 'adyen':
        record = {
          ...newCustomerRecord(runtime, request),
          adyenStoredMethodId: await storeAdyenCard(runtime, request),
        };
        break;
      case 'razorpay':
        record = {
          ...newCustomerRecord(runtime, request),
          razorpayCustomerId: await createRazorpayCustomer(runtime, request),
        };
        break;
    }
    runtime.customers.set(request.customerId, record);
  },
  recordUsage(runtime, request) {
    const customer = customerOf(runtime, request.customerId);
    const event = { ...request, atMs: parseInstant(request.at, 'at') };
    acceptUsage(runtime, customer, event, bug(runtime, 'duplicateUsageBilled'));
    return Promise.resolve();
  },
  topUp: () => Promise.reject(new InputError('multi-psp has no wallet: usage is billed at period end')),
  async runDueJobs(runtime) {
    const run = nextCount(runtime, 'billing-run');
    for (const customer of runtime.customers.values()) await billDuePeriods(runtime, customer, run, collect);
    await retryDeclined(runtime, collect);
  },
  onEvent: ignoreEvent,
};
