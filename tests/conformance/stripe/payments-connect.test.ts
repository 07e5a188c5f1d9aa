import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulation } from '../../../src/sim/simulation.ts';
import { createStripeFake } from '../../../src/fakes/stripe/index.ts';
import { runWork } from '../../../src/fakes/stripe/engine.ts';
import { payOffSession } from '../../../src/fakes/stripe/resources/payment-intents.ts';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
const refused = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

/** What a connected account holds, available and pending together. */
async function balanceOf(account: string): Promise<number> {
  const { available, pending } = await h.client({ stripeAccount: account }).balance.retrieve();
  return [...available, ...pending].reduce((sum, each) => sum + each.amount, 0);
}
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

describe('Connect payments', () => {
  it('a destination charge transfers to the account and collects the application fee', async () => {
    const account = await h.stripe.accounts.create({ type: 'express' });
    const intent = await h.stripe.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      application_fee_amount: 1_000,
      transfer_data: { destination: account.id },
    });
    expect(intent).toMatchObject({ status: 'succeeded', application_fee_amount: 1_000 });
    const charge = await h.stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge.application_fee).toMatch(/^fee_/);
    const fee = await h.stripe.applicationFees.retrieve(charge.application_fee as string);
    expectStripeShape('application_fee', fee);
    expect(fee).toMatchObject({ amount: 1_000, account: account.id, originating_transaction: charge.id });
    const transfers = await h.stripe.balanceTransactions.list({ type: 'transfer' });
    expect(transfers.data[0]).toMatchObject({ amount: -10_000 });
    const onAccount = await h.client({ stripeAccount: account.id }).balanceTransactions.list();
    expect(onAccount.data[0]).toMatchObject({ type: 'payment', amount: 10_000, fee: 1_000, net: 9_000 });
    const fees = await h.stripe.applicationFees.list({ limit: 5 });
    expect(fees.data.map((listed) => listed.id)).toContain(fee.id);
  });

  it('a refund with reverse_transfer takes back its share of the transfer, in parts or whole', async () => {
    const account = await h.stripe.accounts.create({ type: 'express' });
    const accountBalance = () => balanceOf(account.id);
    const intent = await h.stripe.paymentIntents.create({
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      transfer_data: { destination: account.id, amount: 7_001 },
    });
    const charge = await h.stripe.charges.retrieve(intent.latest_charge as string);
    expect(await accountBalance()).toBe(7_001);
    // A third of the charge: a third of the transfer, 2,333.67 rounded to 2,334.
    const first = await h.stripe.refunds.create({ charge: charge.id, amount: 3_334, reverse_transfer: true });
    const reversal = await h.stripe.transfers.retrieveReversal(
      charge.transfer as string,
      first.transfer_reversal as string,
    );
    expect(reversal).toMatchObject({ amount: 2_334, source_refund: first.id, transfer: charge.transfer });
    expect(await accountBalance()).toBe(7_001 - 2_334);
    // Without it, the account keeps what it was sent.
    const plain = await h.stripe.refunds.create({ charge: charge.id, amount: 1_000 });
    expect(plain.transfer_reversal).toBeNull();
    // The refund that empties the charge takes back all the transfer has left.
    const last = await h.stripe.refunds.create({ charge: charge.id, reverse_transfer: true });
    expect(last.amount).toBe(10_000 - 3_334 - 1_000);
    const transfer = await h.stripe.transfers.retrieve(charge.transfer as string);
    expect(transfer).toMatchObject({ amount_reversed: 7_001, reversed: true });
    expect(transfer.reversals.data.map((each) => each.source_refund)).toEqual([last.id, first.id]);
    expect(await accountBalance()).toBe(0);
    const platform = await h.stripe.balanceTransactions.list({ type: 'transfer_refund', limit: 2 });
    expect(platform.data.map((each) => each.amount)).toEqual([7_001 - 2_334, 2_334]);
    // A charge with no transfer has nothing to reverse.
    const own = await h.stripe.paymentIntents.create({
      amount: 500,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const ownRefund = await h.stripe.refunds.create({ payment_intent: own.id, reverse_transfer: true });
    expect(ownRefund).toMatchObject({ status: 'succeeded', transfer_reversal: null });
  });

  it('an application fee is refunded in parts, by itself or with its charge (refund_application_fee)', async () => {
    const account = await h.stripe.accounts.create({ type: 'express' });
    const accountBalance = () => balanceOf(account.id);
    const intent = await h.stripe.paymentIntents.create({
      amount: 9_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      application_fee_amount: 1_001,
      transfer_data: { destination: account.id },
    });
    const charge = await h.stripe.charges.retrieve(intent.latest_charge as string);
    const feeId = charge.application_fee as string;
    expect(await accountBalance()).toBe(9_000 - 1_001);
    const direct = await h.stripe.applicationFees.createRefund(feeId, {
      amount: 100,
      metadata: { why: 'goodwill' },
    });
    expectStripeShape('fee_refund', direct);
    expect(direct).toMatchObject({ amount: 100, fee: feeId, currency: 'usd', metadata: { why: 'goodwill' } });
    expect(await accountBalance()).toBe(9_000 - 1_001 + 100);
    expect(await refused(h.stripe.applicationFees.createRefund(feeId, { amount: 1_000 }))).toMatchObject({
      statusCode: 400,
      param: 'amount',
    });
    // A third of the charge: a third of the fee, 333.67 rounded to 334.
    await h.stripe.refunds.create({ charge: charge.id, amount: 3_000, refund_application_fee: true });
    expect(await h.stripe.applicationFees.retrieve(feeId)).toMatchObject({
      amount_refunded: 100 + 334,
      refunded: false,
    });
    // The refund that empties the charge gives back all the fee has left.
    await h.stripe.refunds.create({
      charge: charge.id,
      refund_application_fee: true,
      reverse_transfer: true,
    });
    const fee = await h.stripe.applicationFees.retrieve(feeId);
    expect(fee).toMatchObject({ amount_refunded: 1_001, refunded: true });
    const listed = await h.stripe.applicationFees
      .listRefunds(feeId, { limit: 1 })
      .autoPagingToArray({ limit: 10 });
    expect(listed.map((refund) => refund.amount)).toEqual([1_001 - 100 - 334, 334, 100]);
    const updated = await h.stripe.applicationFees.updateRefund(feeId, direct.id, {
      metadata: { why: 'billing error' },
    });
    expect(await h.stripe.applicationFees.retrieveRefund(feeId, direct.id)).toEqual(updated);
    // The account got the fee back and gave the whole transfer back: nothing left.
    expect(await accountBalance()).toBe(0);
    const platform = await h.stripe.balanceTransactions.list({ type: 'application_fee_refund', limit: 3 });
    expect(platform.data.map((each) => each.amount)).toEqual([-(1_001 - 100 - 334), -334, -100]);
    expect(await refused(h.stripe.applicationFees.createRefund(feeId))).toMatchObject({ statusCode: 400 });
  });

  it('refuses an unknown destination with 404 and writes nothing', async () => {
    const before = (await h.stripe.paymentIntents.list({ limit: 100 })).data.length;
    const error = await h.stripe.paymentIntents
      .create({ amount: 1000, currency: 'usd', transfer_data: { destination: 'acct_missing' } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'transfer_data[destination]',
    });
    expect((await h.stripe.paymentIntents.list({ limit: 100 })).data.length).toBe(before);
  });

  it('a direct charge (Stripe-Account) lives on the account; the platform gets the fee', async () => {
    const account = await h.stripe.accounts.create({ type: 'standard' });
    const tenant = h.client({ stripeAccount: account.id });
    const intent = await tenant.paymentIntents.create({
      amount: 4_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      application_fee_amount: 200,
    });
    const charge = await tenant.charges.retrieve(intent.latest_charge as string);
    const notOnPlatform = await h.stripe.charges.retrieve(charge.id).catch((caught: unknown) => caught);
    expect(notOnPlatform).toMatchObject({ statusCode: 404 });
    const txn = await tenant.balanceTransactions.retrieve(charge.balance_transaction as string);
    expect(txn).toMatchObject({ amount: 4_000, fee: 146 + 200, net: 4_000 - 346 });
    const fee = await h.stripe.applicationFees.retrieve(charge.application_fee as string);
    expect(fee).toMatchObject({ amount: 200, account: account.id, charge: charge.id });
  });
});

