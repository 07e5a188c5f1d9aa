import type { Break } from '../breaks.ts';
import { moneyOf } from '../breaks.ts';
import type { ReconcileContext, TxnFacts } from '../context.ts';
import { amountText, customerText } from '../explain.ts';
import { movementSign } from '../psp-records.ts';
import { makeBreak } from './make.ts';

const walletAccount = /^customer:(.+):wallet$/;

interface WalletTally {
  customerId: string;
  currency: string;
  funds: number;
  expected: number;
  lowest: number;
  firstBelow: TxnFacts | null;
  unbacked: TxnFacts[];
}

/** What the wallet postings of a transaction should be: a top-up's PSP amount, or a debit as booked. */
function backedPosting(context: ReconcileContext, facts: TxnFacts, currency: string, booked: number): number {
  const movement = context.matchedBy.get(facts);
  if (movement !== undefined) {
    return movement.currency === currency ? -movementSign(movement.kind) * movement.amountMinor : 0;
  }
  // Without PSP money behind it, only a debit (money leaving the wallet) stands.
  return booked > 0 ? booked : 0;
}

/**
 * Wallets (`customer:<id>:wallet`, a liability: credits are negative postings) never fall below
 * their floor, and equal the PSP-confirmed top-ups less the debits booked against them.
 */
export function checkWallets(context: ReconcileContext): Break[] {
  const wallets = new Map<string, WalletTally>();
  const touches = (facts: TxnFacts) => facts.txn.postings.some((p) => p.account.endsWith(':wallet'));
  const ordered = context.txns
    .filter(touches)
    .sort((a, b) => (a.txn.at < b.txn.at ? -1 : a.txn.at > b.txn.at ? 1 : a.position - b.position));
  for (const facts of ordered) {
    const sums = new Map<string, { customerId: string; currency: string; amount: number }>();
    for (const posting of facts.txn.postings) {
      const match = walletAccount.exec(posting.account);
      if (match === null) continue;
      const key = `${match[1]!}\u0000${posting.currency}`;
      const sum = sums.get(key) ?? { customerId: match[1]!, currency: posting.currency, amount: 0 };
      sum.amount += posting.amount;
      sums.set(key, sum);
    }
    for (const [key, sum] of sums) {
      let wallet = wallets.get(key);
      if (wallet === undefined) {
        wallet = { ...sum, funds: 0, expected: 0, lowest: 0, firstBelow: null, unbacked: [] };
        wallets.set(key, wallet);
      }
      wallet.funds -= sum.amount;
      const backed = backedPosting(context, facts, sum.currency, sum.amount);
      wallet.expected -= backed;
      if (backed !== sum.amount) wallet.unbacked.push(facts);
      const floor = context.input.walletFloorsMinor?.[sum.customerId] ?? 0;
      if (wallet.funds < floor && wallet.firstBelow === null) wallet.firstBelow = facts;
      wallet.lowest = Math.min(wallet.lowest, wallet.funds);
    }
  }
  const breaks: Break[] = [];
  for (const wallet of wallets.values()) {
    if (wallet.firstBelow !== null) breaks.push(negativeBreak(context, wallet));
    if (wallet.funds !== wallet.expected) breaks.push(mismatchBreak(context, wallet));
  }
  return breaks;
}

function negativeBreak(context: ReconcileContext, wallet: WalletTally): Break {
  const floor = context.input.walletFloorsMinor?.[wallet.customerId] ?? 0;
  const facts = wallet.firstBelow!;
  return makeBreak(context, {
    kind: 'wallet_negative',
    customer: wallet.customerId,
    psp: null,
    txns: [facts],
    expected: moneyOf(floor, wallet.currency),
    actual: moneyOf(wallet.lowest, wallet.currency),
    explanation:
      `The wallet of ${customerText(wallet.customerId)} fell below its floor of ` +
      `${amountText(floor, wallet.currency)} at ledger transaction ${facts.txn.id} (${facts.txn.kind}, ` +
      `${facts.txn.at}) and reached ${amountText(wallet.lowest, wallet.currency)}: usage was served on ` +
      `credit the customer never paid for.`,
  });
}

function mismatchBreak(context: ReconcileContext, wallet: WalletTally): Break {
  const movements = wallet.unbacked.flatMap((facts) => {
    const movement = context.matchedBy.get(facts);
    return movement === undefined ? [] : [movement];
  });
  return makeBreak(context, {
    kind: 'wallet_mismatch',
    customer: wallet.customerId,
    psp: movements[0]?.psp ?? null,
    movements,
    txns: wallet.unbacked,
    expected: moneyOf(wallet.expected, wallet.currency),
    actual: moneyOf(wallet.funds, wallet.currency),
    explanation:
      `The wallet of ${customerText(wallet.customerId)} holds ${amountText(wallet.funds, wallet.currency)} ` +
      `but its top-ups confirmed by the PSP less its debits come to ` +
      `${amountText(wallet.expected, wallet.currency)}; the difference comes from ` +
      `${wallet.unbacked.map((facts) => `${facts.txn.id} (${facts.txn.kind})`).join(', ')}, ` +
      `credited without matching PSP money.`,
  });
}
