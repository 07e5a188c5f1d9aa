import type { Break } from '../breaks.ts';
import { moneyOf } from '../breaks.ts';
import type { ReconcileContext, TxnFacts } from '../context.ts';
import { amountText, customerText, pspTitle } from '../explain.ts';
import { movementSign, type MoneyMovement } from '../psp-records.ts';
import { makeBreak } from './make.ts';

interface Side {
  psp: string;
  customer: string | null;
  currency: string;
  ledger: number;
  pspNet: number;
  txns: TxnFacts[];
  movements: MoneyMovement[];
}

/**
 * Cash per PSP, customer and currency: the ledger's `psp:<psp>:cash` (with fees booked beside
 * it) must equal the PSP's net of captures, refunds, disputes, Connect transfers and application
 * fees (the source charge's customer's). Only what no item-level break
 * already explains is compared, so this names what those cannot: cash booked to the wrong
 * customer, or cash without any PSP reference the matching could see.
 */
export function checkCash(context: ReconcileContext): Break[] {
  const sides = new Map<string, Side>();
  const side = (psp: string, customer: string | null, currency: string): Side => {
    const key = `${psp}\u0000${customer ?? ''}\u0000${currency}`;
    let found = sides.get(key);
    if (found === undefined) {
      found = { psp, customer, currency, ledger: 0, pspNet: 0, txns: [], movements: [] };
      sides.set(key, found);
    }
    return found;
  };
  for (const facts of context.txns) {
    if (facts.cashPsp === null || !context.psps.has(facts.cashPsp) || context.explainedTxns.has(facts))
      continue;
    for (const [currency, amount] of facts.gross) {
      const entry = side(facts.cashPsp, facts.txn.customerId, currency);
      entry.ledger += amount;
      entry.txns.push(facts);
    }
  }
  for (const movement of context.movements) {
    if (context.explainedMovements.has(movement)) continue;
    const entry = side(movement.psp, context.customerOf(movement), movement.currency);
    entry.pspNet += movementSign(movement.kind) * movement.amountMinor;
    entry.movements.push(movement);
  }
  const breaks: Break[] = [];
  for (const entry of sides.values()) {
    if (entry.ledger !== entry.pspNet) breaks.push(cashBreak(context, entry));
  }
  return breaks;
}

function cashBreak(context: ReconcileContext, entry: Side): Break {
  // The evidence: what sits under this customer on one side but another customer on the other.
  const misattributed = entry.movements.filter((movement) =>
    (context.matches.get(movement) ?? []).some((facts) => facts.txn.customerId !== entry.customer),
  );
  const strays = entry.txns.filter((facts) => {
    const movement = context.matchedBy.get(facts);
    return movement === undefined || context.customerOf(movement) !== entry.customer;
  });
  const elsewhere = misattributed.flatMap((movement) => context.matches.get(movement) ?? []);
  const strayMovements = strays.flatMap((facts) => {
    const movement = context.matchedBy.get(facts);
    return movement === undefined ? [] : [movement];
  });
  const difference = entry.ledger - entry.pspNet;
  return makeBreak(context, {
    kind: 'cash_mismatch',
    customer: entry.customer,
    psp: entry.psp,
    movements: [...misattributed, ...strayMovements],
    txns: [...strays, ...elsewhere],
    expected: moneyOf(entry.pspNet, entry.currency),
    actual: moneyOf(entry.ledger, entry.currency),
    explanation:
      `For ${customerText(entry.customer)} in ${entry.currency.toUpperCase()}, the ledger's psp:${entry.psp}:cash ` +
      `holds ${amountText(entry.ledger, entry.currency)} but ${pspTitle(entry.psp)}'s net for that customer ` +
      `(captures less refunds, disputes and transfers, plus fees) is ${amountText(entry.pspNet, entry.currency)}: ` +
      `${amountText(Math.abs(difference), entry.currency)} ${difference > 0 ? 'too much' : 'too little'} that no ` +
      `transaction-level break explains` +
      (strays.length + elsewhere.length === 0
        ? '.'
        : `; look at ${[...strays, ...elsewhere].map((facts) => `${facts.txn.id} (customer ${facts.txn.customerId})`).join(', ')}.`),
  });
}
