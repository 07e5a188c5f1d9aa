import type { Break } from '../breaks.ts';
import { moneyOf } from '../breaks.ts';
import type { ReconcileContext, TxnFacts } from '../context.ts';
import { amountText, customerText, movementText, pspTitle } from '../explain.ts';
import { movementSign, type MoneyMovement } from '../psp-records.ts';
import { makeBreak } from './make.ts';

/** `psp:<psp>:connect:` — the prefix of a connected account's account in the ledger. */
const connectPrefix = (psp: string) => `psp:${psp}:connect:`;

/** What a transaction books on each connected account of `psp`, in `currency`; zero sums left out. */
export function connectLegs(facts: TxnFacts, psp: string, currency: string): Map<string, number> {
  const prefix = connectPrefix(psp);
  const legs = new Map<string, number>();
  for (const posting of facts.txn.postings) {
    if (posting.currency !== currency || !posting.account.startsWith(prefix)) continue;
    const account = posting.account.slice(prefix.length);
    legs.set(account, (legs.get(account) ?? 0) + posting.amount);
  }
  for (const [account, amount] of legs) if (amount === 0) legs.delete(account);
  return legs;
}

/** Whether a transaction books anything on a connected account of `psp`. */
export function hasConnectLeg(facts: TxnFacts, psp: string): boolean {
  const prefix = connectPrefix(psp);
  return facts.txn.postings.some((posting) => posting.account.startsWith(prefix));
}

/**
 * A transfer or application fee is booked on the connected account it went to or came from:
 * a ledger whose Connect leg names another account pays (or charges) the wrong tenant in its
 * books. A ledger without any Connect leg says nothing about the account, so it is not judged.
 */
export function checkDestination(
  context: ReconcileContext,
  facts: TxnFacts,
  movement: MoneyMovement,
): Break | null {
  const destination = movement.destination;
  if (destination === undefined) return null;
  const legs = connectLegs(facts, movement.psp, movement.currency);
  const others = [...legs].filter(([account]) => account !== destination);
  if (others.length === 0) return null;
  const customer = movement.customerId ?? facts.txn.customerId;
  const prefix = connectPrefix(movement.psp);
  // The connected account's side mirrors the platform's cash: a transfer credits it, a fee debits it.
  const expected = -movementSign(movement.kind) * movement.amountMinor;
  const booked = others
    .map(([account, amount]) => `${prefix}${account} (${amountText(amount, movement.currency)})`)
    .join(' and ');
  return makeBreak(context, {
    kind: 'destination_mismatch',
    customer,
    psp: movement.psp,
    movements: [movement],
    txns: [facts],
    expected: moneyOf(expected, movement.currency),
    actual: moneyOf(legs.get(destination) ?? 0, movement.currency),
    explanation:
      `${pspTitle(movement.psp)} ${movementText(movement)} for ${customerText(customer)}, but ledger transaction ` +
      `${facts.txn.id} (${facts.txn.kind}, ${facts.txn.at}) books it on ${booked} instead of ` +
      `${prefix}${destination}: the books say ${others.map(([account]) => account).join(' and ')} ` +
      `${movement.kind === 'transfer' ? 'received' : 'paid'} money that ${pspTitle(movement.psp)} ` +
      `${movement.kind === 'transfer' ? 'sent to' : 'took from'} ${destination}, so both connected accounts' ` +
      `balances in the ledger are wrong.`,
  });
}
