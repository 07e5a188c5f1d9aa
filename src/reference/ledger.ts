import type { Ledger, LedgerRef, LedgerTransaction, Posting, UsageLine } from '../sut/contract.ts';

/** One transaction to post; `key` names the obligation or PSP object it records, once. */
export interface Entry {
  readonly key: string;
  readonly at: string;
  readonly kind: string;
  readonly customerId: string;
  readonly ref: LedgerRef | null;
  readonly postings: readonly Posting[];
  /** The usage this entry bills (invoices and wallet debits). */
  readonly usage?: readonly UsageLine[];
}

/**
 * A double-entry ledger: every transaction's postings sum to zero per currency, and each key
 * (an obligation or PSP object) is posted at most once — the "unique index" that keeps two
 * webhooks for one payment from booking it twice.
 *
 * @example
 * const ledger = new DoubleEntryLedger();
 * ledger.post({ key: 'charge:ch_1', at, kind: 'payment', customerId: 'c_1', ref, postings: [
 *   { account: 'psp:stripe:cash', amount: 3000, currency: 'usd' },
 *   { account: 'customer:c_1:receivable', amount: -3000, currency: 'usd' } ] });
 */
export class DoubleEntryLedger {
  readonly #transactions: LedgerTransaction[] = [];
  readonly #keys = new Set<string>();

  /** Whether a key was already posted. */
  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Posts an entry unless its key was posted before; answers whether it posted. */
  post(entry: Entry): boolean {
    if (this.#keys.has(entry.key)) return false;
    this.postAgain(entry);
    return true;
  }

  /** Posts even when the key exists (only the seeded bugs call this). */
  postAgain(entry: Entry): void {
    const postings = entry.postings.filter((posting) => posting.amount !== 0);
    if (postings.length === 0) return;
    assertBalanced(entry.key, postings);
    this.#keys.add(entry.key);
    this.#transactions.push({
      id: `t_${this.#transactions.length + 1}`,
      at: entry.at,
      kind: entry.kind,
      customerId: entry.customerId,
      ref: entry.ref,
      postings,
      ...(entry.usage === undefined || entry.usage.length === 0 ? {} : { usage: entry.usage }),
    });
  }

  /** The sum of an account's postings in one currency. */
  balance(account: string, currency: string): number {
    let sum = 0;
    for (const transaction of this.#transactions) {
      for (const posting of transaction.postings) {
        if (posting.account === account && posting.currency === currency) sum += posting.amount;
      }
    }
    return sum;
  }

  /** The export of the SUT contract. */
  export(): Ledger {
    return { transactions: this.#transactions.map((transaction) => structuredClone(transaction)) };
  }
}

function assertBalanced(key: string, postings: readonly Posting[]): void {
  const sums = new Map<string, number>();
  for (const posting of postings) {
    if (!Number.isSafeInteger(posting.amount))
      throw new Error(`${key}: ${posting.amount} is not minor units`);
    sums.set(posting.currency, (sums.get(posting.currency) ?? 0) + posting.amount);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0) throw new Error(`${key}: postings sum to ${sum} ${currency}, not zero`);
  }
}

/** Two postings moving `amount` from `from` to `to` (debit `to`, credit `from`). */
export function transfer(to: string, from: string, amount: number, currency: string): Posting[] {
  return [
    { account: to, amount, currency },
    { account: from, amount: -amount, currency },
  ];
}

/** The accounts of the convention the checker reads. */
export const accounts = {
  cash: 'psp:stripe:cash',
  fees: 'fees:stripe',
  disputes: 'disputes:stripe',
  refunds: 'revenue:refunds',
  usage: 'revenue:usage',
  subscription: 'revenue:subscription',
  receivable: (customerId: string) => `customer:${customerId}:receivable`,
  wallet: (customerId: string) => `customer:${customerId}:wallet`,
  connected: (accountId: string) => `psp:stripe:connect:${accountId}`,
  /** Another PSP's accounts (multi-psp): its cash, fees and disputes. */
  cashAt: (psp: string) => `psp:${psp}:cash`,
  disputesAt: (psp: string) => `disputes:${psp}`,
} as const;
