import { InputError, bug, customerOf } from '../context.ts';
import { acceptUsage } from '../customers.ts';
import { parseInstant } from '../money.ts';
import {
  advanceTestClocks,
  createClockedCustomer,
  mirrorInvoiceEvent,
  reportMeterEvent,
  subscribe,
} from '../subscriptions.ts';
import type { Pattern } from './pattern.ts';

/**
 * Fully managed: Stripe Billing does the billing. Each customer gets a test clock that follows
 * the service's time and a subscription with the base-fee price and a metered price per meter;
 * usage goes to Stripe as meter events (identifier = eventId). Stripe invoices, collects and
 * duns; the ledger mirrors `invoice.finalized`/`invoice.paid`, refunds and disputes.
 */
export const managedStripe: Pattern = {
  name: 'managed-stripe',
  onSetup: () => Promise.resolve(),
  async createCustomer(runtime, request) {
    const customer = await createClockedCustomer(runtime, request);
    await subscribe(runtime, customer, true);
  },
  async recordUsage(runtime, request) {
    const customer = customerOf(runtime, request.customerId);
    const event = { ...request, atMs: parseInstant(request.at, 'at') };
    // A repeat of an event Stripe never acknowledged (its report failed) is reported again, under
    // the same identifier: accepted locally is not billed until Stripe has it.
    const accepted = acceptUsage(runtime, customer, event, bug(runtime, 'duplicateUsageBilled'));
    const id = accepted ?? (customer.reportedUsage.has(request.eventId) ? undefined : request.eventId);
    if (id === undefined) return;
    const stored = customer.usage.get(id)!;
    await reportMeterEvent(runtime, customer, { ...stored, id });
    customer.reportedUsage.add(id);
  },
  topUp: () => Promise.reject(new InputError('managed-stripe has no wallet: Stripe invoices usage')),
  runDueJobs: advanceTestClocks,
  onEvent: mirrorInvoiceEvent,
};
