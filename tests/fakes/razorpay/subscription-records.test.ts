import { describe, expect, it } from 'vitest';
import { razorpayRecords } from '../../../src/assertions/records/razorpay.ts';
import { reconcile } from '../../../src/assertions/reconcile.ts';
import type { LedgerTransaction } from '../../../src/sut/contract.ts';
import { directRazorpay } from './direct.ts';

const dayMs = 86_400_000;

/** A subscription billed twice (the second invoice with an add-on), tagged only in its notes. */
async function billedSubscription() {
  const r = directRazorpay(11);
  const plan = (
    await r.call('POST', '/v1/plans', {
      period: 'monthly',
      interval: 1,
      item: { name: 'Base', amount: 49_900, currency: 'INR' },
    })
  ).body;
  const subscription = (
    await r.call('POST', '/v1/subscriptions', {
      plan_id: plan.id,
      total_count: 12,
      notes: { fakepsp_customer_id: 'c_1' },
    })
  ).body;
  r.act('authenticate_subscription', { subscription_id: subscription.id, email: 'a@example.com' });
  await r.call('POST', `/v1/subscriptions/${subscription.id}/addons`, {
    item: { name: 'tokens', amount: 2, currency: 'INR' },
    quantity: 300,
  });
  r.sim.clock.advanceBy(31 * dayMs);
  const invoices = r.dump().invoices.map((record) => record.invoice);
  return { r, subscription, invoices };
}

describe('razorpayRecords of Razorpay Subscriptions', () => {
  it('a subscription charge is a capture named by its order and invoice, owned through the subscription', async () => {
    const { r, subscription, invoices } = await billedSubscription();
    const records = razorpayRecords(r.dump());
    const captures = records.movements.filter((movement) => movement.kind === 'capture');
    expect(captures.map((movement) => movement.amountMinor)).toEqual([49_900, 50_500]);
    expect(captures[1]).toMatchObject({
      customerId: 'c_1',
      aliases: [invoices[1]!.order_id, invoices[1]!.id],
      obligationKeys: [`invoice:${invoices[1]!.id}`],
    });
    expect(records.objects.filter((object) => object.objectType === 'invoice')).toEqual(
      invoices.map((invoice) =>
        expect.objectContaining({
          objectId: invoice.id,
          status: 'paid',
          customerId: 'c_1',
          amountMinor: invoice.amount,
          parentId: subscription.id,
        }),
      ),
    );
    expect(records.objects.find((object) => object.objectType === 'subscription')).toMatchObject({
      objectId: subscription.id,
      status: 'active',
      customerId: 'c_1',
      currency: 'inr',
    });
  });

  it('a ledger that books each invoice and its payment reconciles; one naming no invoice is a phantom', async () => {
    const { r, invoices } = await billedSubscription();
    const records = razorpayRecords(r.dump());
    const transactions: LedgerTransaction[] = invoices.flatMap((invoice, index) => [
      {
        id: `inv_${index}`,
        at: '2026-02-01T00:00:00.000Z',
        kind: 'invoice',
        customerId: 'c_1',
        ref: { psp: 'razorpay', type: 'invoice', id: invoice.id },
        postings: [
          { account: 'customer:c_1:receivable', amount: invoice.amount, currency: 'inr' },
          { account: 'revenue:subscription', amount: -invoice.amount, currency: 'inr' },
        ],
      },
      {
        id: `pay_${index}`,
        at: '2026-02-01T00:00:00.000Z',
        kind: 'payment',
        customerId: 'c_1',
        ref: { psp: 'razorpay', type: 'payment', id: invoice.payment_id! },
        postings: [
          { account: 'psp:razorpay:cash', amount: invoice.amount, currency: 'inr' },
          { account: 'customer:c_1:receivable', amount: -invoice.amount, currency: 'inr' },
        ],
      },
    ]);
    expect(reconcile({ ledger: { transactions }, psps: [records] }).breaks).toEqual([]);
    const phantom = reconcile({
      ledger: {
        transactions: [
          ...transactions,
          {
            ...transactions[0]!,
            id: 'ghost',
            ref: { psp: 'razorpay', type: 'invoice', id: 'inv_Nothing0000000' },
          },
        ],
      },
      psps: [records],
    });
    expect(phantom.breaks.map((found) => found.kind)).toEqual(['phantom_in_ledger']);
  });
});
