import type { Break } from '../breaks.ts';
import { moneyOf } from '../breaks.ts';
import type { ReconcileContext, TxnFacts } from '../context.ts';
import { amountText, customerText, movementText, pspTitle } from '../explain.ts';
import { isConnectMovement, movementSign, type MoneyMovement } from '../psp-records.ts';
import { checkDestination, hasConnectLeg } from './destination.ts';
import { makeBreak } from './make.ts';

/** The currency and signed gross a ledger transaction moves at its PSP: the largest leg wins. */
export function dominantGross(facts: TxnFacts): { currency: string; amount: number } | null {
  return facts.gross.largest();
}

const ledgerName = (facts: TxnFacts, start = false) =>
  `${start ? 'Ledger' : 'ledger'} transaction ${facts.txn.id} (${facts.txn.kind}, ${facts.txn.at})`;

/**
 * Matches every ledger transaction that names a PSP object to the movement it mirrors, and
 * reports those that mirror nothing (phantom), something already mirrored (duplicate), the
 * wrong amount, currency or connected account, or an object whose state moved no such money
 * (status).
 */
export function checkPostedTransactions(context: ReconcileContext): Break[] {
  const breaks: Break[] = [];
  const firstById = new Map<string, TxnFacts>();
  for (const facts of context.txns) {
    const first = firstById.get(facts.txn.id);
    if (first !== undefined) {
      breaks.push(repeatedId(context, first, facts));
      continue;
    }
    firstById.set(facts.txn.id, facts);
    breaks.push(...matchOne(context, facts));
  }
  return breaks;
}

function repeatedId(context: ReconcileContext, first: TxnFacts, again: TxnFacts): Break {
  context.explainedTxns.add(again);
  const gross = dominantGross(again);
  const movement = context.matchedBy.get(first);
  return makeBreak(context, {
    kind: 'duplicate_posting',
    customer: again.txn.customerId,
    psp: again.txn.ref?.psp ?? again.cashPsp,
    movements: movement === undefined ? [] : [movement],
    txns: [first, again],
    expected: null,
    actual: gross === null ? null : moneyOf(gross.amount, gross.currency),
    explanation:
      `The ledger contains transaction ${again.txn.id} twice (positions ${first.position} and ${again.position}) ` +
      `for ${customerText(again.txn.customerId)}` +
      (gross === null
        ? '.'
        : `, so ${amountText(gross.amount, gross.currency)} of PSP cash is booked twice.`),
  });
}

function matchOne(context: ReconcileContext, facts: TxnFacts): Break[] {
  const ref = facts.txn.ref;
  const gross = dominantGross(facts);
  if (ref === null)
    return gross === null || facts.cashPsp === null ? [] : [unreferencedCash(context, facts, gross)];
  if (!context.psps.has(ref.psp)) return [];
  const named = context.movementsNamed(ref.psp, ref.id);
  const known = () => named.length > 0 || context.object(ref.psp, ref.id) !== undefined;
  if (gross === null) return known() ? [] : [phantom(context, facts, null)];
  const sign = Math.sign(gross.amount);
  let chosen = pick(context, named, sign, gross);
  if (chosen === null) chosen = pick(context, ofParent(context, facts, ref), sign, gross);
  if (chosen === null)
    return [known() ? noSuchMovement(context, facts, gross) : phantom(context, facts, gross)];
  if (context.matches.has(chosen)) return [duplicate(context, facts, chosen, gross)];
  context.matches.set(chosen, [facts]);
  context.matchedBy.set(facts, chosen);
  const problems = [compare(context, facts, chosen), checkDestination(context, facts, chosen)];
  return problems.filter((problem) => problem !== null);
}

/**
 * Movements following from the charge a ref names. A transfer or application fee qualifies only
 * for a transaction with a Connect leg, so a refund booked against its charge's id never
 * mistakes the same charge's transfer for itself.
 */
function ofParent(
  context: ReconcileContext,
  facts: TxnFacts,
  ref: { psp: string; id: string },
): readonly MoneyMovement[] {
  const children = context.movementsOfParent(ref.psp, ref.id);
  if (hasConnectLeg(facts, ref.psp)) return children;
  return children.filter((movement) => !isConnectMovement(movement.kind));
}

/**
 * The movement a transaction mirrors among `candidates` of its direction: an unclaimed one of
 * the same amount and currency, else any unclaimed one, else a claimed one (a duplicate).
 */
function pick(
  context: ReconcileContext,
  candidates: readonly MoneyMovement[],
  sign: number,
  gross: { currency: string; amount: number },
): MoneyMovement | null {
  let unclaimed: MoneyMovement | null = null;
  let claimed: MoneyMovement | null = null;
  for (const movement of candidates) {
    if (movementSign(movement.kind) !== sign) continue;
    if (context.matches.has(movement)) {
      claimed ??= movement;
      continue;
    }
    if (movement.currency === gross.currency && movement.amountMinor === Math.abs(gross.amount))
      return movement;
    unclaimed ??= movement;
  }
  return unclaimed ?? claimed;
}

