import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { periodEndMs } from '../../src/sut/plan-periods.ts';
import type {
  BillingSystem,
  CreateCustomerRequest,
  Ledger,
  LedgerTransaction,
} from '../../src/sut/contract.ts';

/**
 * A deliberately tiny billing system for engine tests: byo-stripe only, bills each closed period
 * (base fee and usage, in arrears) with one off-session PaymentIntent, and keeps a ledger.
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
  const customers = new Map<
    string,
    {
      request: CreateCustomerRequest;
      stripeId: string;
      periodStartMs: number;
      usage: Array<{ atMs: number; minor: number; billed: boolean }>;
    }
  >();
  const seen = new Set<string>();
  const transactions: LedgerTransaction[] = [];
  let now = '';
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  const charge = async (customerId: string, stripeId: string, currency: string, amount: number) => {
    const full = (await stripe.customers.retrieve(stripeId)) as Stripe.Customer;
    for (let copy = 0; copy < (options.doubleCharge === true ? 2 : 1); copy++) {
      const intent = await stripe.paymentIntents.create({
        amount,
        currency,
        customer: stripeId,
        payment_method: full.invoice_settings.default_payment_method as string,
        confirm: true,
        off_session: true,
      });
      if (copy > 0) continue;
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
  };
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
      customers.set(request.customerId, {
        request,
        stripeId: customer.id,
        periodStartMs: Date.parse(now),
        usage: [],
      });
      return mapBy === 'answer' ? { pspCustomerId: customer.id } : {};
    },
    async recordUsage(request) {
      if (seen.has(request.eventId)) return;
      seen.add(request.eventId);
      const customer = customers.get(request.customerId)!;
      const minor = request.quantity * (customer.request.plan.unitPricesMinor[request.meter] ?? 0);
      customer.usage.push({ atMs: Date.parse(request.at), minor, billed: false });
    },
    async topUp() {},
    async refund() {},
    // One charge per closed period, in arrears: the base fee and the usage that happened in it.
    async advanceClock(request) {
      now = request.now;
      for (const [customerId, customer] of customers) {
        const { plan } = customer.request;
        while (periodEndMs(customer.periodStartMs, plan.interval) <= Date.parse(now)) {
          const endMs = periodEndMs(customer.periodStartMs, plan.interval);
          customer.periodStartMs = endMs;
          const due = customer.usage.filter((event) => !event.billed && event.atMs < endMs);
          for (const event of due) event.billed = true;
          const amount = plan.baseFeeMinor + due.reduce((sum, event) => sum + event.minor, 0);
          if (amount > 0) await charge(customerId, customer.stripeId, customer.request.currency, amount);
        }
      }
    },
    async settle() {},
    async ledger(): Promise<Ledger> {
      return { transactions };
    },
  };
}
