import type Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardRefund } from '../../src/fakes/stripe/payment-actions.ts';
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

const invoiceTotals = (ledger: Awaited<ReturnType<ReferenceRun['sut']['ledger']>>, customerId: string) =>
  ofKind(ledger, 'invoice', customerId).map((transaction) =>
    Object.fromEntries(transaction.postings.map((posting) => [posting.account, posting.amount])),
  );

describe('managed-stripe: Stripe Billing on a test clock that follows the service’s time', () => {
  it('mirrors the base fee in advance and 42 metered calls in arrears, per currency', async () => {
    run = await startReference('managed-stripe');
    const { sut, h } = run;
    await sut.createCustomer(usdCustomer);
    await sut.createCustomer(jpyCustomer);
    await run.advance(jan10);
    await record42(sut, 'c_usd', jan10);
    await record42(sut, 'c_jpy', jan10);
    await run.advance(feb1Plus2h);
    await run.deliverAndSettle();

    const ledger = await sut.ledger();
    expectBalanced(ledger);
    expect(invoiceTotals(ledger, 'c_usd')).toEqual([
      { 'customer:c_usd:receivable': 1000, 'revenue:subscription': -1000 },
      { 'customer:c_usd:receivable': 1210, 'revenue:subscription': -1000, 'revenue:usage': -210 },
    ]);
    expect(invoiceTotals(ledger, 'c_jpy')).toEqual([
      { 'customer:c_jpy:receivable': 500, 'revenue:subscription': -500 },
      { 'customer:c_jpy:receivable': 626, 'revenue:subscription': -500, 'revenue:usage': -126 },
    ]);
    expect(balance(ledger, 'customer:c_usd:receivable', 'usd')).toBe(0);
    expect(balance(ledger, 'customer:c_jpy:receivable', 'jpy')).toBe(0);
    const clocks = stored<Stripe.TestHelpers.TestClock>(h, 'test_helpers.test_clock');
    expect(clocks.map((clock) => [clock.status, clock.frozen_time])).toEqual([
      ['ready', Date.parse(feb1Plus2h) / 1000],
      ['ready', Date.parse(feb1Plus2h) / 1000],
    ]);
    expectMatchesStripe(run, ledger);
  });

  it('books our refund and a dashboard refund of an invoice payment', async () => {
    run = await startReference('managed-stripe');
    const { sut, h } = run;
    await sut.createCustomer(usdCustomer);
    const [first] = stored<Stripe.Charge>(h, 'charge');
    await sut.refund({ customerId: 'c_usd', ref: first!.id, amount: 300, requestId: 'r_1' });
    dashboardRefund(h.fake.runtime, { chargeId: first!.id, amount: 100 });
    await run.advance(feb1Plus2h);
    await run.deliverAndSettle();
    const ledger = await sut.ledger();
    expectBalanced(ledger);
    expect(ofKind(ledger, 'refund').map((t) => t.postings[0]!.amount)).toEqual([300, 100]);
    expect(balance(ledger, 'revenue:refunds', 'usd')).toBe(400);
    expectMatchesStripe(run, ledger);
  });
});
