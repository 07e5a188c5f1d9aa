import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardRefund,
  failNextRefund,
  failRefund,
  loseDispute,
  openDispute,
  winDispute,
} from '../../../src/fakes/stripe/payment-actions.ts';
import { refundSettleDelayMs } from '../../../src/fakes/stripe/resources/refunds.ts';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

async function paidCharge(paymentMethod = 'pm_card_visa', amount = 5000): Promise<Stripe.Charge> {
  const intent = await h.stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    payment_method: paymentMethod,
    confirm: true,
  });
  return h.stripe.charges.retrieve(intent.latest_charge as string);
}

async function withCard(number: string): Promise<string> {
  const method = await h.stripe.paymentMethods.create({
    type: 'card',
    card: { number, exp_month: 12, exp_year: 2030, cvc: '123' },
  });
  expectStripeShape('payment_method', method);
  return method.id;
}

describe('refunds', () => {
  it('refunds part, then the rest; the charge tracks amount_refunded and refunded', async () => {
    const charge = await paidCharge();
    const partial = await h.stripe.refunds.create({
      charge: charge.id,
      amount: 2000,
      reason: 'requested_by_customer',
    });
    expectStripeShape('refund', partial);
    expect(partial).toMatchObject({ status: 'succeeded', amount: 2000, charge: charge.id });
    expect(await h.stripe.charges.retrieve(charge.id)).toMatchObject({
      amount_refunded: 2000,
      refunded: false,
    });
    const txn = await h.stripe.balanceTransactions.retrieve(partial.balance_transaction as string);
    expect(txn).toMatchObject({ type: 'refund', amount: -2000, net: -2000 });
    const rest = await h.stripe.refunds.create({ payment_intent: charge.payment_intent as string });
    expect(rest.amount).toBe(3000);
    expect(await h.stripe.charges.retrieve(charge.id)).toMatchObject({
      amount_refunded: 5000,
      refunded: true,
    });
    const listed = await h.stripe.refunds.list({ charge: charge.id });
    expect(listed.data.map((refund) => refund.id)).toEqual([rest.id, partial.id]);
    const types = (await h.stripe.events.list({ limit: 5 })).data.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['charge.refunded', 'refund.created']));
  });

  it("refuses to refund more than the charge: 400 amount_too_large with Stripe's message", async () => {
    const charge = await paidCharge();
    const error = await h.stripe.refunds
      .create({ charge: charge.id, amount: 6000 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'amount_too_large',
      message: 'Refund amount ($60.00) is greater than charge amount ($50.00)',
    });
    expect((await h.stripe.charges.retrieve(charge.id)).amount_refunded).toBe(0);
  });

  it('updates refund metadata', async () => {
    const charge = await paidCharge();
    const refund = await h.stripe.refunds.create({ charge: charge.id, amount: 100 });
    const updated = await h.stripe.refunds.update(refund.id, { metadata: { ticket: 't_1' } });
    expect(updated.metadata).toEqual({ ticket: 't_1' });
  });

  it('card 4000000000005126: the refund succeeds, then fails later and the money comes back', async () => {
    const charge = await paidCharge(await withCard('4000000000005126'));
    const refund = await h.stripe.refunds.create({ charge: charge.id });
    expect(refund.status).toBe('succeeded');
    h.sim.clock.advanceBy(refundSettleDelayMs);
    const failed = await h.stripe.refunds.retrieve(refund.id);
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
    const back = await h.stripe.balanceTransactions.retrieve(failed.failure_balance_transaction as string);
    expect(back).toMatchObject({ type: 'refund_failure', amount: 5000 });
    expect(await h.stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 0, refunded: false });
    const types = (await h.stripe.events.list({ limit: 5 })).data.map((event) => event.type);
    expect(types).toContain('refund.failed');
  });

  it("fail_next_refund and fail_refund: any card's refund can be made to fail later, once each", async () => {
    const charge = await paidCharge('pm_card_visa', 4000);
    failNextRefund(h.fake.runtime);
    const lined = await h.stripe.refunds.create({ charge: charge.id, amount: 1000 });
    const normal = await h.stripe.refunds.create({ charge: charge.id, amount: 1000 });
    h.sim.clock.advanceBy(refundSettleDelayMs);
    expect((await h.stripe.refunds.retrieve(lined.id)).status).toBe('failed');
    expect((await h.stripe.refunds.retrieve(normal.id)).status).toBe('succeeded');
    const failed = failRefund(h.fake.runtime, { refundId: normal.id });
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
    expect(await h.stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 0, refunded: false });
  });

  it('card 4000000000007726: the refund is pending, then succeeds', async () => {
    const charge = await paidCharge(await withCard('4000000000007726'));
    const refund = await h.stripe.refunds.create({ charge: charge.id, amount: 1000 });
    expect(refund.status).toBe('pending');
    h.sim.clock.advanceBy(refundSettleDelayMs);
    expect((await h.stripe.refunds.retrieve(refund.id)).status).toBe('succeeded');
  });

  it('a dashboard refund (outside the SUT) shows up like any other', async () => {
    const charge = await paidCharge();
    const refund = dashboardRefund(h.fake.runtime, { chargeId: charge.id, amount: 500 });
    expect(await h.stripe.refunds.retrieve(refund.id)).toMatchObject({ amount: 500, status: 'succeeded' });
  });
});

