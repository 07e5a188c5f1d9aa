import { InputError, bug, customerOf, type CustomerRecord, type Runtime } from '../context.ts';
import { acceptUsage, newCustomerRecord } from '../customers.ts';
import { parseInstant } from '../money.ts';
import { pollRazorpayInvoices } from '../razorpay/invoices.ts';
import { createRazorpayCustomer } from '../razorpay/payments.ts';
import { reportUsageAddon, subscribeAtRazorpay } from '../razorpay/subscriptions.ts';
import { ignoreEvent, type Pattern } from './pattern.ts';

/** Reports one usage event as an add-on; one Razorpay would not take is left for the next tick. */
async function reported(runtime: Runtime, customer: CustomerRecord, id: string): Promise<boolean> {
  try {
    await reportUsageAddon(runtime, customer, { id, ...customer.usage.get(id)! });
    return true;
  } catch {
    return false;
  }
}

/** Reports every accepted usage event Razorpay has not acknowledged yet (its add-on failed). */
async function reportUnreported(runtime: Runtime): Promise<void> {
  for (const customer of runtime.customers.values()) {
    for (const id of customer.usage.keys()) {
      if (customer.reportedUsage.has(id)) continue;
      if (await reported(runtime, customer, id)) customer.reportedUsage.add(id);
    }
  }
}

/**
 * Fully managed on Razorpay: Razorpay Subscriptions does the billing. Each customer is a Razorpay
 * customer with a plan for the base fee and a subscription on it, which the customer
 * authenticates on Checkout (Razorpay charges the first cycle then, each next one in advance);
 * every usage event becomes an add-on of the subscription, which Razorpay bills on the next
 * invoice. The ledger books what Razorpay's paid invoices say — `invoice.paid`, or the poll of a
 * subscription's invoices — with refunds and disputes of their payments as for any payment.
 */
export const managedRazorpay: Pattern = {
  name: 'managed-razorpay',
  onSetup: () => Promise.resolve(),
  async createCustomer(runtime, request) {
    if (request.psp !== 'razorpay') throw new InputError('managed-razorpay bills its customers at Razorpay');
    if (runtime.customers.has(request.customerId))
      throw new InputError(`customer ${request.customerId} exists`);
    const record = {
      ...newCustomerRecord(runtime, request),
      razorpayCustomerId: await createRazorpayCustomer(runtime, request),
    };
    runtime.customers.set(request.customerId, record);
    await subscribeAtRazorpay(runtime, record);
  },
  async recordUsage(runtime, request) {
    const customer = customerOf(runtime, request.customerId);
    const event = { ...request, atMs: parseInstant(request.at, 'at') };
    // A repeat of an event whose add-on failed is reported again: accepted is not billed yet.
    const accepted = acceptUsage(runtime, customer, event, bug(runtime, 'duplicateUsageBilled'));
    const id = accepted ?? (customer.reportedUsage.has(request.eventId) ? undefined : request.eventId);
    if (id === undefined) return;
    if (await reported(runtime, customer, id)) customer.reportedUsage.add(id);
  },
  topUp: () => Promise.reject(new InputError('managed-razorpay has no wallet: Razorpay invoices usage')),
  async runDueJobs(runtime) {
    await reportUnreported(runtime);
    await pollRazorpayInvoices(runtime);
  },
  onEvent: ignoreEvent,
};
