import { InputError, bug, customerOf, nextCount } from '../context.ts';
import { acceptUsage, createStripeCustomer } from '../customers.ts';
import { parseInstant } from '../money.ts';
import { chargePayment } from '../payments.ts';
import { billDuePeriods, retryDeclined } from '../period-billing.ts';
import { ignoreEvent, type Pattern } from './pattern.ts';

/**
 * Bring-your-own Stripe: the service meters usage itself (once per eventId), and when its clock
 * passes a period's end it books the invoice (base fee + usage, in arrears) and collects it with
 * an off-session PaymentIntent keyed by the period. Stripe's webhooks (and the poll job) settle
 * the payment, refunds and disputes in the ledger.
 */
export const byoStripe: Pattern = {
  name: 'byo-stripe',
  onSetup: () => Promise.resolve(),
  async createCustomer(runtime, request) {
    await createStripeCustomer(runtime, request);
  },
  recordUsage(runtime, request) {
    const customer = customerOf(runtime, request.customerId);
    const event = { ...request, atMs: parseInstant(request.at, 'at') };
    acceptUsage(runtime, customer, event, bug(runtime, 'duplicateUsageBilled'));
    return Promise.resolve();
  },
  topUp: () => Promise.reject(new InputError('byo-stripe has no wallet: usage is billed at period end')),
  async runDueJobs(runtime) {
    const run = nextCount(runtime, 'billing-run');
    for (const customer of runtime.customers.values())
      await billDuePeriods(runtime, customer, run, chargePayment);
    await retryDeclined(runtime, chargePayment);
  },
  onEvent: ignoreEvent,
};
