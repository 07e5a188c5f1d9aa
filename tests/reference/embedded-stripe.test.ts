import type Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { DeclinedError } from '../../src/reference/context.ts';
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

async function walletRun(variant: 'transparent' | 'opaque'): Promise<ReferenceRun> {
  run = await startReference('embedded-stripe', { embeddedVariant: variant });
  const { sut } = run;
  await sut.createCustomer(usdCustomer);
  await sut.createCustomer(jpyCustomer);
  await sut.topUp({ customerId: 'c_usd', amount: 2000, currency: 'usd', requestId: 'top_1' });
  await sut.topUp({ customerId: 'c_usd', amount: 2000, currency: 'usd', requestId: 'top_1' });
  await sut.topUp({ customerId: 'c_jpy', amount: 1000, currency: 'jpy', requestId: 'top_1' });
  await run.advance(jan10);
  await record42(sut, 'c_usd', jan10);
  await record42(sut, 'c_jpy', jan10);
  await run.advance(feb1Plus2h);
  await run.deliverAndSettle();
  return run;
}

describe('embedded-stripe: a Connect account per tenant and a real-time wallet', () => {
  it('transparent: direct charges on each tenant’s account; usage debits the wallet per event', async () => {
    const { h, sut } = await walletRun('transparent');
    const ledger = await sut.ledger();
    expectBalanced(ledger);
    const charges = stored<Stripe.Charge>(h, 'charge');
    const accounts = stored<Stripe.Account>(h, 'account');
    expect(charges.map((charge) => [charge.scope, charge.amount, charge.currency])).toEqual([
      [accounts[0]!.id, 2000, 'usd'],
      [accounts[1]!.id, 1000, 'jpy'],
    ]);
    expect(accounts.map((account) => account.metadata?.fakepsp_customer_id)).toEqual(['c_usd', 'c_jpy']);
    expect(balance(ledger, 'customer:c_usd:wallet', 'usd')).toBe(-2000 + 210);
    expect(balance(ledger, 'customer:c_jpy:wallet', 'jpy')).toBe(-1000 + 126);
    expect(ofKind(ledger, 'usage', 'c_usd')).toHaveLength(3);
    expect(balance(ledger, 'revenue:usage', 'jpy')).toBe(-126);
    expectMatchesStripe(run!, ledger);
  });

  it('opaque: destination charges through the platform, keeping a 10% application fee', async () => {
    const { h, sut } = await walletRun('opaque');
    const ledger = await sut.ledger();
    expectBalanced(ledger);
    const accounts = stored<Stripe.Account>(h, 'account');
    const charges = stored<Stripe.Charge>(h, 'charge');
    expect(charges.map((charge) => [charge.scope, charge.amount, charge.application_fee_amount])).toEqual([
      ['platform', 2000, 200],
      ['platform', 1000, 100],
    ]);
    const transfers = stored<Stripe.Transfer>(h, 'transfer');
    expect(transfers.map((transfer) => [transfer.destination, transfer.amount])).toEqual([
      [accounts[0]!.id, 2000],
      [accounts[1]!.id, 1000],
    ]);
    // The whole charge goes to the tenant; Stripe takes the application fee back from it.
    expect(balance(ledger, `psp:stripe:connect:${accounts[0]!.id}`, 'usd')).toBe(1800);
    expect(ofKind(ledger, 'application_fee').map((t) => t.postings[0]!.amount)).toEqual([200, 100]);
    expect(balance(ledger, 'customer:c_usd:wallet', 'usd')).toBe(-2000 + 210);
    expectMatchesStripe(run!, ledger, 'platform');
  });

  it('refuses a usage event the wallet cannot pay for, and bills nothing for it', async () => {
    run = await startReference('embedded-stripe');
    const { sut } = run;
    await sut.createCustomer(usdCustomer);
    await sut.topUp({ customerId: 'c_usd', amount: 100, currency: 'usd', requestId: 'top_1' });
    const spend = (eventId: string) =>
      sut.recordUsage({ customerId: 'c_usd', meter: 'api_call', quantity: 12, eventId, at: jan10 });
    const outcomes = await Promise.allSettled([spend('a'), spend('b')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(DeclinedError);
    const ledger = await sut.ledger();
    expect(balance(ledger, 'customer:c_usd:wallet', 'usd')).toBe(-100 + 60);
  });
});
