/**
 * A double-entry ledger in integer minor units. Each transaction's postings sum to zero per
 * currency, and each key (an invoice, or the Stripe object a transaction mirrors) is posted at
 * most once: the "unique index" that makes every booking path safe to run again.
 */

/** The account names the fakepsp checker reads (`psp:<psp>:cash`, `customer:<id>:…`, …). */
export const accounts = {
  cash: 'psp:stripe:cash',
  fees: 'fees:stripe',
  disputes: 'disputes:stripe',
  refunds: 'revenue:refunds',
  subscription: 'revenue:subscription',
  usage: 'revenue:usage',
  /** @param {string} customerId */
  receivable: (customerId) => `customer:${customerId}:receivable`,
};

/**
 * @typedef {{ account: string, amount: number, currency: string }} Posting
 * @typedef {{ psp: 'stripe', type: string, id: string }} Ref
 * @typedef {{ meter: string, quantity: number }} UsageLine
 * @typedef {{ at: string, kind: string, customerId: string, ref: Ref | null,
 *   postings: Posting[], usage?: UsageLine[] }} Entry
 */

/**
 * Two postings moving `amount` into `to` out of `from`.
 * @returns {Posting[]}
 */
export function move(amount, currency, to, from) {
  return [
    { account: to, amount, currency },
    { account: from, amount: -amount, currency },
  ];
}

export class Ledger {
  /** @type {(Entry & { id: string })[]} */
  #transactions = [];
  #keys = new Set();

  /**
   * Posts `entry` unless `key` was posted before; answers whether it posted. The check and the
   * write happen together, with no await between, so concurrent handlers cannot both post.
   * @param {string} key
   * @param {Entry} entry
   */
  post(key, entry) {
    if (this.#keys.has(key)) return false;
    const postings = entry.postings.filter((posting) => posting.amount !== 0);
    if (postings.length === 0) return false;
    assertBalanced(key, postings);
    this.#keys.add(key);
    const { usage, ...rest } = entry;
    this.#transactions.push({
      id: `t_${this.#transactions.length + 1}`,
      ...rest,
      postings,
      ...(usage?.length ? { usage } : {}),
    });
    return true;
  }

  /** @param {string} key */
  has(key) {
    return this.#keys.has(key);
  }

  /** The export of the fakepsp SUT binding (`GET /fakepsp/ledger`). */
  export() {
    return { transactions: structuredClone(this.#transactions) };
  }
}

/** @param {string} key @param {Posting[]} postings */
function assertBalanced(key, postings) {
  const sums = new Map();
  for (const { amount, currency } of postings) {
    if (!Number.isSafeInteger(amount)) throw new Error(`${key}: ${amount} is not integer minor units`);
    sums.set(currency, (sums.get(currency) ?? 0) + amount);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0) throw new Error(`${key}: postings sum to ${sum} ${currency}, not zero`);
  }
}
