import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type {
  BillingSystem,
  CreateCustomerRequest,
  Ledger,
  LedgerTransaction,
} from '../../src/sut/contract.ts';

/**
 * A deliberately tiny billing system for engine tests: byo-stripe only, bills usage on each
 * clock advance with one off-session PaymentIntent per customer, and keeps a ledger.
 */
export function stubSut(
  options: {
    doubleCharge?: boolean;
    /** How the harness learns its customers: the metadata tag (default), the answer, or not at all. */
    mapCustomersBy?: 'metadata' | 'answer' | 'nothing';
  } = {},
): BillingSystem {
  const mapBy = options.mapCustomersBy ?? 'metadata';
  let stripe: Stripe;
  const customers = new Map<string, { request: CreateCustomerRequest; stripeId: string; unbilled: number }>();
  const seen = new Set<string>();
  const transactions: LedgerTransaction[] = [];
  let now = '';
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  return {
    async setup(request) {
      now = request.now;
      const connection = request.psps.stripe!;
      const url = new URL(connection.apiBase);
      stripe = new Stripe(connection.secretKey, {
        host: url.hostname,
        port: Number(url.port),
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      return {
        webhooks: { stripe: `http://127.0.0.1:${port}/webhooks` },
        patterns: ['byo-stripe'],
        psps: ['stripe'],
      };
    },
    async createCustomer(request) {
      const customer = await stripe.customers.create({
        email: request.email,
        ...(mapBy === 'metadata' ? { metadata: { fakepsp_customer_id: request.customerId } } : {}),
      });
      await stripe.paymentMethods
        .attach(request.paymentMethod, { customer: customer.id })
        .then((method) =>
          stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: method.id } }),
        );
      customers.set(request.customerId, { request, stripeId: customer.id, unbilled: 0 });
      return mapBy === 'answer' ? { pspCustomerId: customer.id } : {};
    },
    async recordUsage(request) {
      if (seen.has(request.eventId)) return;
      seen.add(request.eventId);
      customers.get(request.customerId)!.unbilled +=
        request.quantity *
        (customers.get(request.customerId)!.request.plan.unitPricesMinor[request.meter] ?? 0);
    },
    async topUp() {},
    async refund() {},
    async advanceClock(request) {
      now = request.now;
      for (const [customerId, customer] of customers) {
        if (customer.unbilled === 0) continue;
        const full = (await stripe.customers.retrieve(customer.stripeId)) as Stripe.Customer;
        const charges = options.doubleCharge === true ? 2 : 1;
        for (let copy = 0; copy < charges; copy++) {
          const intent = await stripe.paymentIntents.create({
            amount: customer.unbilled,
            currency: customer.request.currency,
            customer: customer.stripeId,
            payment_method: full.invoice_settings.default_payment_method as string,
            confirm: true,
            off_session: true,
          });
          if (copy === 0) {
            transactions.push({
              id: `t_${transactions.length + 1}`,
              at: now,
              kind: 'payment',
              customerId,
              ref: { psp: 'stripe', type: 'charge', id: intent.latest_charge as string },
              postings: [
                { account: 'psp:stripe:cash', amount: intent.amount, currency: intent.currency },
                { account: 'revenue:usage', amount: -intent.amount, currency: intent.currency },
              ],
            });
          }
        }
        customer.unbilled = 0;
      }
    },
    async settle() {},
    async ledger(): Promise<Ledger> {
      return { transactions };
    },
  };
}
