import fc from 'fast-check';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { BalanceTotals } from '../../src/fakes/stripe/balance-totals.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { platformScope, StripeStore } from '../../src/fakes/stripe/store.ts';
import { createSimulation } from '../../src/sim/simulation.ts';

type Transaction = Pick<Stripe.BalanceTransaction, 'id' | 'object' | 'currency' | 'available_on' | 'net'>;

/** What summing every transaction of an account gives, currencies in the order first met. */
function summed(transactions: readonly Transaction[], now: number) {
  const sums = new Map<string, { available: number; pending: number }>();
  for (const each of transactions) {
    const entry = sums.get(each.currency) ?? { available: 0, pending: 0 };
    if (each.available_on <= now) entry.available += each.net;
    else entry.pending += each.net;
    sums.set(each.currency, entry);
  }
  return sums;
}

// A ledger's transaction keeps its currency (here, by its id) and is never removed.
const currencyOf: Readonly<Record<string, string>> = {
  txn_1: 'usd',
  txn_2: 'eur',
  txn_3: 'usd',
  txn_4: 'inr',
};
const write = fc.record({
  scope: fc.constantFrom('platform', 'acct_1'),
  id: fc.constantFrom('txn_1', 'txn_2', 'txn_3', 'txn_4'),
  availableOn: fc.integer({ min: 0, max: 10 }),
  net: fc.integer({ min: -5_000, max: 5_000 }),
});

describe('balance totals', () => {
  it('sum each account by currency as a walk over its transactions does, through every change', () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 40 }), fc.integer({ min: 0, max: 10 }), (writes, now) => {
        const store = new StripeStore();
        const totals = new BalanceTotals(store);
        for (const each of writes) {
          store.put(each.scope, {
            id: each.id,
            object: 'balance_transaction',
            currency: currencyOf[each.id]!,
            available_on: each.availableOn,
            net: each.net,
          } satisfies Transaction as Transaction);
        }
        for (const scope of ['platform', 'acct_1']) {
          const all = store.values(scope, 'balance_transaction') as unknown as Transaction[];
          expect([...totals.sums(scope, now)]).toEqual([...summed(all, now)]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('make GET /v1/balance agree with every balance transaction listed, as charges settle and money moves', () => {
    const sim = createSimulation({ seed: 7 });
    const stripe = createStripeFake(sim);
    const headers = { authorization: 'Bearer sk_test_fakepsp' };
    const call = (method: string, path: string, rawBody = '', query = '') => {
      const { response } = stripe.core.handleNow({ method, path, query, headers, rawBody });
      expect(response.status, response.body).toBe(200);
      return JSON.parse(response.body) as Record<string, unknown>;
    };
    const pay = (card: string, currency: string) =>
      call(
        'POST',
        '/v1/payment_intents',
        `amount=5000&currency=${currency}&confirm=true&payment_method=${card}`,
      );
    const expectBalanceAgrees = () => {
      const listed = call('GET', '/v1/balance_transactions', '', 'limit=100')
        .data as Stripe.BalanceTransaction[];
      const expected = summed([...listed].reverse(), sim.clock.nowMs() / 1000);
      const balance = call('GET', '/v1/balance') as unknown as Stripe.Balance;
      expect(balance.available.map(({ currency, amount }) => [currency, amount])).toEqual(
        [...expected].map(([currency, sums]) => [currency, sums.available]),
      );
      expect(balance.pending.map(({ currency, amount }) => [currency, amount])).toEqual(
        [...expected].map(([currency, sums]) => [currency, sums.pending]),
      );
    };
    pay('pm_card_visa', 'usd');
    const settledAtOnce = pay('pm_card_bypassPending', 'usd');
    // Announced by the request that moved the money: its own transaction counts already.
    const events = stripe.runtime.store.values(platformScope, 'event') as unknown as Stripe.Event[];
    const announced = events.filter((event) => event.type === 'balance.available').at(-1)!.data.object;
    expect(announced).toEqual(call('GET', '/v1/balance'));
    pay('pm_card_visa', 'eur');
    expectBalanceAgrees();
    call('POST', '/v1/refunds', `payment_intent=${String(settledAtOnce.id)}&amount=1000`);
    call('POST', '/v1/payouts', 'amount=1000&currency=usd');
    expectBalanceAgrees();
    sim.clock.advanceBy(3 * 86_400_000);
    pay('pm_card_visa', 'usd');
    expectBalanceAgrees();
    const balance = call('GET', '/v1/balance') as unknown as Stripe.Balance;
    expect(balance.available.find((each) => each.currency === 'eur')?.amount).toBeGreaterThan(0);
  });
});
