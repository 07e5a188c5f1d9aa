import { bug, type CustomerRecord, type Runtime } from './context.ts';
import { accounts } from './ledger.ts';
import { periodEndMs } from './money.ts';
import type { Payment } from './payments.ts';

/** Collects one payment obligation at its PSP (a first attempt, or a dunning retry). */
export type Collect = (runtime: Runtime, payment: Payment) => Promise<void>;

// Dunning: a declined period is retried every three days, at most four attempts in all.
const dunningIntervalMs = 3 * 86_400_000;
const attemptsMax = 4;

/**
 * Bills every period of the customer that ended by the service's now: one invoice per period
 * (base fee + usage not yet billed, in arrears), collected by `collect`.
 */
export async function billDuePeriods(
  runtime: Runtime,
  customer: CustomerRecord,
  run: number,
  collect: Collect,
): Promise<void> {
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
      collect,
    );
  }
  while (periodEndMs(customer.periodStartMs, interval) <= runtime.nowMs) {
    const endMs = periodEndMs(customer.periodStartMs, interval);
    customer.periodsBilled += 1;
    const startMs = customer.periodStartMs;
    customer.periodStartMs = endMs;
    await billPeriod(runtime, customer, [startMs, endMs], String(customer.periodsBilled), false, collect);
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
  collect: Collect,
): Promise<void> {
  const { customerId, currency, plan } = customer.request;
  let usageMinor = 0;
  const billed = new Map<string, number>();
  for (const [id, usage] of customer.usage) {
    if (usage.atMs >= endMs || (customer.billedUsage.has(id) && !(rebill && usage.atMs >= startMs))) continue;
    customer.billedUsage.add(id);
    usageMinor += priceOf(runtime, usage.quantity, plan.unitPricesMinor[usage.meter] ?? 0);
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
  const payment = runtime.payments.add({
    id,
    customerId,
    purpose: 'invoice',
    amount: total,
    currency,
    psp: customer.request.psp,
  });
  await collect(runtime, payment);
}

/**
 * One event's price in minor units. The seeded bug prices it the way a service written in major
 * units does — 29 × 0.02 = 0.58 in floating point is 0.57999…, truncated to 57 cents.
 */
function priceOf(runtime: Runtime, quantity: number, unitPriceMinor: number): number {
  if (!bug(runtime, 'usagePricedInFloat')) return quantity * unitPriceMinor;
  return Math.trunc(quantity * (unitPriceMinor / 100) * 100);
}

/** Dunning: retries declined obligations every three days, four attempts in all. */
export async function retryDeclined(runtime: Runtime, collect: Collect): Promise<void> {
  for (const payment of runtime.payments.all()) {
    const due = payment.lastAttemptMs + dunningIntervalMs <= runtime.nowMs;
    if (payment.state === 'failed' && payment.attempts < attemptsMax && due) await collect(runtime, payment);
  }
}
