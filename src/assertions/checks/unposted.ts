import type { Break, BreakKind } from '../breaks.ts';
import { moneyOf } from '../breaks.ts';
import type { ReconcileContext } from '../context.ts';
import { customerText, movementText, pspTitle } from '../explain.ts';
import { movementSign, type MoneyMovement, type MovementKind } from '../psp-records.ts';
import { makeBreak } from './make.ts';

const kindFor: Readonly<Record<MovementKind, BreakKind>> = {
  capture: 'missing_in_ledger',
  refund: 'refund_not_posted',
  refund_reversal: 'status_mismatch',
  capture_reversal: 'status_mismatch',
  dispute_withdrawal: 'dispute_not_posted',
  dispute_reinstatement: 'dispute_not_posted',
  transfer: 'missing_in_ledger',
  application_fee: 'missing_in_ledger',
};

const consequence: Readonly<Record<MovementKind, string>> = {
  capture: 'the books are short of cash the PSP holds and the customer may be chased for money already paid',
  refund: 'the books still count money that went back to the customer',
  refund_reversal: 'the ledger still says refunded although the refund failed and the money came back',
  capture_reversal: 'the ledger still says paid although the capture failed and the money went back',
  dispute_withdrawal: 'the books still count money the card network took back',
  dispute_reinstatement: 'the books miss money the PSP gave back when the dispute was won',
  transfer: 'the books still count as platform cash money that was paid out to the connected account',
  application_fee: "the books miss the platform's fee income and overstate what the connected account got",
};

/**
 * Every PSP movement no ledger transaction mirrors. A pair that cancels out at the PSP and is
 * absent from the ledger as a whole (a refund that failed, a dispute that was won) is no break.
 */
export function checkUnpostedMovements(context: ReconcileContext): Break[] {
  const breaks: Break[] = [];
  const unposted = context.movements.filter((m) => m.amountMinor !== 0 && !context.matches.has(m));
  const pairs = new Map<string, MoneyMovement[]>();
  for (const movement of unposted) {
    const pairKey = `${movement.psp}\u0000${movement.objectId}\u0000${movement.currency}`;
    const list = pairs.get(pairKey);
    if (list === undefined) pairs.set(pairKey, [movement]);
    else list.push(movement);
  }
  for (const movement of unposted) {
    const pair = pairs.get(`${movement.psp}\u0000${movement.objectId}\u0000${movement.currency}`)!;
    const net = pair.reduce((sum, m) => sum + movementSign(m.kind) * m.amountMinor, 0);
    if (pair.length > 1 && net === 0) continue;
    context.explainedMovements.add(movement);
    breaks.push(unpostedBreak(context, movement));
  }
  return breaks;
}

function unpostedBreak(context: ReconcileContext, movement: MoneyMovement): Break {
  const customer = context.customerOf(movement);
  const refs = [movement.objectId, ...(movement.parentId === null ? [] : [movement.parentId])];
  return makeBreak(context, {
    kind: kindFor[movement.kind],
    customer,
    psp: movement.psp,
    movements: [movement],
    expected: moneyOf(movement.amountMinor * movementSign(movement.kind), movement.currency),
    actual: moneyOf(0, movement.currency),
    explanation:
      `${pspTitle(movement.psp)} ${movementText(movement)} for ${customerText(customer)} at ${movement.at}, ` +
      `but no ledger transaction books it (none refers to ${refs.join(' or ')} with that direction of cash), ` +
      `so ${consequence[movement.kind]}.`,
  });
}