function compare(context: ReconcileContext, facts: TxnFacts, movement: MoneyMovement): Break | null {
  const booked = Math.abs(facts.gross.get(movement.currency) ?? 0);
  if (booked === movement.amountMinor) return null;
  context.explainedTxns.add(facts);
  context.explainedMovements.add(movement);
  const customer = movement.customerId ?? facts.txn.customerId;
  const expected = moneyOf(movement.amountMinor * movementSign(movement.kind), movement.currency);
  if (booked === 0) {
    const gross = dominantGross(facts)!;
    return makeBreak(context, {
      kind: 'currency_mismatch',
      customer,
      psp: movement.psp,
      movements: [movement],
      txns: [facts],
      expected,
      actual: moneyOf(gross.amount, gross.currency),
      explanation:
        `${pspTitle(movement.psp)} ${movementText(movement)} for ${customerText(customer)}, but ` +
        `${ledgerName(facts)} books it as ${amountText(gross.amount, gross.currency)}: ` +
        `a different currency (${gross.currency.toUpperCase()} instead of ${movement.currency.toUpperCase()}).`,
    });
  }
  const signed = facts.gross.get(movement.currency)!;
  return makeBreak(context, {
    kind: 'amount_mismatch',
    customer,
    psp: movement.psp,
    movements: [movement],
    txns: [facts],
    expected,
    actual: moneyOf(signed, movement.currency),
    explanation:
      `${pspTitle(movement.psp)} ${movementText(movement)} for ${customerText(customer)}, but ` +
      `${ledgerName(facts)} books ${amountText(signed, movement.currency)} of cash for it, ` +
      `${Math.abs(signed) > movement.amountMinor ? 'over' : 'short'} by ` +
      `${amountText(Math.abs(Math.abs(signed) - movement.amountMinor), movement.currency)}.`,
  });
}

function duplicate(
  context: ReconcileContext,
  facts: TxnFacts,
  movement: MoneyMovement,
  gross: { currency: string; amount: number },
): Break {
  context.explainedTxns.add(facts);
  const first = context.matches.get(movement)!;
  first.push(facts);
  const customer = movement.customerId ?? facts.txn.customerId;
  return makeBreak(context, {
    kind: 'duplicate_posting',
    customer,
    psp: movement.psp,
    movements: [movement],
    txns: [...first],
    expected: moneyOf(movement.amountMinor * movementSign(movement.kind), movement.currency),
    actual: moneyOf(gross.amount + (first[0]!.gross.get(gross.currency) ?? 0), gross.currency),
    explanation:
      `${pspTitle(movement.psp)} ${movementText(movement)} once, for ${customerText(customer)}, but the ledger ` +
      `books it ${first.length} times (${first.map((f) => f.txn.id).join(', ')}); ` +
      `${ledgerName(facts)} is the extra ${amountText(gross.amount, gross.currency)}.`,
  });
}

function phantom(
  context: ReconcileContext,
  facts: TxnFacts,
  gross: { currency: string; amount: number } | null,
): Break {
  context.explainedTxns.add(facts);
  const ref = facts.txn.ref!;
  return makeBreak(context, {
    kind: 'phantom_in_ledger',
    customer: facts.txn.customerId,
    psp: ref.psp,
    pspObjects: [{ psp: ref.psp, type: ref.type, id: ref.id }],
    txns: [facts],
    expected: null,
    actual: gross === null ? null : moneyOf(gross.amount, gross.currency),
    explanation:
      `${ledgerName(facts, true)} for ${customerText(facts.txn.customerId)} refers to ${ref.type} ${ref.id}` +
      (gross === null ? '' : ` and books ${amountText(gross.amount, gross.currency)} of cash`) +
      `, but ${pspTitle(ref.psp)} has no such object: the money it records never moved.`,
  });
}

function unreferencedCash(
  context: ReconcileContext,
  facts: TxnFacts,
  gross: { currency: string; amount: number },
): Break {
  context.explainedTxns.add(facts);
  return makeBreak(context, {
    kind: 'phantom_in_ledger',
    customer: facts.txn.customerId,
    psp: facts.cashPsp,
    txns: [facts],
    expected: null,
    actual: moneyOf(gross.amount, gross.currency),
    explanation:
      `${ledgerName(facts, true)} books ${amountText(gross.amount, gross.currency)} on psp:${facts.cashPsp!}:cash for ` +
      `${customerText(facts.txn.customerId)} without naming any ${pspTitle(facts.cashPsp!)} object, ` +
      `so no money movement at the PSP backs it.`,
  });
}

function noSuchMovement(
  context: ReconcileContext,
  facts: TxnFacts,
  gross: { currency: string; amount: number },
): Break {
  context.explainedTxns.add(facts);
  const ref = facts.txn.ref!;
  const object = context.object(ref.psp, ref.id);
  const named = context.movementsNamed(ref.psp, ref.id);
  const state = object?.status ?? named[0]?.status ?? 'unknown';
  const direction = gross.amount > 0 ? 'received' : 'paid out';
  return makeBreak(context, {
    kind: 'status_mismatch',
    customer: facts.txn.customerId,
    psp: ref.psp,
    pspObjects: [{ psp: ref.psp, type: object?.objectType ?? ref.type, id: ref.id }],
    movements: named,
    txns: [facts],
    expected: null,
    actual: moneyOf(gross.amount, gross.currency),
    explanation:
      `${ledgerName(facts, true)} for ${customerText(facts.txn.customerId)} books ` +
      `${amountText(gross.amount, gross.currency)} as ${direction} through ${ref.type} ${ref.id}, but at ` +
      `${pspTitle(ref.psp)} that ${object?.objectType ?? ref.type} is '${state}' and no such money moved.`,
  });
}