describe('disputes', () => {
  it('pm_card_createDispute: the charge is disputed at once and funds are withdrawn with the fee', async () => {
    const charge = await paidCharge('pm_card_createDispute', 4000);
    expect(charge.disputed).toBe(true);
    const disputes = await h.stripe.disputes.list({ charge: charge.id });
    expect(disputes.data).toHaveLength(1);
    const dispute = disputes.data[0]!;
    expectStripeShape('dispute', dispute, ['intended_submission_method']);
    expect(dispute).toMatchObject({ status: 'needs_response', amount: 4000, reason: 'fraudulent' });
    expect(dispute.balance_transactions[0]).toMatchObject({ amount: -4000, fee: 1500, net: -5500 });
    const types = (await h.stripe.events.list({ limit: 10 })).data.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining(['charge.dispute.created', 'charge.dispute.funds_withdrawn']),
    );
    const refund = await h.stripe.refunds.create({ charge: charge.id }).catch((caught: unknown) => caught);
    expect(refund).toMatchObject({ statusCode: 400, code: 'charge_disputed' });
  });

  it('evidence is recorded; winning reinstates the funds', async () => {
    const charge = await paidCharge();
    const opened = openDispute(h.fake.runtime, { chargeId: charge.id, reason: 'product_not_received' });
    const updated = await h.stripe.disputes.update(opened.id, {
      evidence: { uncategorized_text: 'Delivered on time' },
      metadata: { case: 'c_1' },
    });
    expect(updated).toMatchObject({ status: 'under_review', metadata: { case: 'c_1' } });
    expect(updated.evidence.uncategorized_text).toBe('Delivered on time');
    const won = winDispute(h.fake.runtime, { disputeId: opened.id });
    expect(won.status).toBe('won');
    const fetched = await h.stripe.disputes.retrieve(opened.id);
    expect(fetched.balance_transactions.map((txn) => txn.amount)).toEqual([-5000, 5000]);
    const types = (await h.stripe.events.list({ limit: 5 })).data.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining(['charge.dispute.funds_reinstated', 'charge.dispute.closed']),
    );
  });

  it('losing (or closing) keeps the withdrawal; a closed dispute cannot change', async () => {
    const charge = await paidCharge();
    const lost = loseDispute(h.fake.runtime, {
      disputeId: openDispute(h.fake.runtime, { chargeId: charge.id }).id,
    });
    expect(lost.status).toBe('lost');
    const closeAgain = await h.stripe.disputes.close(lost.id).catch((caught: unknown) => caught);
    expect(closeAgain).toMatchObject({ statusCode: 400 });
    const other = openDispute(h.fake.runtime, { chargeId: (await paidCharge()).id });
    expect((await h.stripe.disputes.close(other.id)).status).toBe('lost');
  });
});
