import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/assertions/reconcile.ts';
import { fakepspMatchers } from '../../src/assertions/vitest.ts';
import { applicationFeeTxn, invoiceTxn, movement, paymentTxn, stripe, transferTxn, txn } from './builders.ts';

expect.extend(fakepspMatchers);

// A destination charge: ch_1 captured on the platform, tr_1 sends it on to acct_A, fee_1 comes back.
const connect = { parentId: 'ch_1', destination: 'acct_A' };
const charge = movement('capture', 'ch_1', 3000);
const transfer = movement('transfer', 'tr_1', 3000, connect);
const fee = movement('application_fee', 'fee_1', 300, connect);
const booked = {
  invoice: invoiceTxn('t_inv', 'c_1', 3000),
  payment: paymentTxn('t_pay', 'c_1', 'ch_1', 3000),
  transfer: transferTxn('t_tr', 'c_1', 'tr_1', 'acct_A', 3000),
  fee: applicationFeeTxn('t_fee', 'c_1', 'fee_1', 'acct_A', 300),
};
const ledgerOf = (...transactions: Array<(typeof booked)[keyof typeof booked]>) => ({ transactions });

describe('reconcile: Connect transfers and application fees', () => {
  it('a destination charge booked with its transfer and fee reconciles', () => {
    const ledger = ledgerOf(booked.invoice, booked.payment, booked.transfer, booked.fee);
    const result = reconcile({ ledger, psps: [stripe([charge, transfer, fee])] });
    expect(result.breaks).toEqual([]);
  });

  it('a transfer nobody booked is missing_in_ledger, and so is a fee', () => {
    const psps = [stripe([charge, transfer, fee])];
    const noTransfer = reconcile({ ledger: ledgerOf(booked.invoice, booked.payment, booked.fee), psps });
    expect(noTransfer).toHaveBreakKinds(['missing_in_ledger']);
    expect(noTransfer).toHaveBreak('missing_in_ledger', { pspObject: 'tr_1', customer: 'c_1' });
    expect(noTransfer.breaks[0]!.expected).toMatchObject({ amountMinor: -3000 });
    const noFee = reconcile({ ledger: ledgerOf(booked.invoice, booked.payment, booked.transfer), psps });
    expect(noFee).toHaveBreakKinds(['missing_in_ledger']);
    expect(noFee).toHaveBreak('missing_in_ledger', { pspObject: 'fee_1' });
    expect(noFee.breaks[0]!.explanation).toContain('application fee fee_1');
  });

  it('a fee taken from another connected account in the books is a destination_mismatch', () => {
    const wrongFee = applicationFeeTxn('t_fee', 'c_1', 'fee_1', 'acct_B', 300);
    const ledger = ledgerOf(booked.invoice, booked.payment, booked.transfer, wrongFee);
    const result = reconcile({ ledger, psps: [stripe([charge, transfer, fee])] });
    expect(result).toHaveBreakKinds(['destination_mismatch']);
    expect(result).toHaveBreak('destination_mismatch', { pspObject: 'fee_1', ledgerTransaction: 't_fee' });
    expect(result.breaks[0]).toMatchObject({ expected: { amountMinor: -300 }, actual: { amountMinor: 0 } });
  });

  it('a transfer booked without any Connect leg says nothing about the account and is not judged', () => {
    const payout = txn('t_tr', 'transfer', 'c_1', { type: 'transfer', id: 'tr_1' }, [
      ['payable:tenants', 3000],
      ['psp:stripe:cash', -3000],
    ]);
    const ledger = ledgerOf(booked.invoice, booked.payment, payout, booked.fee);
    expect(reconcile({ ledger, psps: [stripe([charge, transfer, fee])] }).breaks).toEqual([]);
  });

  it('transfers are not refunds: a second charge for one order, both sent on in full, is a double_charge', () => {
    const keys = ['metadata:order_id=o_1'];
    const psps = [
      stripe([
        movement('capture', 'ch_1', 3000, { obligationKeys: keys }),
        movement('capture', 'ch_2', 3000, { obligationKeys: keys, at: '2026-01-02T00:01:00.000Z' }),
        transfer,
        movement('transfer', 'tr_2', 3000, { parentId: 'ch_2', destination: 'acct_A' }),
      ]),
    ];
    const ledger = ledgerOf(
      booked.invoice,
      booked.payment,
      booked.transfer,
      paymentTxn('t_pay2', 'c_1', 'ch_2', 3000),
      transferTxn('t_tr2', 'c_1', 'tr_2', 'acct_A', 3000),
    );
    const result = reconcile({ ledger, psps });
    expect(result).toHaveBreakKinds(['double_charge']);
    expect(result.breaks[0]!.pspObjects.map((o) => o.id)).toEqual(['ch_1', 'ch_2']);
  });

  it('a full refund booked against its charge id is not mistaken for the same-sized transfer', () => {
    const refund = movement('refund', 're_1', 3000, { parentId: 'ch_1' });
    const refundByCharge = txn('t_ref', 'refund', 'c_1', { type: 'charge', id: 'ch_1' }, [
      ['psp:stripe:cash', -3000],
      ['revenue:refunds', 3000],
    ]);
    const ledger = ledgerOf(booked.invoice, booked.payment, refundByCharge, booked.transfer, booked.fee);
    expect(reconcile({ ledger, psps: [stripe([charge, transfer, fee, refund])] }).breaks).toEqual([]);
  });

  it('a transfer booked against its charge id, with its Connect leg, is matched through the charge', () => {
    const byCharge = { ...booked.transfer, ref: { psp: 'stripe' as const, type: 'charge', id: 'ch_1' } };
    const ledger = ledgerOf(booked.invoice, booked.payment, byCharge, booked.fee);
    expect(reconcile({ ledger, psps: [stripe([charge, transfer, fee])] }).breaks).toEqual([]);
  });
});
