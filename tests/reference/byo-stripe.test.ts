import type Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardRefund, loseDispute, openDispute } from '../../src/fakes/stripe/payment-actions.ts';
import {
  balance,
  expectBalanced,
  expectMatchesStripe,
  feb1Plus2h,
  jpyCustomer,
  ofKind,
  record42,
  startReference,
  stored,
  usdCustomer,
  type ReferenceRun,
} from './support.ts';

let run: ReferenceRun | undefined;

function webhookAttempts(reference: ReferenceRun) {
  return reference.h.sim.journal
    .records()
    .filter((record) => record.kind === 'webhook_attempt')
    .map((record) => record.data as { eventType: string; status?: number });
}
afterEach(async () => run?.close());

describe('byo-stripe: the service meters, bills at period end and collects with PaymentIntents', () => {
  it('bills 42 calls (one duplicate eventId ignored) + base fee per currency, JPY without ×100', async () => {
    run = await startReference('byo-stripe');
    const { sut, h } = run;
    await sut.createCustomer(usdCustomer);
    await sut.createCustomer(jpyCustomer);
    await record42(sut, 'c_usd', '2026-01-10T00:00:00.000Z');
    await record42(sut, 'c_jpy', '2026-01-20T00:00:00.000Z');
    await run.advance('2026-01-31T00:00:00.000Z');
    expect(stored(h, 'payment_intent')).toEqual([]);
    await run.advance(feb1Plus2h);
    await run.deliverAndSettle();

    const ledger = await sut.ledger();
    expectBalanced(ledger);
    expect(ofKind(ledger, 'invoice').map((t) => [t.customerId, t.postings])).toEqual([
      [
        'c_usd',
        [
          { account: 'customer:c_usd:receivable', amount: 1210, currency: 'usd' },
          { account: 'revenue:subscription', amount: -1000, currency: 'usd' },
          { account: 'revenue:usage', amount: -210, currency: 'usd' },
        ],
      ],
      [
        'c_jpy',
        [
          { account: 'customer:c_jpy:receivable', amount: 626, currency: 'jpy' },
          { account: 'revenue:subscription', amount: -500, currency: 'jpy' },
          { account: 'revenue:usage', amount: -126, currency: 'jpy' },
        ],
      ],
    ]);
    const charges = stored<Stripe.Charge>(h, 'charge');
    expect(charges.map((charge) => [charge.amount, charge.currency, charge.status])).toEqual([
      [1210, 'usd', 'succeeded'],
      [626, 'jpy', 'succeeded'],
    ]);
    expect(balance(ledger, 'customer:c_usd:receivable', 'usd')).toBe(0);
    expect(balance(ledger, 'customer:c_jpy:receivable', 'jpy')).toBe(0);
    expect(ofKind(ledger, 'fee').length).toBe(2);
    expectMatchesStripe(run, ledger);
    const customers = stored<Stripe.Customer>(h, 'customer');
    expect(customers.map((customer) => customer.metadata.fakepsp_customer_id)).toEqual(['c_usd', 'c_jpy']);
    const attempts = webhookAttempts(run);
    expect(attempts.length).toBeGreaterThan(10);
    expect(new Set(attempts.map((attempt) => attempt.status))).toEqual(new Set([200]));
  });

  it('refuses deliveries with a bad or stale signature (400) and still books what they carried', async () => {
    run = await startReference('byo-stripe');
    const { sut, h } = run;
    await sut.createCustomer(usdCustomer);
    await run.advance(feb1Plus2h);
    h.fake.runtime.faults.load({
      webhooks: [
        { match: { eventType: 'charge.refunded' }, effect: { kind: 'bad_signature' } },
        { match: { eventType: 'refund.created' }, effect: { kind: 'stale_timestamp', ageSeconds: 900 } },
        { match: { eventType: 'refund.updated' }, effect: { kind: 'bad_signature' } },
      ],
    });
    const [charge] = stored<Stripe.Charge>(h, 'charge');
    dashboardRefund(h.fake.runtime, { chargeId: charge!.id, amount: 100 });
    await h.fake.flushWebhooks();
    const refused = webhookAttempts(run).filter((attempt) => attempt.status === 400);
    expect(refused.map((attempt) => attempt.eventType).sort()).toEqual(['charge.refunded', 'refund.created']);
    expect(ofKind(await sut.ledger(), 'refund')).toEqual([]);
    await sut.settle();
    const ledger = await sut.ledger();
    expect(ofKind(ledger, 'refund').map((t) => t.postings[0]!.amount)).toEqual([100]);
    expectMatchesStripe(run, ledger);
  });

  it('books its own refund, a dashboard refund and a lost dispute exactly as Stripe moved the money', async () => {
    run = await startReference('byo-stripe');
    const { sut, h } = run;
    await sut.createCustomer(usdCustomer);
    await sut.createCustomer({ ...usdCustomer, customerId: 'c_dispute', paymentMethod: 'pm_card_visa' });
    await record42(sut, 'c_usd', '2026-01-10T00:00:00.000Z');
    await run.advance(feb1Plus2h);
    const [charge, disputed] = stored<Stripe.Charge>(h, 'charge');
    await sut.refund({ customerId: 'c_usd', ref: charge!.id, amount: 200, requestId: 'r_1' });
    dashboardRefund(h.fake.runtime, { chargeId: charge!.id, amount: 10 });
    const dispute = openDispute(h.fake.runtime, { chargeId: disputed!.id });
    loseDispute(h.fake.runtime, { disputeId: dispute.id });
    await run.deliverAndSettle();

    const ledger = await sut.ledger();
    expectBalanced(ledger);
    expect(ofKind(ledger, 'refund').map((t) => t.postings[0]!.amount)).toEqual([200, 10]);
    expect(balance(ledger, 'disputes:stripe', 'usd')).toBe(1000);
    expect(balance(ledger, 'fees:stripe', 'usd')).toBeGreaterThan(1500);
    expectMatchesStripe(run, ledger);
  });

  it('a charge whose every answer was lost is closed by the poll job, never charged twice', async () => {
    run = await startReference('byo-stripe');
    const { sut, h } = run;
    await sut.createCustomer(usdCustomer);
    h.fake.runtime.faults.load({
      api: [
        { phase: 'after', match: { method: 'POST', path: '/v1/payment_intents' }, effect: { kind: 'reset' } },
      ],
    });
    await run.advance(feb1Plus2h);
    // The SDK's three attempts were all cut off; the tick's poll already found the charge's event.
    const resets = h.sim.journal
      .records()
      .filter((record) => record.kind === 'fault' && 'phase' in (record.data as object));
    expect(resets).toHaveLength(3);
    expect(ofKind(await sut.ledger(), 'payment')).toHaveLength(1);
    h.fake.runtime.faults.clear();
    await run.deliverAndSettle();
    const ledger = await sut.ledger();
    expect(stored<Stripe.Charge>(h, 'charge').map((charge) => charge.amount)).toEqual([1000]);
    expect(balance(ledger, 'customer:c_usd:receivable', 'usd')).toBe(0);
    expectMatchesStripe(run, ledger);
  });

  it('a declined card leaves the period receivable, retried every three days by dunning', async () => {
    run = await startReference('byo-stripe');
    const { sut, h } = run;
    await sut.createCustomer({ ...usdCustomer, paymentMethod: 'pm_card_chargeCustomerFail' });
    await run.advance(feb1Plus2h);
    await run.advance('2026-02-04T03:00:00.000Z');
    await run.deliverAndSettle();
    const ledger = await sut.ledger();
    expect(stored<Stripe.PaymentIntent>(h, 'payment_intent').map((intent) => intent.status)).toEqual([
      'requires_payment_method',
      'requires_payment_method',
    ]);
    expect(balance(ledger, 'customer:c_usd:receivable', 'usd')).toBe(1000);
    expect(ofKind(ledger, 'payment')).toEqual([]);
    expectMatchesStripe(run, ledger);
  });
});
