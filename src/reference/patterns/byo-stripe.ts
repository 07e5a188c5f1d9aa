import { InputError, bug, customerOf, nextCount, type CustomerRecord, type Runtime } from '../context.ts';
import { acceptUsage, createStripeCustomer } from '../customers.ts';
import { accounts } from '../ledger.ts';
import { parseInstant, periodEndMs } from '../money.ts';
import { chargePayment } from '../payments.ts';
import { ignoreEvent, type Pattern } from './pattern.ts';

// Dunning: a declined period is retried every three days, at most four attempts in all.
const dunningIntervalMs = 3 * 86_400_000;
const attemptsMax = 4;

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
    for (const customer of runtime.customers.values()) await billDuePeriods(runtime, customer, run);
    await retryDeclined(runtime);
  },
  onEvent: ignoreEvent,
};

async function billDuePeriods(runtime: Runtime, customer: CustomerRecord, run: number): Promise<void> {
  const { interval } = customer.request.plan;
  if (bug(runtime, 'billingJobRerunCharges') && customer.periodsBilled > 0) {
    // The seeded bug: the re-enqueued job bills the last period again under a run-scoped id.
    const startMs = previousPeriodStart(customer);
    await billPeriod(
      runtime,
      customer,
      [startMs, customer.periodStartMs],
      `${customer.periodsBilled}:run${run}`,
      true,
    );
  }
  while (periodEndMs(customer.periodStartMs, interval) <= runtime.nowMs) {
    const endMs = periodEndMs(customer.periodStartMs, interval);
    customer.periodsBilled += 1;
    const startMs = customer.periodStartMs;
    customer.periodStartMs = endMs;
    await billPeriod(runtime, customer, [startMs, endMs], String(customer.periodsBilled), false);
  }
}

function previousPeriodStart(customer: CustomerRecord): number {
  const { interval } = customer.request.plan;
  let startMs = customer.periodStartMs - 366 * 86_400_000;
  while (periodEndMs(startMs, interval) < customer.periodStartMs) startMs = periodEndMs(startMs, interval);
  return startMs;
}

/** Books one period's invoice (usage not yet billed that happened before its end) and charges it. */
async function billPeriod(
  runtime: Runtime,
  customer: CustomerRecord,
  [startMs, endMs]: readonly [number, number],
  period: string,
  rebill: boolean,
): Promise<void> {
  const { customerId, currency, plan } = customer.request;
  let usageMinor = 0;
  const billed = new Map<string, number>();
  for (const [id, usage] of customer.usage) {
    if (usage.atMs >= endMs || (customer.billedUsage.has(id) && !(rebill && usage.atMs >= startMs))) continue;
    customer.billedUsage.add(id);
    usageMinor += usage.quantity * (plan.unitPricesMinor[usage.meter] ?? 0);
    billed.set(usage.meter, (billed.get(usage.meter) ?? 0) + usage.quantity);
  }
  const total = plan.baseFeeMinor + usageMinor;
  const id = `invoice:${customerId}:${period}`;
  if (total === 0) return;
  runtime.ledger.post({
    key: id,
    at: new Date(endMs).toISOString(),
    kind: 'invoice',
    customerId,
    ref: null,
    postings: [
      { account: accounts.receivable(customerId), amount: total, currency },
      { account: accounts.subscription, amount: -plan.baseFeeMinor, currency },
      { account: accounts.usage, amount: -usageMinor, currency },
    ],
    usage: [...billed].map(([meter, quantity]) => ({ meter, quantity })),
  });
  const payment = runtime.payments.add({ id, customerId, purpose: 'invoice', amount: total, currency });
  await chargePayment(runtime, payment);
}

async function retryDeclined(runtime: Runtime): Promise<void> {
  for (const payment of runtime.payments.all()) {
    const due = payment.lastAttemptMs + dunningIntervalMs <= runtime.nowMs;
    if (payment.state === 'failed' && payment.attempts < attemptsMax && due)
      await chargePayment(runtime, payment);
  }
}
