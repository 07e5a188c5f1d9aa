import type { JournalRecord } from '../sim/journal.ts';
import type { Money } from '../sim/money.ts';
import { money } from '../sim/money.ts';

/** Every way a ledger can disagree with the PSPs, the journal or itself. */
export type BreakKind =
  | 'missing_in_ledger'
  | 'phantom_in_ledger'
  | 'duplicate_posting'
  | 'amount_mismatch'
  | 'currency_mismatch'
  | 'destination_mismatch'
  | 'status_mismatch'
  | 'double_charge'
  | 'unbalanced_transaction'
  | 'cash_mismatch'
  | 'usage_not_conserved'
  | 'billed_beyond_plan'
  | 'billing_mismatch'
  | 'wallet_negative'
  | 'wallet_mismatch'
  | 'refund_not_posted'
  | 'dispute_not_posted'
  | 'bad_signature_accepted';

/** The kinds in report order: money first, then states, then bookkeeping, then webhooks. */
export const breakKinds: readonly BreakKind[] = [
  'double_charge',
  'missing_in_ledger',
  'refund_not_posted',
  'dispute_not_posted',
  'phantom_in_ledger',
  'duplicate_posting',
  'amount_mismatch',
  'currency_mismatch',
  'destination_mismatch',
  'status_mismatch',
  'cash_mismatch',
  'unbalanced_transaction',
  'usage_not_conserved',
  'billed_beyond_plan',
  'billing_mismatch',
  'wallet_negative',
  'wallet_mismatch',
  'bad_signature_accepted',
];

/** A PSP object a break is about. */
export interface BreakObject {
  readonly psp: string;
  readonly type: string;
  readonly id: string;
}

/** The smallest set of journal lines that shows the break happened. */
export interface Witness {
  readonly seqs: readonly number[];
  readonly records: readonly JournalRecord[];
}

/** Usage quantities, for `usage_not_conserved`. */
export interface QuantityFacts {
  readonly meter: string;
  readonly expected: number;
  readonly actual: number;
  /** Event ids behind the difference (repeated or unbilled), when the checker can tell. */
  readonly eventIds: readonly string[];
}

/** One disagreement, with its evidence and a paragraph a finance engineer accepts. */
export interface Break {
  readonly kind: BreakKind;
  /** The SUT's customer id, or `<psp>:<pspCustomerId>` when the SUT's id is unknown. */
  readonly customer: string | null;
  readonly psp: string | null;
  readonly pspObjects: readonly BreakObject[];
  readonly ledgerTransactions: readonly string[];
  readonly expected: Money | null;
  readonly actual: Money | null;
  readonly quantities?: QuantityFacts;
  readonly witness: Witness;
  readonly explanation: string;
}

/** What {@link reconcile} concludes. */
export interface ReconcileResult {
  readonly ok: boolean;
  readonly breaks: readonly Break[];
  readonly summary: ReconcileSummary;
}

export interface ReconcileSummary {
  readonly ledgerTransactions: number;
  readonly movements: number;
  readonly journalRecords: number;
  readonly breaksByKind: Readonly<Partial<Record<BreakKind, number>>>;
}

/** Money from a possibly unknown currency code, tolerating codes the ledger got wrong. */
export function moneyOf(amountMinor: number, currency: string): Money {
  return /^[a-zA-Z]{3}$/.test(currency)
    ? money(amountMinor, currency)
    : ({ amountMinor, currency } as unknown as Money);
}

/** Sorts breaks into report order, deterministically. */
export function sortBreaks(breaks: readonly Break[]): Break[] {
  const rank = new Map(breakKinds.map((kind, index) => [kind, index]));
  const key = (item: Break) =>
    `${item.customer ?? ''}\u0000${item.pspObjects.map((o) => o.id).join(',')}\u0000${item.ledgerTransactions.join(',')}`;
  return [...breaks].sort((a, b) => {
    const byKind = rank.get(a.kind)! - rank.get(b.kind)!;
    if (byKind !== 0) return byKind;
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
