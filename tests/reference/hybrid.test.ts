import type Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import {
  balance,
  expectBalanced,
  expectMatchesStripe,
  feb1Plus2h,
  jan10,
  jpyCustomer,
  ofKind,
  record42,
  startReference,
  stored,
  usdCustomer,
  type ReferenceRun,
} from './support.ts';

let run: ReferenceRun | undefined;
afterEach(async () => run?.close());

describe('hybrid: a Stripe subscription for the base fee, a real-time wallet for usage', () => {
  it('invoices the base fee each period through Stripe and debits 42 calls from the wallet', async () => {
    run = await startReference('hybrid');
    const { sut, h } = run;
    await sut.createCustomer(usdCustomer);
    await sut.createCustomer(jpyCustomer);
    await sut.topUp({ customerId: 'c_usd', amount: 500, currency: 'usd', requestId: 'top_1' });
    await sut.topUp({ customerId: 'c_jpy', amount: 200, currency: 'jpy', requestId: 'top_1' });
    await run.advance(jan10);
    await record42(sut, 'c_usd', jan10);
    await record42(sut, 'c_jpy', jan10);
    await run.advance(feb1Plus2h);
    await run.deliverAndSettle();

    const ledger = await sut.ledger();
    expectBalanced(ledger);
    expect(ofKind(ledger, 'invoice', 'c_usd').map((t) => t.postings[0]!.amount)).toEqual([1000, 1000]);
    expect(ofKind(ledger, 'invoice', 'c_jpy').map((t) => t.postings[0]!.amount)).toEqual([500, 500]);
    expect(balance(ledger, 'customer:c_usd:receivable', 'usd')).toBe(0);
    expect(balance(ledger, 'customer:c_usd:wallet', 'usd')).toBe(-500 + 210);
    expect(balance(ledger, 'customer:c_jpy:wallet', 'jpy')).toBe(-200 + 126);
    expect(balance(ledger, 'revenue:usage', 'usd')).toBe(-210);
    const charges = stored<Stripe.Charge>(h, 'charge').map((charge) => [charge.amount, charge.currency]);
    expect(charges).toEqual([
      [1000, 'usd'],
      [500, 'jpy'],
      [500, 'usd'],
      [200, 'jpy'],
      [1000, 'usd'],
      [500, 'jpy'],
    ]);
    expectMatchesStripe(run, ledger);
  });
});
