import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeRecords } from '../../src/assertions/records/stripe.ts';
import { reconcile } from '../../src/assertions/reconcile.ts';
import { fakepspMatchers } from '../../src/assertions/vitest.ts';
import { loseDispute, openDispute } from '../../src/fakes/stripe/payment-actions.ts';
import type { Ledger, LedgerTransaction } from '../../src/sut/contract.ts';
import { startStripe, startWebhookReceiver, type StripeHarness } from '../support/stripe-harness.ts';

expect.extend(fakepspMatchers);

// These drive the fake through the official SDK over loopback HTTP only (not the conformance matrix).
let h: StripeHarness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  h = await startStripe(11, 'http');
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

const at = '2026-01-01T00:00:00.000Z';
const cash = (amount: number) => ({ account: 'psp:stripe:cash', amount, currency: 'usd' });
const posting = (account: string, amount: number) => ({ account, amount, currency: 'usd' });

function booked(
  id: string,
  kind: string,
  customerId: string,
  ref: { type: string; id: string },
  amount: number,
) {
  const counter =
    amount > 0
      ? `customer:${customerId}:receivable`
      : kind === 'refund'
        ? 'revenue:refunds'
        : 'disputes:lost';
  const transaction: LedgerTransaction = {
    id,
    at,
    kind,
    customerId,
    ref: { psp: 'stripe', ...ref },
    postings: [cash(amount), posting(counter, -amount)],
  };
  return transaction;
}

describe('reconcile against the real fake Stripe', () => {
  let charges: Stripe.Charge[];
  let refund: Stripe.Refund;
  let dispute: Stripe.Dispute;
  let ledger: Ledger;

  beforeAll(async () => {
    await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    const alice = await h.stripe.customers.create({
      email: 'a@example.com',
      metadata: { fakepsp_customer_id: 'c_alice' },
    });
    const bob = await h.stripe.customers.create({ email: 'b@example.com' });
    charges = [];
    for (const [customer, amount, order] of [
      [alice.id, 3000, 'o_1'],
      [bob.id, 4500, 'o_2'],
    ] as const) {
      const intent = await h.stripe.paymentIntents.create(
        {
          amount,
          currency: 'usd',
          customer,
          payment_method: 'pm_card_visa',
          confirm: true,
          metadata: { order_id: order },
        },
        { idempotencyKey: `pay-${order}` },
      );
      charges.push(await h.stripe.charges.retrieve(intent.latest_charge as string));
    }
    refund = await h.stripe.refunds.create({ charge: charges[0]!.id, amount: 1000 });
    dispute = openDispute(h.fake.runtime, { chargeId: charges[1]!.id });
    dispute = loseDispute(h.fake.runtime, { disputeId: dispute.id });
    await h.fake.flushWebhooks();
    ledger = {
      transactions: [
        {
          id: 't_inv_a',
          at,
          kind: 'invoice',
          customerId: 'c_alice',
          ref: null,
          postings: [posting('customer:c_alice:receivable', 3000), posting('revenue:usage', -3000)],
        },
        {
          id: 't_inv_b',
          at,
          kind: 'invoice',
          customerId: 'c_bob',
          ref: null,
          postings: [posting('customer:c_bob:receivable', 4500), posting('revenue:usage', -4500)],
        },
        booked('t_pay_a', 'payment', 'c_alice', { type: 'charge', id: charges[0]!.id }, 3000),
        booked(
          't_pay_b',
          'payment',
          'c_bob',
          { type: 'payment_intent', id: charges[1]!.payment_intent as string },
          4500,
        ),
        booked('t_ref_a', 'refund', 'c_alice', { type: 'refund', id: refund.id }, -1000),
        booked('t_dp_b', 'dispute', 'c_bob', { type: 'dispute', id: dispute.id }, -4500),
      ],
    };
  });

  it('reads captures, the refund and the lost dispute from the store dump', () => {
    const records = stripeRecords(h.fake.runtime.store.dump());
    expect(records.movements.map((m) => [m.kind, m.objectId, m.amountMinor, m.customerId])).toEqual([
      ['capture', charges[0]!.id, 3000, 'c_alice'],
      ['capture', charges[1]!.id, 4500, null],
      ['refund', refund.id, 1000, 'c_alice'],
      ['dispute_withdrawal', dispute.id, 4500, null],
    ]);
    expect(records.movements[0]!.obligationKeys).toEqual(['idempotency:pay-o_1', 'metadata:order_id=o_1']);
    expect(records.movements[3]!.status).toBe('lost');
  });

  it('a correct ledger reconciles', () => {
    expect({
      ledger,
      psps: [stripeRecords(h.fake.runtime.store.dump())],
      journal: h.sim.journal,
    }).toBeReconciled();
  });

  it('dropping the payment posting names the charge, the customer and the journal lines', () => {
    const dropped = { transactions: ledger.transactions.filter((t) => t.id !== 't_pay_b') };
    const result = reconcile({
      ledger: dropped,
      psps: [stripeRecords(h.fake.runtime.store.dump())],
      journal: h.sim.journal,
    });
    expect(result).toHaveBreakKinds(['missing_in_ledger']);
    const [found] = result.breaks;
    // Bob has no customer metadata: his Stripe customer is mapped through the ledger's other refs.
    expect(found).toMatchObject({ customer: 'c_bob', pspObjects: [{ type: 'charge', id: charges[1]!.id }] });
    const kinds = found!.witness.records.map((r) => r.kind);
    expect(kinds).toContain('request');
    expect(kinds).toContain('response');
    expect(kinds).toContain('webhook_attempt');
    expect(found!.witness.records.find((r) => r.kind === 'request')!.data).toMatchObject({
      method: 'POST',
      path: '/v1/payment_intents',
    });
    expect(found!.explanation).toContain(charges[1]!.id);
    expect(found!.explanation).toContain('45.00 USD');
  });

  it('dropping the dispute posting is a dispute_not_posted', () => {
    const dropped = { transactions: ledger.transactions.filter((t) => t.id !== 't_dp_b') };
    const result = reconcile({
      ledger: dropped,
      psps: [stripeRecords(h.fake.runtime.store.dump())],
      journal: h.sim.journal,
    });
    expect(result).toHaveBreakKinds(['dispute_not_posted']);
    expect(result).toHaveBreak('dispute_not_posted', { pspObject: dispute.id, customer: 'c_bob' });
  });
});
