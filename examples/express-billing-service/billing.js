import { accounts } from './ledger.js';
import { attemptCharge } from './stripe-payments.js';

// Dunning: a declined invoice is tried again every three days, four attempts in all.
const dunningIntervalMs = 3 * 86_400_000;
const attemptsMax = 4;

/**
 * The clock job: bills every period that ended by the service's now (in arrears, one invoice per
 * customer and period), then retries declined invoices that are due again.
 * @param {import('./state.js').State} state
 */
export async function runBilling(state) {
  for (const customer of state.customers.values()) {
    for (;;) {
      const endMs = periodEndMs(customer.periodStartMs, customer.plan.interval);
      if (endMs > state.nowMs) break;
      // The period moves on before any await, so a concurrent or repeated tick cannot bill it again.
      customer.periodStartMs = endMs;
      customer.periodsBilled += 1;
      const obligation = bookInvoice(state, customer, endMs);
      if (obligation !== undefined) await attemptCharge(state, obligation);
    }
  }
  for (const obligation of state.obligations.values()) {
    const due = obligation.lastAttemptMs + dunningIntervalMs <= state.nowMs;
    if (obligation.status === 'failed' && obligation.attempts < attemptsMax && due) {
      await attemptCharge(state, obligation);
    }
  }
}

/**
 * The end of a billing period that starts at `startMs`: days and weeks exactly, calendar months
 * and years in UTC (as fakepsp's checker counts them).
 */
export function periodEndMs(startMs, interval) {
  const date = new Date(startMs);
  if (interval === 'day') return startMs + 86_400_000;
  if (interval === 'week') return startMs + 7 * 86_400_000;
  if (interval === 'month') return date.setUTCMonth(date.getUTCMonth() + 1);
  return date.setUTCFullYear(date.getUTCFullYear() + 1);
}

/**
 * Books the invoice of the period ending at `endMs` (receivable ← revenue): the base fee plus
 * every usage event before the period's end not billed yet — a late event dated in an earlier,
 * already billed period goes on this one. Answers the obligation to collect, if any.
 * @param {import('./state.js').State} state
 * @param {import('./state.js').Customer} customer
 */
function bookInvoice(state, customer, endMs) {
  const { id: customerId, currency, plan } = customer;
  const quantities = new Map();
  for (const [eventId, { meter, quantity, atMs }] of customer.usage) {
    if (atMs >= endMs || customer.billedEventIds.has(eventId)) continue;
    customer.billedEventIds.add(eventId);
    quantities.set(meter, (quantities.get(meter) ?? 0) + quantity);
  }
  let usageMinor = 0;
  for (const [meter, quantity] of quantities) usageMinor += quantity * plan.unitPricesMinor[meter];
  const amount = plan.baseFeeMinor + usageMinor;
  if (amount === 0) return undefined;
  const id = `inv_${customerId}_${customer.periodsBilled}`;
  state.ledger.post(`invoice:${id}`, {
    at: new Date(endMs).toISOString(),
    kind: 'invoice',
    customerId,
    ref: null,
    postings: [
      { account: accounts.receivable(customerId), amount, currency },
      { account: accounts.subscription, amount: -plan.baseFeeMinor, currency },
      { account: accounts.usage, amount: -usageMinor, currency },
    ],
    usage: [...quantities].map(([meter, quantity]) => ({ meter, quantity })),
  });
  /** @type {import('./state.js').Obligation} */
  const obligation = { id, customerId, amount, currency, status: 'due', attempts: 0, lastAttemptMs: 0 };
  state.obligations.set(id, obligation);
  return obligation;
}
