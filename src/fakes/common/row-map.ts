import type { Freeze } from './deep-freeze.ts';
import { placedObjects, type Placed, type PlacedKeys } from './field-index.ts';
import { SpillFile } from './spill-file.ts';
import { SpilledRows } from './spilled-rows.ts';

/** When a fake's rows leave the heap for a spill file (a long `serve`), and how. */
export interface RowSpill {
  /** Past how many rows of one kind they move to the file. */
  readonly after: number;
  /**
   * How many rows last written or read each spilled kind keeps as they are; also how many
   * waiting webhook deliveries a chunk holds before it goes to a file.
   */
  readonly recent: number;
  /** Where the file goes (the OS's temporary folder when absent). */
  readonly directory?: string;
}

/** A fake's spill as its row maps share it: the policy, one file for all, and what reads go through. */
export class SharedSpill {
  readonly policy: RowSpill;
  readonly freeze: () => Freeze;
  #file: SpillFile | undefined;

  constructor(policy: RowSpill, freeze: () => Freeze) {
    this.policy = policy;
    this.freeze = freeze;
  }

  /** Made when the first kind spills. */
  get file(): SpillFile {
    return (this.#file ??= new SpillFile(this.policy.directory));
  }
}

/**
 * A fake's rows of one kind by key, in insertion order: a Map, until the fake's spill (if it has
 * one) says they are too many to keep on the heap; then a {@link SpilledRows}, as the fake
 * Stripe's store spills. A `serve` loaded with a million Adyen payments holds a file, not a
 * million objects the garbage collector walks on every mark (without it, 20 MB a second grew).
 */
export class RowMap<V extends object> {
  #rows: Map<string, V> | SpilledRows<V> = new Map();
  readonly #spill: () => SharedSpill | undefined;

  /** @param spill the fake's spill, asked at each write (a fake is told to spill after its store is made) */
  constructor(spill: () => SharedSpill | undefined) {
    this.#spill = spill;
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Whether the rows are in a spill file. */
  get spilled(): boolean {
    return this.#rows instanceof SpilledRows;
  }

  get(key: string): V | undefined {
    return this.#rows.get(key);
  }

  has(key: string): boolean {
    return this.#rows.has(key);
  }

  set(key: string, value: V): void {
    const rows = this.#rows;
    rows.set(key, value);
    if (!(rows instanceof Map)) return;
    const spill = this.#spill();
    if (spill !== undefined && rows.size > spill.policy.after) this.#rows = spilledFrom(rows, spill);
  }

  delete(key: string): void {
    this.#rows.delete(key);
  }

  entries(): Iterable<readonly [string, V]> {
    return this.#rows.entries();
  }

  values(): Iterable<V> {
    return this.#rows.values();
  }

  /** The rows by creation place: a spill file's own, or the Map's through the keys' places. */
  placed(keys: () => PlacedKeys): Placed<V> {
    const rows = this.#rows;
    return rows instanceof Map ? placedObjects(keys(), rows) : rows;
  }
}

function spilledFrom<V extends object>(rows: Map<string, V>, spill: SharedSpill): SpilledRows<V> {
  const { file, policy } = spill;
  const spilled = new SpilledRows<V>({ file, recent: policy.recent, freeze: spill.freeze() });
  for (const [key, value] of rows) spilled.set(key, value);
  return spilled;
}
