import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/assertions/reconcile.ts';
import { parseLedger } from '../../src/sut/ledger-schema.ts';

const accepted = [
  { customerId: 'c_1', meter: 'tokens', eventId: 'e1', quantity: 10 },
  { customerId: 'c_1', meter: 'tokens', eventId: 'e2', quantity: 5 },
];
const kinds = (billed: number, mode?: 'exact' | 'no-overbilling') =>
  reconcile({
    ledger: { transactions: [] },
    psps: [],
    usage: {
      accepted,
      billed: [{ customerId: 'c_1', meter: 'tokens', quantity: billed }],
      ...(mode === undefined ? {} : { mode }),
    },
  }).breaks.map((found) => found.kind);

describe('usage conservation modes', () => {
  it('exact (default): any difference between billed and accepted is a break', () => {
    expect(kinds(15)).toEqual([]);
    expect(kinds(10)).toEqual(['usage_not_conserved']);
    expect(kinds(20)).toEqual(['usage_not_conserved']);
  });

  it('no-overbilling: usage not billed yet is fine, billing more than was accepted is a break', () => {
    expect(kinds(10, 'no-overbilling')).toEqual([]);
    expect(kinds(15, 'no-overbilling')).toEqual([]);
    expect(kinds(16, 'no-overbilling')).toEqual(['usage_not_conserved']);
  });
});

describe('usage lines in the ledger export', () => {
  const transaction = {
    id: 't_1',
    at: '2026-02-01T00:00:00.000Z',
    kind: 'invoice',
    customerId: 'c_1',
    ref: null,
    postings: [
      { account: 'customer:c_1:receivable', amount: 30, currency: 'usd' },
      { account: 'revenue:usage', amount: -30, currency: 'usd' },
    ],
  };

  it('are optional, and validated when present', () => {
    expect(parseLedger({ transactions: [transaction] }).ok).toBe(true);
    expect(
      parseLedger({ transactions: [{ ...transaction, usage: [{ meter: 'tokens', quantity: 15 }] }] }).ok,
    ).toBe(true);
    const bad = parseLedger({
      transactions: [{ ...transaction, usage: [{ meter: 'tokens', quantity: 1.5 }] }],
    });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.problems[0]).toContain('transactions[0] (id t_1).usage[0].quantity');
  });
});
