import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { storedEvents } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

const refused = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);
const available = async (currency = 'usd') =>
  (await h.stripe.balance.retrieve()).available.find((entry) => entry.currency === currency)?.amount ?? 0;
const countOf = (type: string) => storedEvents(h).filter((event) => event.type === type).length;

describe('balance, payouts, transfers and top-ups through the official SDK', () => {
  it('pm_card_bypassPending funds the available balance at once; a payout takes it out and is paid next day', async () => {
    const before = countOf('balance.available');
    await h.stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      payment_method: 'pm_card_bypassPending',
      confirm: true,
    });
    expect(await available()).toBe(2000 - 88);
    expect(countOf('balance.available')).toBe(before + 1);
    expect(await refused(h.stripe.payouts.create({ amount: 5000, currency: 'usd' }))).toMatchObject({
      statusCode: 400,
      code: 'balance_insufficient',
    });
    const payout = await h.stripe.payouts.create({ amount: 1100, currency: 'usd' });
    expectStripeShape('payout', payout);
    expect(payout.status).toBe('pending');
    expect(await available()).toBe(2000 - 88 - 1100);
    const [transaction] = (await h.stripe.balanceTransactions.list({ type: 'payout', limit: 1 })).data;
    expect(transaction).toMatchObject({ amount: -1100, source: payout.id });
    // `payout` lists what an automatic payout paid out; Stripe refuses it for a manual one.
    expect(await refused(h.stripe.balanceTransactions.list({ payout: payout.id }))).toMatchObject({
      statusCode: 400,
      param: 'payout',
      message: 'Balance transaction history can only be filtered on automatic transfers, not manual.',
    });
    expect(await refused(h.stripe.balanceTransactions.list({ payout: 'po_missing' }))).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'payout',
    });
    h.sim.clock.advanceBy(86_400_000);
    expect((await h.stripe.payouts.retrieve(payout.id)).status).toBe('paid');
    expect(countOf('payout.paid')).toBe(1);
  });

  it('a card payment becomes available two days later, announced by balance.available', async () => {
    const before = countOf('balance.available');
    await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(await available('eur')).toBe(0);
    h.sim.clock.advanceBy(2 * 86_400_000);
    expect(await available('eur')).toBe(1000 - 59);
    expect(countOf('balance.available')).toBe(before + 1);
  });

  it('a transfer moves available funds to a connected account; a reversal brings part back', async () => {
    const account = await h.stripe.accounts.create({ type: 'express' });
    const start = await available();
    expect(
      await refused(
        h.stripe.transfers.create({ amount: start + 1, currency: 'usd', destination: account.id }),
      ),
    ).toMatchObject({
      code: 'balance_insufficient',
    });
    const transfer = await h.stripe.transfers.create({
      amount: 500,
      currency: 'usd',
      destination: account.id,
    });
    expectStripeShape('transfer', transfer);
    expect(await available()).toBe(start - 500);
    const connected = await h.client({ stripeAccount: account.id }).balance.retrieve();
    expect(connected.available.find((entry) => entry.currency === 'usd')?.amount).toBe(500);
    const reversal = await h.stripe.transfers.createReversal(transfer.id, { amount: 200 });
    expectStripeShape('transfer_reversal', reversal);
    expect(await h.stripe.transfers.retrieve(transfer.id)).toMatchObject({
      amount_reversed: 200,
      reversed: false,
    });
    expect(await available()).toBe(start - 300);
    expect(countOf('transfer.reversed')).toBe(1);
  });

  it('a top-up clears after its bank debit and its funds become available later', async () => {
    const topup = await h.stripe.topups.create({ amount: 5000, currency: 'gbp', description: 'float' });
    expectStripeShape('topup', topup);
    expect(topup.status).toBe('pending');
    h.sim.clock.advanceBy(60_000);
    const cleared = await h.stripe.topups.retrieve(topup.id);
    expect(cleared.status).toBe('succeeded');
    expect(await available('gbp')).toBe(0);
    h.sim.clock.advanceBy(86_400_000);
    expect(await available('gbp')).toBe(5000);
  });
});
