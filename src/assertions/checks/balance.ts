import type { Break } from '../breaks.ts';
import { moneyOf } from '../breaks.ts';
import type { ReconcileContext } from '../context.ts';
import { amountText, customerText } from '../explain.ts';
import { makeBreak } from './make.ts';

/** Double entry: every transaction's postings sum to zero in each currency (no journal line can witness it). */
export function checkBalanced(context: ReconcileContext): Break[] {
  const breaks: Break[] = [];
  for (const facts of context.txns) {
    if (facts.balance.allZero()) continue;
    for (const [currency, sum] of facts.balance) {
      if (sum === 0) continue;
      breaks.push(
        makeBreak(context, {
          kind: 'unbalanced_transaction',
          customer: facts.txn.customerId,
          psp: facts.txn.ref?.psp ?? facts.cashPsp,
          pspObjects: facts.txn.ref === null ? [] : [{ ...facts.txn.ref }],
          txns: [facts],
          expected: moneyOf(0, currency),
          actual: moneyOf(sum, currency),
          explanation:
            `Ledger transaction ${facts.txn.id} (${facts.txn.kind}) for ${customerText(facts.txn.customerId)} ` +
            `does not balance: its ${currency.toUpperCase()} postings ` +
            `(${facts.txn.postings
              .filter((posting) => posting.currency === currency)
              .map((posting) => `${posting.account} ${amountText(posting.amount, currency)}`)
              .join(', ')}) sum to ${amountText(sum, currency)} instead of zero, ` +
            `so money was created or lost inside the books.`,
        }),
      );
    }
  }
  return breaks;
}