describe('balance', () => {
  it('sums balance transactions per currency: pending until settled, then available', async () => {
    const harness = await startStripe(7);
    try {
      await harness.stripe.paymentIntents.create({
        amount: 1_000,
        currency: 'eur',
        payment_method: 'pm_card_visa',
        confirm: true,
      });
      const pending = await harness.stripe.balance.retrieve();
      expect(pending.pending).toEqual([expect.objectContaining({ currency: 'eur', amount: 1_000 - 59 })]);
      harness.sim.clock.advanceBy(3 * 86_400_000);
      const settled = await harness.stripe.balance.retrieve();
      expect(settled.available).toEqual([expect.objectContaining({ currency: 'eur', amount: 941 })]);
      const txns = await harness.stripe.balanceTransactions.list({ type: 'charge' });
      expect(txns.data[0]?.status).toBe('available');
    } finally {
      await harness.close();
    }
  });
});

describe("payOffSession (the billing engine's way in)", () => {
  const sim = createSimulation({ seed: 3 });
  const fake = createStripeFake(sim);
  const scope = { scope: 'platform', label: 'test' };

  it('pays with a saved card, and reports a decline as a value', () => {
    const { customer, good, bad } = runWork(fake.runtime, scope, (context) => {
      const id = context.ids.stripe('cus_');
      context.tx.put({ id, object: 'customer', test_clock: null } as never);
      return { customer: id, good: 'pm_card_visa', bad: 'pm_card_chargeCustomerFail' };
    });
    const paid = runWork(fake.runtime, scope, (context) =>
      payOffSession(context, { customer, amount: 2_500, currency: 'usd', paymentMethod: good }),
    );
    expect(paid.ok).toBe(true);
    expect(paid.paymentIntent.status).toBe('succeeded');
    const declined = runWork(fake.runtime, scope, (context) =>
      payOffSession(context, { customer, amount: 2_500, currency: 'usd', paymentMethod: bad }),
    );
    expect(declined).toMatchObject({ ok: false, code: 'card_declined', declineCode: 'generic_decline' });
    expect(declined.paymentIntent.status).toBe('requires_payment_method');
    const missing = runWork(fake.runtime, scope, (context) =>
      payOffSession(context, { customer, amount: 2_500, currency: 'usd', paymentMethod: null }),
    );
    expect(missing).toMatchObject({ ok: false, code: 'resource_missing' });
    expect(missing.paymentIntent.status).toBe('requires_payment_method');
  });
});
