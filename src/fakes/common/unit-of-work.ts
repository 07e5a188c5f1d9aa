import { strict as assert } from 'node:assert';
import { deepFreeze, trustHandlers, type Freeze } from './deep-freeze.ts';
import { FieldIndexes, hasValue, overlaidMatches, type IndexedBy, type Placed } from './field-index.ts';
import { RowMap, SharedSpill, type RowSpill } from './row-map.ts';

const removed = Symbol('removed');

/**
 * What a unit of work shares with its tables: whether it is open, which tables it wrote to, what
 * a stored object goes through (frozen, unless the fake trusts its handlers), and the spill.
 */
interface UnitState {
  open: boolean;
  readonly touched: Array<Pick<Table<object>, 'end'>>;
  freeze: Freeze;
  spill: SharedSpill | undefined;
}

/**
 * A keyed table of a fake's stored objects (insertion-ordered, like a Map). Writes go to the
 * open unit of work and reach the table only when it commits; reads see them at once. Stored
 * objects are frozen (unless the unit trusts its handlers): a change puts a new object, so a
 * handler that edits state in place throws.
 */
export class Table<V extends object> {
  readonly #stored: RowMap<V>;
  // The open unit's writes, made on its first write here: most units touch few of a fake's tables.
  #staged: Map<string, V | typeof removed> | undefined;
  readonly #unit: UnitState;
  readonly #drafts: boolean;
  readonly #indexes = new FieldIndexes<V>(() => this.#stored.entries());

  /**
   * @param drafts whether `get` inside a unit hands out a private copy to change in place (a
   *   draft, committed with the unit), for handlers written as "read it, then set its fields".
   */
  constructor(unit: UnitState, drafts = false) {
    this.#unit = unit;
    this.#drafts = drafts;
    this.#stored = new RowMap(() => unit.spill);
  }

  /** Whether the stored rows are in the unit's spill file (see {@link UnitOfWork.spillRows}). */
  get spilled(): boolean {
    return this.#stored.spilled;
  }

