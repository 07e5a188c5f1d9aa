import type { Break } from '../breaks.ts';
import { moneyOf } from '../breaks.ts';
import type { ReconcileContext } from '../context.ts';
import { amountText, capitalized, customerText, pspTitle } from '../explain.ts';
import { isConnectMovement, movementSign, type MoneyMovement } from '../psp-records.ts';
import { makeBreak } from './make.ts';

/**
 * What each capture still holds after its refunds and disputes: a fully refunded duplicate is
 * fixed. A destination charge's transfer and application fee are no refund: the customer paid
 * the whole charge all the same.
 */
function netOfCaptures(context: ReconcileContext): Map<MoneyMovement, number> {
  const net = new Map<MoneyMovement, number>();
  const byCharge = new Map<string, Map<string, MoneyMovement>>();
  for (const movement of context.movements) {
    if (movement.kind !== 'capture') continue;
    net.set(movement, movement.amountMinor);
    let charges = byCharge.get(movement.psp);
    if (charges === undefined) byCharge.set(movement.psp, (charges = new Map()));
    charges.set(movement.objectId, movement);
    // Refunds may name the payment a manual capture belongs to (Adyen's pspReference).
    for (const alias of movement.aliases) if (!charges.has(alias)) charges.set(alias, movement);
  }
  for (const movement of context.movements) {
    if (movement.kind === 'capture' || movement.parentId === null || isConnectMovement(movement.kind))
      continue;
    const capture = byCharge.get(movement.psp)?.get(movement.parentId);
    if (capture !== undefined)
      net.set(capture, net.get(capture)! + movementSign(movement.kind) * movement.amountMinor);
  }
  return net;
}

/** Live captures grouped by PSP and obligation key; only groups of two or more matter. */
function groupByObligation(live: readonly MoneyMovement[]) {
  const byKey = new Map<string, Map<string, MoneyMovement[]>>();
  for (const movement of live) {
    let keys = byKey.get(movement.psp);
    if (keys === undefined) byKey.set(movement.psp, (keys = new Map()));
    for (const key of movement.obligationKeys) {
      const list = keys.get(key);
      if (list === undefined) keys.set(key, [movement]);
      else list.push(movement);
    }
  }
  const groups = new Map<string, { movements: MoneyMovement[]; keys: string[] }>();
  for (const keys of byKey.values()) {
    for (const [key, movements] of keys) {
      if (movements.length < 2) continue;
      const ids = movements
        .map((m) => `${m.psp}:${m.objectId}`)
        .sort()
        .join(',');
      const group = groups.get(ids) ?? { movements, keys: [] };
      group.keys.push(key);
      groups.set(ids, group);
    }
  }
  return [...groups.values()];
}

/**
 * No customer pays twice for one obligation: captures still holding money that share an
 * obligation key (idempotency key, order or obligation metadata, invoice), and — for customers
 * billed through `customer:<id>:receivable` — captures beyond everything billed.
 */
export function checkDoubleCharges(context: ReconcileContext): Break[] {
  const net = netOfCaptures(context);
  const live: MoneyMovement[] = [];
  for (const [movement, amount] of net) if (amount > 0) live.push(movement);
  const groups = groupByObligation(live);
  const breaks = groups.map((group) => keyedBreak(context, group.movements, group.keys, net));
  const reported = new Set(groups.flatMap((group) => group.movements));
  return [...breaks, ...checkTotals(context, live, net, reported)];
}

function keyedBreak(
  context: ReconcileContext,
  movements: readonly MoneyMovement[],
  keys: readonly string[],
  net: ReadonlyMap<MoneyMovement, number>,
): Break {
  const sorted = [...movements].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const first = sorted[0]!;
  const customer = context.customerOf(first);
  const total = sorted.reduce((sum, m) => sum + (m.currency === first.currency ? net.get(m)! : 0), 0);
  return makeBreak(context, {
    kind: 'double_charge',
    customer,
    psp: first.psp,
    movements: sorted,
    txns: sorted.flatMap((m) => context.matches.get(m) ?? []),
    expected: moneyOf(net.get(first)!, first.currency),
    actual: moneyOf(total, first.currency),
    explanation:
      `${capitalized(customerText(customer))} was charged ${sorted.length} times for one obligation (${keys.join(', ')}): ` +
      `${pspTitle(first.psp)} holds ${sorted.map((m) => `${amountText(net.get(m)!, m.currency)} on ${m.objectId}`).join(' and ')}, ` +
      `${amountText(total, first.currency)} in all where ${amountText(net.get(first)!, first.currency)} was due. ` +
      `A retry after a lost response or a replayed job charged again instead of reusing the first payment.`,
  });
}

function checkTotals(
  context: ReconcileContext,
  live: readonly MoneyMovement[],
  net: ReadonlyMap<MoneyMovement, number>,
  reported: ReadonlySet<MoneyMovement>,
): Break[] {
  const billed = new Map<string, number>();
  for (const facts of context.txns) {
    for (const posting of facts.txn.postings) {
      if (posting.amount <= 0 || !posting.account.endsWith(':receivable')) continue;
      const match = /^customer:(.+):receivable$/.exec(posting.account);
      if (match === null) continue;
      const key = `${match[1]!}\u0000${posting.currency}`;
      billed.set(key, (billed.get(key) ?? 0) + posting.amount);
    }
  }
  const paid = new Map<string, MoneyMovement[]>();
  for (const movement of live) {
    const toWallet = (context.matches.get(movement) ?? []).some((facts) =>
      facts.txn.postings.some((posting) => posting.account.endsWith(':wallet')),
    );
    if (toWallet) continue;
    const key = `${context.customerOf(movement) ?? ''}\u0000${movement.currency}`;
    const list = paid.get(key);
    if (list === undefined) paid.set(key, [movement]);
    else list.push(movement);
  }
  const breaks: Break[] = [];
  for (const [key, movements] of paid) {
    const due = billed.get(key);
    const total = movements.reduce((sum, m) => sum + net.get(m)!, 0);
    if (due === undefined || total <= due || movements.every((m) => reported.has(m))) continue;
    breaks.push(totalsBreak(context, movements, net, due, total));
  }
  return breaks;
}

function totalsBreak(
  context: ReconcileContext,
  movements: readonly MoneyMovement[],
  net: ReadonlyMap<MoneyMovement, number>,
  due: number,
  total: number,
): Break {
  // The witness: the latest captures that take the total over what was billed.
  const latest = [...movements].sort((a, b) => (a.at > b.at ? -1 : a.at < b.at ? 1 : 0));
  const excess: MoneyMovement[] = [];
  let remaining = total;
  for (const movement of latest) {
    if (remaining <= due) break;
    excess.push(movement);
    remaining -= net.get(movement)!;
  }
  const first = movements[0]!;
  const customer = context.customerOf(first);
  return makeBreak(context, {
    kind: 'double_charge',
    customer,
    psp: first.psp,
    movements: excess,
    txns: excess.flatMap((m) => context.matches.get(m) ?? []),
    expected: moneyOf(due, first.currency),
    actual: moneyOf(total, first.currency),
    explanation:
      `The ledger bills ${customerText(customer)} ${amountText(due, first.currency)} in all ` +
      `(debits to customer:${customer ?? '?'}:receivable), but ${pspTitle(first.psp)} captured ` +
      `${amountText(total, first.currency)} from them: ${amountText(total - due, first.currency)} more than ` +
      `was ever owed, most recently on ${excess.map((m) => m.objectId).join(', ')}.`,
  });
}
