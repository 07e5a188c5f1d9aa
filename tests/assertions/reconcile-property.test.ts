import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BreakKind } from '../../src/assertions/breaks.ts';
import type { MoneyMovement } from '../../src/assertions/psp-records.ts';
import { reconcile } from '../../src/assertions/reconcile.ts';
import type { Ledger, LedgerTransaction } from '../../src/sut/contract.ts';
import {
  applicationFeeTxn,
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

interface ChargeSpec {
  customer: number;
  currency: 'usd' | 'eur' | 'jpy';
  amount: number;
  topUp: boolean;
  refundPart: number | null;
  refundFails: boolean;
  dispute: 'none' | 'lost' | 'won';
  spendPart: number;
  /** A destination charge: sent on to the customer's connected account, keeping a 10% fee. */
  connect: boolean;
}

const chargeSpec = fc.record({
  customer: fc.integer({ min: 1, max: 3 }),
  currency: fc.constantFrom('usd' as const, 'eur' as const, 'jpy' as const),
  amount: fc.integer({ min: 100, max: 1_000_000 }),
  topUp: fc.boolean(),
  refundPart: fc.option(fc.integer({ min: 1, max: 100 })),
  refundFails: fc.boolean(),
  dispute: fc.constantFrom('none' as const, 'lost' as const, 'won' as const),
  spendPart: fc.integer({ min: 0, max: 100 }),
  connect: fc.boolean(),
});

/** A PSP history and the ledger a correct billing system would keep for it. */
function build(specs: readonly ChargeSpec[]) {
  const movements: MoneyMovement[] = [];
  const transactions: LedgerTransaction[] = [];
  specs.forEach((spec, n) => {
    const c = `c_${spec.customer}`;
    const ch = `ch_${n}`;
    const cur = spec.currency;
    movements.push(movement('capture', ch, spec.amount, { customerId: c, currency: cur }));
    if (spec.connect) {
      const base = { customerId: c, currency: cur, parentId: ch, destination: `acct_${spec.customer}` };
      const fee = Math.floor(spec.amount / 10);
      const inCurrency = (t: LedgerTransaction) => ({
        ...t,
        postings: t.postings.map((p) => ({ ...p, currency: cur })),
      });
      movements.push(movement('transfer', `tr_${n}`, spec.amount, base));
      movements.push(movement('application_fee', `fee_${n}`, fee, base));
      transactions.push(
        inCurrency(transferTxn(`t_${n}_tr`, c, `tr_${n}`, base.destination, spec.amount)),
        inCurrency(applicationFeeTxn(`t_${n}_fee`, c, `fee_${n}`, base.destination, fee)),
      );
    }
    if (spec.topUp) {
      transactions.push({
        ...topUpTxn(`t_${n}_top`, c, ch, spec.amount),
        postings: topUpTxn('x', c, ch, spec.amount).postings.map((p) => ({ ...p, currency: cur })),
      });
      const spend = Math.floor((spec.amount * spec.spendPart) / 100);
      if (spend > 0) {
        const debit = walletDebitTxn(`t_${n}_use`, c, spend);
        transactions.push({ ...debit, postings: debit.postings.map((p) => ({ ...p, currency: cur })) });
      }
      return;
    }
    transactions.push(
      invoiceTxn(`t_${n}_inv`, c, spec.amount, cur),
      paymentTxn(`t_${n}_pay`, c, ch, spec.amount, cur),
    );
    let held = spec.amount;
    if (spec.refundPart !== null) {
      const amount = Math.max(1, Math.floor((spec.amount * spec.refundPart) / 100));
      const re = `re_${n}`;
      const base = {
        customerId: c,
        currency: cur,
        parentId: ch,
        status: spec.refundFails ? 'failed' : 'succeeded',
      };
      movements.push(movement('refund', re, amount, base));
      transactions.push(refundTxn(`t_${n}_ref`, c, re, amount, cur));
      if (spec.refundFails) {
        movements.push(movement('refund_reversal', re, amount, base));
        transactions.push(
          txn(`t_${n}_refback`, 'refund_failed', c, { type: 'refund', id: re }, [
            ['psp:stripe:cash', amount, cur],
            ['revenue:refunds', -amount, cur],
          ]),
        );
      } else held -= amount;
    }
    if (spec.dispute !== 'none' && held > 0) {
      const dp = `dp_${n}`;
      const base = { customerId: c, currency: cur, parentId: ch, status: spec.dispute };
      movements.push(movement('dispute_withdrawal', dp, held, base));
      transactions.push(disputeTxn(`t_${n}_dp`, c, dp, held, cur));
      if (spec.dispute === 'won') {
        movements.push(movement('dispute_reinstatement', dp, held, base));
        transactions.push(
          txn(`t_${n}_dpwon`, 'dispute_won', c, { type: 'dispute', id: dp }, [
            ['psp:stripe:cash', held, cur],
            ['disputes:lost', -held, cur],
          ]),
        );
      }
    }
  });
  return { ledger: { transactions }, psps: [stripe(movements)] };
}

type Mutation =
  | { kind: 'drop'; index: number }
  | { kind: 'duplicate'; index: number; newId: boolean }
  | { kind: 'posting_amount'; index: number; posting: number; delta: number }
  | { kind: 'posting_currency'; index: number; posting: number }
  | { kind: 'txn_amount'; index: number; delta: number }
  | { kind: 'txn_currency'; index: number }
  | { kind: 'ref'; index: number }
  | { kind: 'connect_account'; index: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), index: fc.nat(), newId: fc.boolean() }),
  fc.record({
    kind: fc.constant('posting_amount' as const),
    index: fc.nat(),
    posting: fc.nat(),
    delta: fc.integer({ min: 1, max: 500 }),
  }),
  fc.record({ kind: fc.constant('posting_currency' as const), index: fc.nat(), posting: fc.nat() }),
  fc.record({
    kind: fc.constant('txn_amount' as const),
    index: fc.nat(),
    delta: fc.integer({ min: 1, max: 99 }),
  }),
  fc.record({ kind: fc.constant('txn_currency' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('ref' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('connect_account' as const), index: fc.nat() }),
);

const connectLeg = (account: string) => account.startsWith('psp:stripe:connect:');

const otherCurrency = (code: string) => (code === 'gbp' ? 'chf' : 'gbp');
const expectedOnDrop: Record<string, BreakKind> = {
  payment: 'missing_in_ledger',
  topup: 'missing_in_ledger',
  refund: 'refund_not_posted',
  refund_failed: 'status_mismatch',
  dispute: 'dispute_not_posted',
  dispute_won: 'dispute_not_posted',
  transfer: 'missing_in_ledger',
  application_fee: 'missing_in_ledger',
};

/** Applies one mutation and names the break kind it must cause, or null where it does not apply. */
function mutate(ledger: Ledger, m: Mutation): { ledger: Ledger; expected: BreakKind } | null {
  const all = ledger.transactions;
  const referenced = all.filter((t) => t.ref !== null);
  const pool =
    m.kind === 'connect_account'
      ? all.filter((t) => t.postings.some((p) => connectLeg(p.account)))
      : m.kind === 'drop' || m.kind.startsWith('txn_') || m.kind === 'ref'
        ? referenced
        : all;
  if (pool.length === 0) return null;
  const target = pool[m.index % pool.length]!;
  const replace = (next: LedgerTransaction[]) => ({
    transactions: all.flatMap((t) => (t === target ? next : [t])),
  });
  switch (m.kind) {
    case 'drop':
      return { ledger: replace([]), expected: expectedOnDrop[target.kind]! };
    case 'duplicate': {
      if (m.newId && target.ref === null) return null;
      const copy = m.newId ? { ...target, id: `${target.id}_again` } : target;
      return { ledger: replace([target, copy]), expected: 'duplicate_posting' };
    }
    case 'posting_amount':
    case 'posting_currency': {
      const p = m.posting % target.postings.length;
      const postings = target.postings.map((posting, i) =>
        i !== p
          ? posting
          : m.kind === 'posting_amount'
            ? { ...posting, amount: posting.amount + m.delta }
            : { ...posting, currency: otherCurrency(posting.currency) },
      );
      return { ledger: replace([{ ...target, postings }]), expected: 'unbalanced_transaction' };
    }
    case 'txn_amount': {
      const postings = target.postings.map((p) => ({
        ...p,
        amount: p.amount + Math.sign(p.amount) * m.delta,
      }));
      return { ledger: replace([{ ...target, postings }]), expected: 'amount_mismatch' };
    }
    case 'txn_currency': {
      const postings = target.postings.map((p) => ({ ...p, currency: otherCurrency(p.currency) }));
      return { ledger: replace([{ ...target, postings }]), expected: 'currency_mismatch' };
    }
    case 'ref':
      return {
        ledger: replace([{ ...target, ref: { ...target.ref!, id: `${target.ref!.id}_typo` } }]),
        expected: 'phantom_in_ledger',
      };
    case 'connect_account': {
      const postings = target.postings.map((p) =>
        connectLeg(p.account) ? { ...p, account: 'psp:stripe:connect:acct_other' } : p,
      );
      return { ledger: replace([{ ...target, postings }]), expected: 'destination_mismatch' };
    }
  }
}

describe('reconcile over random histories', () => {
  it('a correct ledger for any PSP history has no breaks', () => {
    fc.assert(
      fc.property(fc.array(chargeSpec, { minLength: 1, maxLength: 12 }), (specs) => {
        const result = reconcile(build(specs));
        expect(result.breaks.map((b) => `${b.kind}: ${b.explanation}`)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('any single mutation of that ledger is reported with the matching kind', () => {
    fc.assert(
      fc.property(fc.array(chargeSpec, { minLength: 1, maxLength: 8 }), mutation, (specs, m) => {
        const run = build(specs);
        const mutated = mutate(run.ledger, m);
        fc.pre(mutated !== null);
        const kinds = reconcile({ ...run, ledger: mutated!.ledger }).breaks.map((b) => b.kind);
        expect(kinds).toContain(mutated!.expected);
      }),
      { numRuns: 500 },
    );
  });
});
