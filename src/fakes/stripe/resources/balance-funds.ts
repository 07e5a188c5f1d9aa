import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import type { BalanceSums } from '../balance-totals.ts';
import type { StripeObject } from '../store.ts';
import { formatAmount } from './payment-amounts.ts';

const daySeconds = 86_400;

/** Marks that a day's `balance.available` is already scheduled for an account. */
interface AvailabilityMarker extends StripeObject {
  readonly object: 'fakepsp.balance_available';
}

/** What an account could pay out or transfer now in a currency: the net of its available transactions. */
export function availableAmount(context: StripeContext, currency: string, scope = context.tx.scope): number {
  return balanceSums(context, scope).get(currency)?.available ?? 0;
}

/**
 * An account's balance by currency at the request's moment, as its unit of work sees it: the
 * committed totals with this transaction's own balance transactions laid over them.
 */
export function balanceSums(context: StripeContext, scope: string): Map<string, BalanceSums> {
  const now = context.nowSeconds;
  const sums = context.runtime.balances.sums(scope, now);
  const add = (transaction: Stripe.BalanceTransaction, sign: 1 | -1) => {
    let entry = sums.get(transaction.currency);
    if (entry === undefined) sums.set(transaction.currency, (entry = { available: 0, pending: 0 }));
    if (transaction.available_on <= now) entry.available += sign * transaction.net;
    else entry.pending += sign * transaction.net;
  };
  for (const [id, written] of context.tx.pending<Stripe.BalanceTransaction>('balance_transaction', scope)) {
    const stored = context.runtime.store.get(scope, 'balance_transaction', id);
    if (stored !== undefined) add(stored as Stripe.BalanceTransaction, -1);
    if (written !== undefined) add(written, 1);
  }
  return sums;
}

/** Refuses to move more than the available balance, with Stripe's `balance_insufficient`. */
export function requireAvailable(
  context: StripeContext,
  amount: number,
  currency: string,
  scope = context.tx.scope,
): void {
  const available = availableAmount(context, currency, scope);
  if (amount <= available) return;
  fail({
    kind: 'invalid_request',
    param: 'amount',
    code: 'balance_insufficient',
    message: `You have insufficient funds in your Stripe account for this transfer (${formatAmount(available, currency)} available). In test mode, you can add funds to your available balance (bypassing your pending balance) by creating a charge with 4000 0000 0000 0077 as the card number.`,
  });
}

/** The account's balance as `GET /v1/balance` shows it, for the `balance.available` event. */
export function balanceNow(context: StripeContext, scope = context.tx.scope): Stripe.Balance {
  const sums = [...balanceSums(context, scope)];
  const amounts = (pick: (each: BalanceSums) => number) =>
    sums.map(([currency, each]) => ({ amount: pick(each), currency, source_types: { card: pick(each) } }));
  return {
    object: 'balance',
    available: amounts((each) => each.available),
    connect_reserved: sums.map(([currency]) => ({ amount: 0, currency })),
    livemode: false,
    pending: amounts((each) => each.pending),
  };
}

/**
 * Announces funds becoming available: `balance.available` now if they already are, else once
 * on the day they will be (one event per account and day, as Stripe batches it).
 */
export function announceAvailability(context: StripeContext, transaction: Stripe.BalanceTransaction): void {
  const scope = context.tx.scope;
  // The Balance has no id; its event still carries it whole, as Stripe's does.
  const emit = (job: StripeContext) => job.emit('balance.available', balanceNow(job, scope));
  if (transaction.available_on <= context.nowSeconds) {
    emit(context);
    return;
  }
  const day = Math.floor(transaction.available_on / daySeconds);
  const marker = `balance_available:${day}`;
  if (context.tx.get<AvailabilityMarker>('fakepsp.balance_available', marker) !== undefined) return;
  context.tx.put<AvailabilityMarker>({ id: marker, object: 'fakepsp.balance_available' });
  context.later({
    label: `balance available on day ${day}`,
    delayMs: (transaction.available_on - context.nowSeconds) * 1000,
    run: emit,
  });
}