  get(key: string): V | undefined {
    const staged = this.#staged?.get(key);
    if (staged !== undefined) return staged === removed ? undefined : staged;
    const stored = this.#stored.get(key);
    if (stored === undefined || !this.#drafts || !this.#unit.open) return stored;
    const draft = structuredClone(stored);
    this.#stage().set(key, draft);
    return draft;
  }

  // Without a draft: asking whether a row exists does not copy it.
  has(key: string): boolean {
    const staged = this.#staged?.get(key);
    return staged === undefined ? this.#stored.has(key) : staged !== removed;
  }

  /** Every object, oldest first, the open unit's writes included. */
  values(): V[] {
    const staged = this.#staged;
    if (staged === undefined || staged.size === 0) return [...this.#stored.values()];
    return [...this.entries()].map(([, value]) => value);
  }

  /**
   * `values().filter((value) => hasValue(value, by, id))`: the objects with an id (a
   * modification's payment), through an index of the stored objects kept at commit, with the
   * open unit's writes laid over it.
   */
  where(by: IndexedBy<V>, id: string): V[] {
    const stored = this.#indexes.keysWith(by, id).map((key) => [key, this.#stored.get(key)!] as const);
    const staged = this.#staged;
    if (staged === undefined || staged.size === 0) return stored.map(([, value]) => value);
    const writes = [...staged].map(([key, write]) => [key, write === removed ? undefined : write] as const);
    const isStored = (key: string) => this.#stored.has(key);
    return (
      overlaidMatches(stored, writes, isStored, by, id) ??
      this.values().filter((value) => hasValue(value, by, id))
    );
  }

  /**
   * The stored objects by creation place, 0 the oldest (undefined: a removed object's place), for
   * a list page read from the newest back; undefined while the open unit has written here (only
   * a copy shows its writes).
   */
  placed(): Placed<V> | undefined {
    if (this.#staged !== undefined && this.#staged.size > 0) return undefined;
    return this.#stored.placed(() => this.#indexes.placed());
  }

  /** Every key and object, oldest first, the open unit's writes included. */
  *entries(): Iterable<readonly [string, V]> {
    const staged = this.#staged;
    for (const [key, value] of this.#stored.entries()) {
      const write = staged?.get(key);
      if (write === undefined) yield [key, value];
      else if (write !== removed) yield [key, write];
    }
    if (staged === undefined) return;
    for (const [key, write] of staged) if (write !== removed && !this.#stored.has(key)) yield [key, write];
  }

  set(key: string, value: V): V {
    assert(this.#unit.open, 'a write outside a unit of work');
    // A drafts table freezes at commit, so what was set may still be changed within the unit.
    this.#stage().set(key, this.#drafts ? value : this.#unit.freeze(value));
    return value;
  }

  delete(key: string): void {
    assert(this.#unit.open, 'a removal outside a unit of work');
    this.#stage().set(key, removed);
  }

  /** What the open unit has written here so far (removals left out). */
  *written(): Iterable<V> {
    for (const write of this.#staged?.values() ?? []) if (write !== removed) yield write;
  }

  /** @internal the unit of work's side: applies or drops this unit's writes here. */
  end(commit: boolean): void {
    const staged = this.#staged;
    this.#staged = undefined;
    if (!commit || staged === undefined) return;
    const indexes = this.#indexes;
    for (const [key, write] of staged) {
      // Read only for an index: a lookup in a large table is a cache miss or two.
      const previous = indexes.active ? this.#stored.get(key) : undefined;
      if (write === removed) this.#stored.delete(key);
      else this.#stored.set(key, this.#unit.freeze(write));
      indexes.wrote(key, previous, write === removed ? undefined : write);
    }
  }

  #stage(): Map<string, V | typeof removed> {
    if (this.#staged === undefined) {
      this.#staged = new Map();
      this.#unit.touched.push(this);
    }
    return this.#staged;
  }
}

/**
 * One request's (or one harness action's, or one job's) writes across a fake's tables: they
 * commit together once the work succeeds and its invariants hold, or vanish when it throws, so
 * a refused request leaves state byte-identical without every helper validating before it writes.
 */
export class UnitOfWork {
  // Shared with every table; a table made while a unit is open (on first use) joins that unit.
  readonly #state: UnitState = { open: false, touched: [], freeze: deepFreeze, spill: undefined };
  readonly #invariants: Array<() => void> = [];

  /** Leaves what later units store unfrozen (a `serve`'s fakes: see `trustHandlers` in deep-freeze.ts). */
  trustHandlers(): void {
    this.#state.freeze = trustHandlers;
  }

  /**
   * Moves each table's rows (and each {@link rows} map's) to a spill file once it holds more than
   * `spill.after` (a long `serve`: see {@link RowMap}).
   */
  spillRows(spill: RowSpill): void {
    const state = this.#state;
    state.spill = new SharedSpill(spill, () => state.freeze);
  }

  /** Rows written outside units (published events) that spill as the tables do. */
  rows<V extends object>(): RowMap<V> {
    const state = this.#state;
    return new RowMap<V>(() => state.spill);
  }

  /** A new table whose writes this unit buffers (`drafts`: see {@link Table}). */
  table<V extends object>(options: { readonly drafts?: boolean } = {}): Table<V> {
    return new Table<V>(this.#state, options.drafts === true);
  }

  /** A check run before every commit (refunded ≤ captured, …): a failure throws and commits nothing. */
  invariant(check: () => void): void {
    this.#invariants.push(check);
  }

  /**
   * Runs `work` as one unit; work started inside an open unit joins it (and has no savepoint of
   * its own). The work is synchronous: a unit cannot stay open across an await.
   */
  run<T>(work: () => T): T {
    const state = this.#state;
    if (state.open) return work();
    state.open = true;
    let committed = false;
    try {
      const result = work();
      assert(!(result instanceof Promise), 'a unit of work ran asynchronous work');
      for (const check of this.#invariants) check();
      committed = true;
      return result;
    } finally {
      state.open = false;
      // Only the tables this unit wrote to have anything to apply or drop.
      for (const table of state.touched) table.end(committed);
      state.touched.length = 0;
    }
  }
}
