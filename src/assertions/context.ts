import type { PspName } from '../fakes/common/psp-core.ts';
import type { CreateCustomerRequest, Ledger, LedgerTransaction } from '../sut/contract.ts';
import { JournalIndex, type JournalInput } from './journal-index.ts';
import type { MoneyMovement, PspObjectRecord, PspRecords } from './psp-records.ts';

/** One accepted usage event as the harness sent it (repeats of an `eventId` are one event). */
export interface AcceptedUsage {
  readonly customerId: string;
  readonly meter: string;
  readonly eventId: string;
  readonly quantity: number;
  /** ISO 8601: when the event happened (its `at`), for exact billing by period. */
  readonly at?: string;
  /** ISO 8601: when the harness told the SUT, which may be later (late or backfilled usage). */
  readonly recordedAt?: string;
}

/** A quantity the SUT billed (or reported to the PSP's meter) for a customer and meter. */
export interface BilledUsage {
  readonly customerId: string;
  readonly meter: string;
  readonly quantity: number;
}

/** Usage facts for the conservation check. */
export interface UsageFacts {
  readonly accepted: readonly AcceptedUsage[];
  readonly billed: readonly BilledUsage[];
  /**
   * `exact` (default): billed equals accepted. `no-overbilling`: only billing more than was
   * accepted is a break — for runs that end inside a billing period, whose usage is not billed yet.
   */
  readonly mode?: 'exact' | 'no-overbilling';
}

/**
 * What bounds the money a customer's plan owes by the end of a run: base fees for every period
 * begun since sign-up, distinct accepted usage at its unit prices (from {@link UsageFacts}), and
 * the wallet top-ups asked for.
 */
export interface PlanFacts {
  /** ISO 8601 sign-up instant per customer id. */
  readonly since: Readonly<Record<string, string>>;
  /** ISO 8601: the end of the run. */
  readonly until: string;
  readonly topUps: readonly {
    readonly customerId: string;
    readonly amount: number;
    readonly currency: string;
  }[];
  /**
   * `plan` (default): customers are charged by their plan, base fees and usage, so what they were
   * charged is checked exactly. `wallet`: they only top up a wallet that usage is paid from (the
   * embedded pattern), so charges are top-ups and only the upper bound applies. `psp-meter`: the
   * PSP bills by its own meter (the fully managed pattern), which bills usage only with a period
   * still open when it is reported: usage backfilled into a period already invoiced is not owed.
   */
  readonly billing?: 'plan' | 'wallet' | 'psp-meter';
  /**
   * PSP customers whose billing someone changed at the PSP, outside the service (a dashboard
   * coupon, credit note or subscription schedule): what their plan owes no longer says what they
   * pay, so they are not held to it to the minor unit.
   */
  readonly repricedAtPsp?: readonly { readonly psp: string; readonly pspCustomerId: string }[];
}

/** What {@link reconcile} reads. Everything but the ledger and the PSP records is optional. */
export interface ReconcileInput {
  readonly ledger: Ledger;
  readonly psps: readonly PspRecords[];
  readonly journal?: JournalInput;
  /** The customers the harness created, with their plans (prices usage in money). */
  readonly customers?: readonly CreateCustomerRequest[];
  readonly usage?: UsageFacts;
  /** When customers signed up and what top-ups were asked for: with `customers`, bounds what a plan owes. */
  readonly plans?: PlanFacts;
  /** The lowest balance each customer's wallet may reach, minor units (default 0). */
  readonly walletFloorsMinor?: Readonly<Record<string, number>>;
}

/** A ledger transaction with its cash legs summed. */
export interface TxnFacts {
  readonly txn: LedgerTransaction;
  /** Position in the ledger export: unique even when ids repeat. */
  readonly position: number;
  /** The PSP whose cash account it touches, if any (the ref's PSP when several). */
  readonly cashPsp: PspName | null;
  /** Per currency: `psp:<psp>:cash` plus `fees:…` postings, i.e. the gross the PSP moved. */
  readonly gross: Amounts;
  /** Per currency: all postings, to check the double entry. */
  readonly balance: Amounts;
}

