import { describe, expect, it } from 'vitest';
import { adyenRecords } from '../../../src/assertions/records/adyen.ts';
import { reconcile } from '../../../src/assertions/reconcile.ts';
import type { LedgerTransaction } from '../../../src/sut/contract.ts';
import { cardBody, directAdyen, merchantAccount } from './direct.ts';

const eur = (value: number) => ({ value, currency: 'EUR' });

/** A small run: one auto-captured payment, one captured in two parts, refunds, a chargeback, failures. */
async function scenario() {
  const adyen = directAdyen(7);
  const post = async (path: string, body: unknown, key?: string) =>
    (await adyen.call('POST', `/v72${path}`, body, key === undefined ? {} : { 'idempotency-key': key })).body;
  const auto = await post(
    '/payments',
    cardBody({ reference: 'inv-1', shopperReference: 'cust_a', metadata: { obligation_id: 'ob-1' } }),
    'pay-1',
  );
  const manual = await post(
    '/payments',
    cardBody({ reference: 'inv-2', shopperReference: 'cust_b', additionalData: { manualCapture: 'true' } }),
  );
  const autoPsp = String(auto.pspReference);
  const manualPsp = String(manual.pspReference);
  const cap1 = await post(`/payments/${manualPsp}/captures`, { merchantAccount, amount: eur(400) }, 'cap-1');
  const cap2 = await post(`/payments/${manualPsp}/captures`, { merchantAccount, amount: eur(600) }, 'cap-2');
  const refund = await post(`/payments/${autoPsp}/refunds`, {
    merchantAccount,
    amount: eur(300),
    reference: 'rf-1',
  });
  adyen.fake.actions.fail_next_refund!({ pspReference: autoPsp });
  const failedRefund = await post(`/payments/${autoPsp}/refunds`, { merchantAccount, amount: eur(100) });
  const refused = await post(
    '/payments',
    cardBody({ reference: 'inv-3', shopperReference: 'cust_a' }, 'DECLINED'),
  );
  const dispute = adyen.fake.actions.chargeback!({ pspReference: autoPsp, amount: 200 }).body as {
    pspReference: string;
  };
  adyen.fake.actions.chargeback_reversed!({ pspReference: dispute.pspReference });
  adyen.fake.actions.capture_failed!({ pspReference: manualPsp });
  return { adyen, autoPsp, manualPsp, cap1, cap2, refund, failedRefund, refused, dispute };
}

describe('adyenRecords', () => {
  it('turns the dump into movements, objects and customers', async () => {
    const run = await scenario();
    const records = adyenRecords(run.adyen.fake.dump());
    const movements = records.movements.map((m) => [
      m.kind,
      m.objectType,
      m.objectId,
      m.parentId,
      m.amountMinor,
    ]);
    expect(movements).toEqual([
      ['capture', 'payment', run.autoPsp, null, 1000],
      ['capture', 'capture', run.cap1.pspReference, run.manualPsp, 400],
      ['capture', 'capture', run.cap2.pspReference, run.manualPsp, 600],
      ['refund', 'refund', run.refund.pspReference, run.autoPsp, 300],
      ['capture_reversal', 'capture_failed', run.cap2.pspReference, run.manualPsp, 600],
      ['dispute_withdrawal', 'chargeback', run.dispute.pspReference, run.autoPsp, 200],
      ['dispute_reinstatement', 'chargeback', run.dispute.pspReference, run.autoPsp, 200],
    ]);
    const [auto, first, second] = records.movements;
    expect(auto).toMatchObject({
      psp: 'adyen',
      customerId: 'cust_a',
      pspCustomerId: 'cust_a',
      currency: 'eur',
      account: merchantAccount,
      aliases: ['inv-1'],
      obligationKeys: ['idempotency:pay-1', 'metadata:obligation_id=ob-1', 'reference:inv-1'],
      requestIds: [run.autoPsp],
    });
    expect(auto!.eventIds).toEqual([`${run.autoPsp}:AUTHORISATION:true`]);
    // Only a payment's first capture carries what the payment was for: partial captures are no double charge.
    expect(first!.obligationKeys).toEqual(['idempotency:cap-1', 'reference:inv-2']);
    expect(second!.obligationKeys).toEqual(['idempotency:cap-2']);
    expect(first!.aliases).toEqual([run.manualPsp, 'inv-2']);
    expect(first!.eventIds).toEqual([`${String(run.cap1.pspReference)}:CAPTURE:true`]);
    const objects = records.objects.map((o) => [o.objectType, o.objectId, o.status]);
    expect(objects).toEqual([
      ['payment', run.manualPsp, 'authorised'],
      ['payment', run.refused.pspReference, 'refused'],
      ['refund', run.failedRefund.pspReference, 'failed'],
    ]);
    expect(records.customers.map((c) => c.customerId)).toEqual(['cust_a', 'cust_b']);
  });

  it('lets the checker reconcile a correct ledger, and name what a ledger forgot', async () => {
    const run = await scenario();
    const records = adyenRecords(run.adyen.fake.dump());
    const ledger: LedgerTransaction[] = records.movements.map((movement, index) => {
      const sign = ['capture', 'dispute_reinstatement'].includes(movement.kind) ? 1 : -1;
      return {
        id: `t${index}`,
        at: movement.at,
        kind: movement.kind,
        customerId: movement.customerId!,
        ref: { psp: 'adyen', type: movement.objectType, id: movement.objectId },
        postings: [
          { account: 'psp:adyen:cash', amount: sign * movement.amountMinor, currency: 'eur' },
          { account: 'revenue:sales', amount: -sign * movement.amountMinor, currency: 'eur' },
        ],
      };
    });
    const journal = run.adyen.sim.journal;
    expect(reconcile({ ledger: { transactions: ledger }, psps: [records], journal }).breaks).toEqual([]);
    const withoutRefund = ledger.filter((txn) => txn.ref?.id !== run.refund.pspReference);
    const result = reconcile({ ledger: { transactions: withoutRefund }, psps: [records], journal });
    expect(result.breaks.map((b) => b.kind)).toContain('refund_not_posted');
  });

  it('sees two payments for one merchant reference as a double charge', async () => {
    const adyen = directAdyen(3);
    await adyen.call('POST', '/v72/payments', cardBody({ reference: 'inv-9', shopperReference: 'cust_z' }));
    await adyen.call('POST', '/v72/payments', cardBody({ reference: 'inv-9', shopperReference: 'cust_z' }));
    const records = adyenRecords(adyen.fake.dump());
    const result = reconcile({ ledger: { transactions: [] }, psps: [records], journal: adyen.sim.journal });
    expect(result.breaks.map((b) => b.kind)).toContain('double_charge');
  });
});
