import type { JournalRecord } from '../../sim/journal.ts';
import type { Money } from '../../sim/money.ts';
import type { Break, BreakKind, BreakObject, QuantityFacts } from '../breaks.ts';
import type { ReconcileContext, TxnFacts } from '../context.ts';
import { journalSentence } from '../explain.ts';
import { witnessOf } from '../journal-index.ts';
import type { MoneyMovement } from '../psp-records.ts';

/** What a check knows about one break; {@link makeBreak} adds the witness's sentence. */
export interface BreakDraft {
  readonly kind: BreakKind;
  readonly customer: string | null;
  readonly psp: string | null;
  readonly pspObjects?: readonly BreakObject[];
  readonly movements?: readonly MoneyMovement[];
  readonly txns?: readonly TxnFacts[];
  readonly expected: Money | null;
  readonly actual: Money | null;
  readonly quantities?: QuantityFacts;
  /** Journal lines beyond the movements' own witnesses. */
  readonly records?: readonly JournalRecord[];
  readonly explanation: string;
}

/** The PSP objects of movements, each once: the object and the charge it follows from. */
export function objectsOf(movements: readonly MoneyMovement[]): BreakObject[] {
  const seen = new Map<string, BreakObject>();
  for (const movement of movements) {
    seen.set(movement.objectId, { psp: movement.psp, type: movement.objectType, id: movement.objectId });
    if (movement.parentId !== null && !seen.has(movement.parentId)) {
      seen.set(movement.parentId, { psp: movement.psp, type: 'charge', id: movement.parentId });
    }
  }
  return [...seen.values()];
}

/** Assembles a break: PSP objects, ledger ids, the minimal witness and the full paragraph. */
export function makeBreak(context: ReconcileContext, draft: BreakDraft): Break {
  const movements = draft.movements ?? [];
  const lines = [...movements.flatMap((m) => context.journal.movementWitness(m)), ...(draft.records ?? [])];
  const witness = witnessOf(lines);
  const txnIds = [...new Set((draft.txns ?? []).map((facts) => facts.txn.id))];
  return {
    kind: draft.kind,
    customer: draft.customer,
    psp: draft.psp,
    pspObjects: [...objectsOf(movements), ...(draft.pspObjects ?? [])],
    ledgerTransactions: txnIds,
    expected: draft.expected,
    actual: draft.actual,
    ...(draft.quantities === undefined ? {} : { quantities: draft.quantities }),
    witness,
    explanation: `${draft.explanation}${journalSentence(witness.records)}`,
  };
}
