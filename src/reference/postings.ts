import type Stripe from 'stripe';
import { bug, nowIso, type Runtime } from './context.ts';
import { accounts, transfer, type Entry } from './ledger.ts';

/** Where a fact came from: the answer to our own call, a webhook, or the poll job. */
export type Origin = 'api' | 'webhook' | 'poll';

/**
 * Posts an entry once per key. Under the seeded bug `noWebhookDedupe` a webhook's writes skip
 * that check, as a handler that trusts each delivery to be new would.
 */
export function book(runtime: Runtime, origin: Origin, entry: Entry): boolean {
  if (origin === 'webhook' && bug(runtime, 'noWebhookDedupe')) {
    runtime.ledger.postAgain(entry);
    return true;
  }
  return runtime.ledger.post(entry);
}

/** Books the Stripe fee of a balance transaction (charge or dispute), if any. */
export function postFee(
  runtime: Runtime,
  origin: Origin,
  customerId: string,
  balance: Stripe.BalanceTransaction,
): void {
  if (balance.fee <= 0) return;
  book(runtime, origin, {
    key: `fee:${balance.id}`,
    at: nowIso(runtime),
    kind: 'fee',
    customerId,
    ref: { psp: 'stripe', type: 'balance_transaction', id: balance.id },
    postings: transfer(accounts.fees, accounts.cash, balance.fee, balance.currency),
  });
}
