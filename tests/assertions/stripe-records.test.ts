import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeRecords } from '../../src/assertions/records/stripe.ts';
import { dashboardRefund, openDispute, winDispute } from '../../src/fakes/stripe/payment-actions.ts';
import { refundSettleDelayMs } from '../../src/fakes/stripe/resources/refunds.ts';
import { startStripe, type StripeHarness } from '../support/stripe-harness.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe(5, 'http')));
afterAll(() => h.close());

const movementsOf = (id: string) =>
  stripeRecords(h.fake.runtime.store.dump())
    .movements.filter((m) => m.objectId === id || m.parentId === id)
    .map((m) => [m.kind, m.objectId, m.amountMinor, m.status, m.account]);

describe('stripeRecords reads money movements from the fake Stripe', () => {
  it('a partial capture moves only the captured amount; the released rest is no refund', async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    const captured = await h.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 3200 });
    const charge = captured.latest_charge as string;
    expect((await h.stripe.charges.retrieve(charge)).amount_refunded).toBe(1800);
    expect(movementsOf(charge)).toEqual([['capture', charge, 3200, 'succeeded', null]]);
  });

  it('an uncaptured authorization and a declined charge move nothing but are known objects', async () => {
    const held = await h.stripe.paymentIntents.create({
      amount: 700,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    const charge = held.latest_charge as string;
    const records = stripeRecords(h.fake.runtime.store.dump());
    expect(movementsOf(charge)).toEqual([]);
    expect(records.objects.find((o) => o.objectId === charge)).toMatchObject({ objectType: 'charge' });
  });

  it('a refund that fails later gives a refund and a refund_reversal', async () => {
    const method = await h.stripe.paymentMethods.create({
      type: 'card',
      card: { number: '4000000000005126', exp_month: 12, exp_year: 2030, cvc: '123' },
    });
    const intent = await h.stripe.paymentIntents.create({
      amount: 2500,
      currency: 'eur',
      payment_method: method.id,
      confirm: true,
    });
    const charge = intent.latest_charge as string;
    const refund = await h.stripe.refunds.create({ charge, amount: 1000 });
    h.sim.clock.advanceBy(refundSettleDelayMs);
    await h.stripe.refunds.retrieve(refund.id);
    expect(movementsOf(charge)).toEqual([
      ['capture', charge, 2500, 'succeeded', null],
      ['refund', refund.id, 1000, 'failed', null],
      ['refund_reversal', refund.id, 1000, 'failed', null],
    ]);
  });

  it('a won dispute withdraws and reinstates; a dashboard refund is a refund like any other', async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const charge = intent.latest_charge as string;
    const refund = dashboardRefund(h.fake.runtime, { chargeId: charge, amount: 100 });
    const dispute = winDispute(h.fake.runtime, {
      disputeId: openDispute(h.fake.runtime, { chargeId: charge }).id,
    });
    expect(movementsOf(charge)).toEqual([
      ['capture', charge, 900, 'succeeded', null],
      ['refund', refund.id, 100, 'succeeded', null],
      ['dispute_withdrawal', dispute.id, 800, 'won', null],
      ['dispute_reinstatement', dispute.id, 800, 'won', null],
    ]);
  });

  it('a direct charge on a Connect account is a capture in that account', async () => {
    const account = await h.stripe.accounts.create({ type: 'standard' });
    const tenant = h.client({ stripeAccount: account.id });
    const intent = await tenant.paymentIntents.create({
      amount: 1200,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const charge = intent.latest_charge as string;
    expect(movementsOf(charge)).toEqual([['capture', charge, 1200, 'succeeded', account.id]]);
  });

  it('a destination charge is a platform capture, a transfer out and an application fee in', async () => {
    const account = await h.stripe.accounts.create({ type: 'express' });
    const customer = await h.stripe.customers.create({ metadata: { fakepsp_customer_id: 'c_tenant' } });
    const intent = await h.stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      transfer_data: { destination: account.id },
      application_fee_amount: 200,
    });
    const charge = await h.stripe.charges.retrieve(intent.latest_charge as string);
    const moved = stripeRecords(h.fake.runtime.store.dump()).movements.filter(
      (m) => m.objectId === charge.id || m.parentId === charge.id,
    );
    expect(
      moved.map((m) => [
        m.kind,
        m.objectId,
        m.amountMinor,
        m.account,
        m.destination,
        m.parentId,
        m.customerId,
      ]),
    ).toEqual([
      ['capture', charge.id, 2000, null, undefined, null, 'c_tenant'],
      ['transfer', charge.transfer, 2000, null, account.id, charge.id, 'c_tenant'],
      ['application_fee', charge.application_fee, 200, null, account.id, charge.id, 'c_tenant'],
    ]);
    expect(moved.slice(1).map((m) => m.eventIds.length)).toEqual([1, 1]);
  });
});
