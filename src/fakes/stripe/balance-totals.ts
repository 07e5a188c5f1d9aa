import type Stripe from 'stripe';
import { assert } from '../../sim/assert.ts';
import type { StripeObject, StripeStore } from './store.ts';

/** One currency of an account's balance at a moment: what can be paid out, and what is still settling. */
export interface BalanceSums {
  available: number;
  pending: number;
}

/**
 * Each account's balance transactions summed by currency and by the second they become
 * available, kept as the store writes them: `GET /v1/balance`, payouts and transfers add up a
 * few sums (one per settlement time) instead of every transaction the account ever had.
 * Currencies keep the order of their first transaction, as a walk over the transactions meets them:
 * a ledger's transactions are never removed and never change currency, which the totals check.
 */
export class BalanceTotals {
  /** By scope, then currency, then `available_on`: the net of those transactions. */
  readonly #scopes = new Map<string, Map<string, Map<number, number>>>();

  constructor(store: StripeStore) {
    store.watch('balance_transaction', (scope, previous, next) => {
      assert(next !== undefined, 'a balance transaction removed');
      const currencyOf = (object: StripeObject) => (object as Stripe.BalanceTransaction).currency;
      assert(
        previous === undefined || currencyOf(previous) === currencyOf(next),
        'a balance transaction changed currency',
      );
      if (previous !== undefined) this.#add(scope, previous, -1);
      this.#add(scope, next, 1);
    });
  }

  /** The committed sums of an account at `nowSeconds`, by currency (a new Map to change). */
  sums(scope: string, nowSeconds: number): Map<string, BalanceSums> {
    const result = new Map<string, BalanceSums>();
    for (const [currency, byTime] of this.#scopes.get(scope) ?? []) {
      const sums = { available: 0, pending: 0 };
      for (const [availableOn, net] of byTime) {
        if (availableOn <= nowSeconds) sums.available += net;
        else sums.pending += net;
      }
      result.set(currency, sums);
    }
    return result;
  }

  #add(scope: string, object: StripeObject, sign: 1 | -1): void {
    const { currency, available_on: availableOn, net } = object as Stripe.BalanceTransaction;
    let currencies = this.#scopes.get(scope);
    if (currencies === undefined) this.#scopes.set(scope, (currencies = new Map()));
    let byTime = currencies.get(currency);
    if (byTime === undefined) currencies.set(currency, (byTime = new Map()));
    byTime.set(availableOn, (byTime.get(availableOn) ?? 0) + sign * net);
  }
}
