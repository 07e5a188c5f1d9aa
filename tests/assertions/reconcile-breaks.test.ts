import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/assertions/reconcile.ts';
import { fakepspMatchers } from '../../src/assertions/vitest.ts';
import {
  applicationFeeTxn,
  chargeJournal,
  disputeTxn,
  invoiceTxn,
  movement,
  paymentTxn,
  refundTxn,
  stripe,
  topUpTxn,
  transferTxn,
  txn,
  walletDebitTxn,
} from './builders.ts';

expect.extend(fakepspMatchers);

const charge = movement('capture', 'ch_1', 3000, { requestIds: ['req_1'] });
const cleanLedger = {
  transactions: [invoiceTxn('t_inv', 'c_1', 3000), paymentTxn('t_pay', 'c_1', 'ch_1', 3000)],
};

describe('reconcile: clean runs report nothing', () => {
  it('a charge booked once, with its invoice', () => {
    const result = reconcile({
      ledger: cleanLedger,
      psps: [stripe([charge])],
      journal: chargeJournal('ch_1'),
    });
    expect(result.breaks).toEqual([]);
    expect(result).toBeReconciled();
  });

  it('a charge, a partial refund and a lost dispute, all booked', () => {
    const refund = movement('refund', 're_1', 1000, { parentId: 'ch_1' });
    const dispute = movement('dispute_withdrawal', 'dp_1', 2000, { parentId: 'ch_1', status: 'lost' });
    const ledger = {
      transactions: [
        ...cleanLedger.transactions,
        refundTxn('t_ref', 'c_1', 're_1', 1000),
        disputeTxn('t_dp', 'c_1', 'dp_1', 2000),
      ],
    };
    expect({ ledger, psps: [stripe([charge, refund, dispute])], journal: [] }).toBeReconciled();
  });

  it('a refund that failed later, absent from the ledger altogether, nets to nothing', () => {
    const refund = movement('refund', 're_1', 1000, { parentId: 'ch_1', status: 'failed' });
    const back = movement('refund_reversal', 're_1', 1000, { parentId: 'ch_1', status: 'failed' });
    expect({ ledger: cleanLedger, psps: [stripe([charge, refund, back])] }).toBeReconciled();
  });
});