/**
 * Sums per currency. Nearly every transaction has one currency, so this is two short arrays
 * rather than a Map per transaction (the benchmark's 200k transactions noticed the difference).
 */
export class Amounts implements Iterable<[string, number]> {
  // The first currency inline; any others in a list, allocated only when needed.
  private currency: string | null = null;
  private amount = 0;
  private others: Array<[string, number]> | null = null;

  add(currency: string, amount: number): void {
    if (this.currency === null || this.currency === currency) {
      this.currency = currency;
      this.amount += amount;
      return;
    }
    this.others ??= [];
    const found = this.others.find((entry) => entry[0] === currency);
    if (found === undefined) this.others.push([currency, amount]);
    else found[1] += amount;
  }

  get(currency: string): number | undefined {
    if (this.currency === currency) return this.amount;
    return this.others?.find((entry) => entry[0] === currency)?.[1];
  }

  /** The non-zero sum of largest magnitude (the first on a tie), or null when all are zero. */
  largest(): { currency: string; amount: number } | null {
    let best =
      this.currency === null || this.amount === 0 ? null : { currency: this.currency, amount: this.amount };
    for (const [currency, amount] of this.others ?? []) {
      if (amount !== 0 && (best === null || Math.abs(amount) > Math.abs(best.amount)))
        best = { currency, amount };
    }
    return best;
  }

  /** Whether every currency sums to zero (the double entry holds). */
  allZero(): boolean {
    return this.amount === 0 && (this.others === null || this.others.every((entry) => entry[1] === 0));
  }

  *[Symbol.iterator](): Iterator<[string, number]> {
    if (this.currency === null) return;
    yield [this.currency, this.amount];
    if (this.others !== null) for (const [currency, amount] of this.others) yield [currency, amount];
  }
}

const noAmounts = new Amounts();

/** `psp:<psp>:cash` → `<psp>`, else null (string tests, not a regex: this runs per posting). */
function cashPspOf(account: string): string | null {
  return account.startsWith('psp:') && account.endsWith(':cash') ? account.slice(4, -5) : null;
}

function factsOf(txn: LedgerTransaction, position: number): TxnFacts {
  const gross = new Amounts();
  const balance = new Amounts();
  let cashPsp: string | null = null;
  let fees = false;
  for (const posting of txn.postings) {
    balance.add(posting.currency, posting.amount);
    const psp = cashPspOf(posting.account);
    if (psp !== null && (cashPsp === null || psp === txn.ref?.psp)) cashPsp = psp;
    const isFee = posting.account.startsWith('fees:');
    fees ||= isFee;
    if (psp !== null || isFee) gross.add(posting.currency, posting.amount);
  }
  // Fees booked without any PSP cash leg are not PSP money; leave them out.
  const psp = cashPsp as PspName | null;
  return { txn, position, cashPsp: psp, gross: psp === null && fees ? noAmounts : gross, balance };
}

/** Lists by PSP, then id: nested maps, so no key strings are built per lookup. */
class ByPspAndId<V> {
  private readonly maps = new Map<string, Map<string, V[]>>();

  add(psp: string, id: string, value: V): void {
    let byId = this.maps.get(psp);
    if (byId === undefined) this.maps.set(psp, (byId = new Map()));
    const list = byId.get(id);
    if (list === undefined) byId.set(id, [value]);
    else list.push(value);
  }

  get(psp: string, id: string): readonly V[] {
    return this.maps.get(psp)?.get(id) ?? none;
  }
}

const none: readonly never[] = [];
const key = (psp: string, id: string) => `${psp}\u0000${id}`;