describe('reconcile: each break kind', () => {
  it('missing_in_ledger: a capture nobody booked names the charge, request and acknowledged webhook', () => {
    const ledger = { transactions: [invoiceTxn('t_inv', 'c_1', 3000)] };
    const result = reconcile({ ledger, psps: [stripe([charge])], journal: chargeJournal('ch_1') });
    expect(result).toHaveBreakKinds(['missing_in_ledger']);
    const [found] = result.breaks;
    expect(found).toMatchObject({
      customer: 'c_1',
      pspObjects: [{ id: 'ch_1', type: 'charge' }],
      expected: { amountMinor: 3000, currency: 'usd' },
      actual: { amountMinor: 0, currency: 'usd' },
    });
    // note (#1) and clock (#5) are not evidence; request, event, response and the 200 are.
    expect(found!.witness.seqs).toEqual([2, 3, 4, 6]);
    expect(found!.explanation).toContain('30.00 USD');
    expect(found!.explanation).toContain('acknowledged the charge.succeeded webhook');
  });

  it('phantom_in_ledger: cash booked against a charge Stripe never made', () => {
    const ledger = {
      transactions: [...cleanLedger.transactions, paymentTxn('t_ghost', 'c_1', 'ch_ghost', 500)],
    };
    const result = reconcile({ ledger, psps: [stripe([charge])] });
    expect(result).toHaveBreakKinds(['phantom_in_ledger']);
    expect(result).toHaveBreak('phantom_in_ledger', { pspObject: 'ch_ghost', ledgerTransaction: 't_ghost' });
  });

  it('phantom_in_ledger: cash with no PSP reference at all', () => {
    const cash = txn('t_cash', 'payment', 'c_1', null, [
      ['psp:stripe:cash', 700],
      ['revenue:misc', -700],
    ]);
    const result = reconcile({
      ledger: { transactions: [...cleanLedger.transactions, cash] },
      psps: [stripe([charge])],
    });
    expect(result).toHaveBreakKinds(['phantom_in_ledger']);
  });

  it('duplicate_posting: one charge booked twice', () => {
    const ledger = { transactions: [...cleanLedger.transactions, paymentTxn('t_pay2', 'c_1', 'ch_1', 3000)] };
    const result = reconcile({ ledger, psps: [stripe([charge])] });
    expect(result).toHaveBreakKinds(['duplicate_posting']);
    expect(result.breaks[0]!.ledgerTransactions).toEqual(['t_pay', 't_pay2']);
  });

  it('duplicate_posting: the same transaction id exported twice', () => {
    const ledger = { transactions: [...cleanLedger.transactions, cleanLedger.transactions[1]!] };
    expect(reconcile({ ledger, psps: [stripe([charge])] })).toHaveBreakKinds(['duplicate_posting']);
  });

  it('amount_mismatch: the ledger books less than was captured', () => {
    const ledger = {
      transactions: [invoiceTxn('t_inv', 'c_1', 3000), paymentTxn('t_pay', 'c_1', 'ch_1', 2900)],
    };
    const result = reconcile({ ledger, psps: [stripe([charge])] });
    expect(result).toHaveBreakKinds(['amount_mismatch']);
    expect(result.breaks[0]).toMatchObject({
      expected: { amountMinor: 3000 },
      actual: { amountMinor: 2900 },
    });
  });

  it('amount_mismatch: fees booked beside the cash are part of the gross, not a mismatch', () => {
    const withFee = txn('t_pay', 'payment', 'c_1', { type: 'charge', id: 'ch_1' }, [
      ['psp:stripe:cash', 2883],
      ['fees:stripe', 117],
      ['customer:c_1:receivable', -3000],
    ]);
    const ledger = { transactions: [invoiceTxn('t_inv', 'c_1', 3000), withFee] };
    expect(reconcile({ ledger, psps: [stripe([charge])] })).toBeReconciled();
  });

  it('currency_mismatch: right number, wrong currency', () => {
    const ledger = {
      transactions: [
        invoiceTxn('t_inv', 'c_1', 3000, 'eur'),
        paymentTxn('t_pay', 'c_1', 'ch_1', 3000, 'eur'),
      ],
    };
    expect(reconcile({ ledger, psps: [stripe([charge])] })).toHaveBreakKinds(['currency_mismatch']);
  });

  it('destination_mismatch: a transfer booked to another connected account names both and the transfer', () => {
    const connect = { parentId: 'ch_1', destination: 'acct_A', requestIds: ['req_1'] };
    const transfer = movement('transfer', 'tr_1', 3000, connect);
    const fee = movement('application_fee', 'fee_1', 300, connect);
    const ledger = {
      transactions: [
        ...cleanLedger.transactions,
        transferTxn('t_tr', 'c_1', 'tr_1', 'acct_B', 3000),
        applicationFeeTxn('t_fee', 'c_1', 'fee_1', 'acct_A', 300),
      ],
    };
    const result = reconcile({
      ledger,
      psps: [stripe([charge, transfer, fee])],
      journal: chargeJournal('ch_1'),
    });
    expect(result).toHaveBreakKinds(['destination_mismatch']);
    expect(result).toHaveBreak('destination_mismatch', { pspObject: 'tr_1', ledgerTransaction: 't_tr' });
    const [found] = result.breaks;
    expect(found).toMatchObject({
      customer: 'c_1',
      pspObjects: [
        { id: 'tr_1', type: 'transfer' },
        { id: 'ch_1', type: 'charge' },
      ],
      ledgerTransactions: ['t_tr'],
      expected: { amountMinor: 3000, currency: 'usd' },
      actual: { amountMinor: 0, currency: 'usd' },
    });
    expect(found!.witness.seqs).toEqual([2, 4]);
    for (const part of ['acct_A', 'psp:stripe:connect:acct_B', 'tr_1', 'customer c_1', 't_tr', '#2, #4']) {
      expect(found!.explanation).toContain(part);
    }
  });

  it('status_mismatch: the ledger says paid, the charge failed', () => {
    const records = stripe(
      [],
      [
        {
          psp: 'stripe',
          objectId: 'ch_1',
          objectType: 'charge',
          status: 'failed',
          pspCustomerId: null,
          customerId: 'c_1',
          amountMinor: 3000,
          currency: 'usd',
          parentId: null,
        },
      ],
    );
    const result = reconcile({ ledger: cleanLedger, psps: [records] });
    expect(result).toHaveBreakKinds(['status_mismatch']);
    expect(result.breaks[0]!.explanation).toContain("is 'failed'");
  });

  it('status_mismatch: the ledger still says refunded after the refund failed', () => {
    const refund = movement('refund', 're_1', 1000, { parentId: 'ch_1', status: 'failed' });
    const back = movement('refund_reversal', 're_1', 1000, { parentId: 'ch_1', status: 'failed' });
    const ledger = { transactions: [...cleanLedger.transactions, refundTxn('t_ref', 'c_1', 're_1', 1000)] };
    const result = reconcile({ ledger, psps: [stripe([charge, refund, back])] });
    expect(result).toHaveBreakKinds(['status_mismatch']);
    expect(result).toHaveBreak('status_mismatch', { pspObject: 're_1' });
  });

  it('double_charge: two live captures for one order id', () => {
    const keys = ['metadata:order_id=o_1'];
    const first = movement('capture', 'ch_1', 3000, { obligationKeys: keys });
    const second = movement('capture', 'ch_2', 3000, {
      obligationKeys: keys,
      at: '2026-01-02T00:01:00.000Z',
    });
    const ledger = { transactions: [...cleanLedger.transactions, paymentTxn('t_pay2', 'c_1', 'ch_2', 3000)] };
    const result = reconcile({ ledger, psps: [stripe([first, second])] });
    expect(result).toHaveBreakKinds(['double_charge']);
    expect(result.breaks[0]).toMatchObject({
      expected: { amountMinor: 3000 },
      actual: { amountMinor: 6000 },
    });
    expect(result.breaks[0]!.pspObjects.map((o) => o.id)).toEqual(['ch_1', 'ch_2']);
  });

  it('double_charge: a duplicate refunded in full is fixed, not a break', () => {
    const keys = ['idempotency:k1'];
    const first = movement('capture', 'ch_1', 3000, { obligationKeys: keys });
    const second = movement('capture', 'ch_2', 3000, { obligationKeys: keys });
    const undo = movement('refund', 're_2', 3000, { parentId: 'ch_2' });
    const ledger = {
      transactions: [
        ...cleanLedger.transactions,
        paymentTxn('t_pay2', 'c_1', 'ch_2', 3000),
        refundTxn('t_ref2', 'c_1', 're_2', 3000),
      ],
    };
    expect(reconcile({ ledger, psps: [stripe([first, second, undo])] })).toBeReconciled();
  });

  it('double_charge: by totals, captured more than was ever billed', () => {
    const second = movement('capture', 'ch_2', 3000);
    const ledger = { transactions: [...cleanLedger.transactions, paymentTxn('t_pay2', 'c_1', 'ch_2', 3000)] };
    const result = reconcile({ ledger, psps: [stripe([charge, second])] });
    expect(result).toHaveBreakKinds(['double_charge']);
    expect(result.breaks[0]).toMatchObject({
      expected: { amountMinor: 3000 },
      actual: { amountMinor: 6000 },
    });
  });

  it('unbalanced_transaction: postings that do not sum to zero', () => {
    const lopsided = txn('t_bad', 'invoice', 'c_1', null, [
      ['customer:c_1:receivable', 100],
      ['revenue:usage', -90],
    ]);
    const result = reconcile({
      ledger: { transactions: [...cleanLedger.transactions, lopsided] },
      psps: [stripe([charge])],
    });
    expect(result).toHaveBreakKinds(['unbalanced_transaction']);
    expect(result.breaks[0]).toMatchObject({ actual: { amountMinor: 10 }, ledgerTransactions: ['t_bad'] });
  });

  it('cash_mismatch: the payment is booked to the wrong customer', () => {
    const ledger = {
      transactions: [invoiceTxn('t_inv', 'c_2', 3000), paymentTxn('t_pay', 'c_2', 'ch_1', 3000)],
    };
    const result = reconcile({ ledger, psps: [stripe([charge])] });
    expect(result).toHaveBreakKinds(['cash_mismatch']);
    expect(result.breaks.map((b) => b.customer).sort()).toEqual(['c_1', 'c_2']);
  });

  it('usage_not_conserved: a repeated event billed twice; dedup is what counts', () => {
    const usage = {
      accepted: [
        { customerId: 'c_1', meter: 'api_calls', eventId: 'u_1', quantity: 5 },
        { customerId: 'c_1', meter: 'api_calls', eventId: 'u_1', quantity: 5 },
        { customerId: 'c_1', meter: 'api_calls', eventId: 'u_2', quantity: 2 },
      ],
      billed: [{ customerId: 'c_1', meter: 'api_calls', quantity: 12 }],
    };
    const customers = [
      {
        customerId: 'c_1',
        email: 'a@example.com',
        name: 'A',
        currency: 'usd',
        psp: 'stripe' as const,
        paymentMethod: 'pm_card_visa',
        plan: { baseFeeMinor: 0, unitPricesMinor: { api_calls: 25 }, interval: 'month' as const },
      },
    ];
    const result = reconcile({ ledger: cleanLedger, psps: [stripe([charge])], usage, customers });
    expect(result).toHaveBreakKinds(['usage_not_conserved']);
    expect(result.breaks[0]).toMatchObject({
      quantities: { meter: 'api_calls', expected: 7, actual: 12, eventIds: ['u_1'] },
      expected: { amountMinor: 175 },
      actual: { amountMinor: 300 },
    });
    const conserved = { ...usage, billed: [{ customerId: 'c_1', meter: 'api_calls', quantity: 7 }] };
    expect(reconcile({ ledger: cleanLedger, psps: [stripe([charge])], usage: conserved })).toBeReconciled();
  });

  it('billed_beyond_plan: a ledger that faithfully books a charge ×100 still charged more than the plan owes', () => {
    const customers = [
      {
        customerId: 'c_1',
        email: 'a@example.com',
        name: 'A',
        currency: 'jpy',
        psp: 'stripe' as const,
        paymentMethod: 'pm_card_visa',
        plan: { baseFeeMinor: 500, unitPricesMinor: { tokens: 3 }, interval: 'month' as const },
      },
    ];
    const usage = {
      accepted: [
        { customerId: 'c_1', meter: 'tokens', eventId: 'u_1', quantity: 42 },
        { customerId: 'c_1', meter: 'tokens', eventId: 'u_1', quantity: 42 },
      ],
      billed: [],
      mode: 'no-overbilling' as const,
    };
    const plans = {
      since: { c_1: '2026-01-01T00:00:00.000Z' },
      until: '2026-02-01T02:00:00.000Z',
      topUps: [],
    };
    const run = (amount: number) => {
      const paid = movement('capture', 'ch_jpy', amount, { currency: 'jpy' });
      const ledger = {
        transactions: [
          invoiceTxn('t_inv', 'c_1', amount, 'jpy'),
          paymentTxn('t_pay', 'c_1', 'ch_jpy', amount, 'jpy'),
        ],
      };
      return reconcile({ ledger, psps: [stripe([paid])], customers, usage, plans });
    };
    // Two periods begun (Jan 1, Feb 1): ¥1,000 of base fees, 42 distinct tokens at ¥3.
    expect(run(1126)).toBeReconciled();
    const result = run(62_600);
    expect(result).toHaveBreakKinds(['billed_beyond_plan']);
    expect(result.breaks[0]).toMatchObject({
      customer: 'c_1',
      expected: { amountMinor: 1126 },
      actual: { amountMinor: 62_600 },
      ledgerTransactions: ['t_pay'],
    });
    expect(result.breaks[0]!.explanation).toContain('2 period(s) begun');
  });

  it('billed_beyond_plan counts the first copy of a repeated event, as usage conservation does', () => {
    const customers = [
      {
        customerId: 'c_1',
        email: 'a@example.com',
        name: 'A',
        currency: 'usd',
        psp: 'stripe' as const,
        paymentMethod: 'pm_card_visa',
        plan: { baseFeeMinor: 0, unitPricesMinor: { tokens: 10 }, interval: 'month' as const },
      },
    ];
    // The same event sent again with another quantity: a retry, not a correction.
    const accepted = [
      { customerId: 'c_1', meter: 'tokens', eventId: 'u_1', quantity: 50 },
      { customerId: 'c_1', meter: 'tokens', eventId: 'u_1', quantity: 20 },
    ];
    const plans = {
      since: { c_1: '2026-01-01T00:00:00.000Z' },
      until: '2026-01-20T00:00:00.000Z',
      topUps: [],
    };
    const run = (amount: number) => {
      const paid = movement('capture', 'ch_1', amount);
      const ledger = {
        transactions: [
          invoiceTxn('t_inv', 'c_1', amount, 'usd'),
          paymentTxn('t_pay', 'c_1', 'ch_1', amount, 'usd'),
        ],
      };
      const usage = {
        accepted,
        billed: [{ customerId: 'c_1', meter: 'tokens', quantity: 50 }],
        mode: 'no-overbilling' as const,
      };
      return reconcile({ ledger, psps: [stripe([paid])], customers, usage, plans });
    };
    expect(run(500)).toBeReconciled();
    expect(run(510)).toHaveBreakKinds(['billed_beyond_plan']);
  });

  it('wallet_negative: usage served beyond the top-up', () => {
    const top = movement('capture', 'ch_top', 500);
    const ledger = {
      transactions: [topUpTxn('t_top', 'c_1', 'ch_top', 500), walletDebitTxn('t_use', 'c_1', 800)],
    };
    const result = reconcile({ ledger, psps: [stripe([top])] });
    expect(result).toHaveBreakKinds(['wallet_negative']);
    expect(result.breaks[0]).toMatchObject({ actual: { amountMinor: -300 }, ledgerTransactions: ['t_use'] });
    expect(reconcile({ ledger, psps: [stripe([top])], walletFloorsMinor: { c_1: -1000 } })).toBeReconciled();
  });

  it('wallet_mismatch: a wallet credited without PSP money behind it', () => {
    const top = movement('capture', 'ch_top', 500);
    const gift = txn('t_gift', 'credit', 'c_1', null, [
      ['customer:c_1:wallet', -200],
      ['revenue:promo', 200],
    ]);
    const ledger = { transactions: [topUpTxn('t_top', 'c_1', 'ch_top', 500), gift] };
    const result = reconcile({ ledger, psps: [stripe([top])] });
    expect(result).toHaveBreakKinds(['wallet_mismatch']);
    expect(result.breaks[0]).toMatchObject({ expected: { amountMinor: 500 }, actual: { amountMinor: 700 } });
  });

  it('refund_not_posted: a dashboard refund the ledger never saw', () => {
    const refund = movement('refund', 're_1', 1000, { parentId: 'ch_1' });
    const result = reconcile({ ledger: cleanLedger, psps: [stripe([charge, refund])] });
    expect(result).toHaveBreakKinds(['refund_not_posted']);
    expect(result.breaks[0]!.pspObjects.map((o) => o.id)).toEqual(['re_1', 'ch_1']);
  });

  it('dispute_not_posted: a lost dispute the ledger never saw', () => {
    const dispute = movement('dispute_withdrawal', 'dp_1', 3000, { parentId: 'ch_1', status: 'lost' });
    expect(reconcile({ ledger: cleanLedger, psps: [stripe([charge, dispute])] })).toHaveBreakKinds([
      'dispute_not_posted',
    ]);
  });

  it('bad_signature_accepted: a forged webhook answered 200', () => {
    const journal = chargeJournal('ch_1', { fault: 'bad_signature', status: 200 });
    const result = reconcile({ ledger: cleanLedger, psps: [stripe([charge])], journal });
    expect(result).toHaveBreakKinds(['bad_signature_accepted']);
    expect(result.breaks[0]).toMatchObject({ customer: 'c_1', witness: { seqs: [3, 6, 7] } });
    const rejected = chargeJournal('ch_1', { fault: 'stale_timestamp', status: 400 });
    expect({ ledger: cleanLedger, psps: [stripe([charge])], journal: rejected }).toBeReconciled();
  });
});

describe('toBeReconciled', () => {
  it('fails with the break report as its message', () => {
    const run = { ledger: { transactions: [invoiceTxn('t_inv', 'c_1', 3000)] }, psps: [stripe([charge])] };
    expect(() => expect(run).toBeReconciled()).toThrow(/missing_in_ledger[\s\S]*ch_1[\s\S]*30\.00 USD/);
  });
});