/** The indexes every check shares, built once per reconcile. */
export class ReconcileContext {
  readonly input: ReconcileInput;
  readonly txns: readonly TxnFacts[];
  readonly movements: readonly MoneyMovement[];
  readonly journal: JournalIndex;
  readonly psps: ReadonlySet<string>;
  /** Which ledger transactions were matched to each movement (set by the movement checks). */
  readonly matches = new Map<MoneyMovement, TxnFacts[]>();
  /** The movement each ledger transaction was matched to. */
  readonly matchedBy = new Map<TxnFacts, MoneyMovement>();
  /** Ledger transactions and movements an item-level break already accounts for. */
  readonly explainedTxns = new Set<TxnFacts>();
  readonly explainedMovements = new Set<MoneyMovement>();
  private readonly byId = new ByPspAndId<MoneyMovement>();
  private readonly byParent = new ByPspAndId<MoneyMovement>();
  // Built on first use: only phantom and status questions need it, and it is the largest index.
  private objects: ByPspAndId<PspObjectRecord> | undefined;
  private readonly pspCustomers = new Map<string, string>();

  constructor(input: ReconcileInput) {
    this.input = input;
    this.txns = input.ledger.transactions.map(factsOf);
    this.movements = input.psps.flatMap((records) => records.movements);
    this.journal = new JournalIndex(input.journal ?? []);
    this.psps = new Set(input.psps.map((records) => records.psp));
    for (const movement of this.movements) {
      this.byId.add(movement.psp, movement.objectId, movement);
      for (const alias of movement.aliases) this.byId.add(movement.psp, alias, movement);
      if (movement.parentId !== null) this.byParent.add(movement.psp, movement.parentId, movement);
    }
    for (const records of input.psps) {
      for (const customer of records.customers) {
        if (customer.customerId !== null) {
          this.pspCustomers.set(key(customer.psp, customer.pspCustomerId), customer.customerId);
        }
      }
    }
  }

  /** Movements a ledger ref names: by the PSP object's id or one of its aliases. */
  movementsNamed(psp: string, id: string): readonly MoneyMovement[] {
    return this.byId.get(psp, id);
  }

  /** Refunds and disputes of a charge, for ledgers that book them against the charge's id. */
  movementsOfParent(psp: string, id: string): readonly MoneyMovement[] {
    return this.byParent.get(psp, id);
  }

  object(psp: string, id: string): PspObjectRecord | undefined {
    if (this.objects === undefined) {
      this.objects = new ByPspAndId();
      for (const records of this.input.psps) {
        for (const object of records.objects) this.objects.add(object.psp, object.objectId, object);
      }
    }
    return this.objects.get(psp, id)[0];
  }

  /**
   * The SUT customer a movement belongs to: what the PSP knows (customer metadata), else
   * what the ledger's matched transactions say about that PSP customer, else the PSP's id.
   */
  customerOf(movement: MoneyMovement): string | null {
    if (movement.customerId !== null) return movement.customerId;
    if (movement.pspCustomerId === null) return this.matches.get(movement)?.[0]?.txn.customerId ?? null;
    return this.customerOfPsp(movement.psp, movement.pspCustomerId);
  }

  /** The SUT customer a PSP customer stands for, else the PSP's own id. */
  customerOfPsp(psp: string, pspCustomerId: string): string {
    return this.pspCustomers.get(key(psp, pspCustomerId)) ?? `${psp}:${pspCustomerId}`;
  }

  /** Learns PSP customers from matched ledger transactions: the most frequent SUT id wins. */
  learnCustomersFromLedger(): void {
    const votes = new Map<string, Map<string, number>>();
    for (const [movement, txns] of this.matches) {
      if (movement.customerId !== null || movement.pspCustomerId === null) continue;
      const pspKey = key(movement.psp, movement.pspCustomerId);
      if (this.pspCustomers.has(pspKey)) continue;
      const tally = votes.get(pspKey) ?? new Map<string, number>();
      votes.set(pspKey, tally);
      for (const facts of txns) tally.set(facts.txn.customerId, (tally.get(facts.txn.customerId) ?? 0) + 1);
    }
    for (const [pspKey, tally] of votes) {
      const ranked = [...tally].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      if (ranked[0] !== undefined) this.pspCustomers.set(pspKey, ranked[0][0]);
    }
  }
}
