import { deepFreeze, type Freeze } from '../common/deep-freeze.ts';
import { FieldIndexes, hasValue, type IndexedBy } from '../common/field-index.ts';
import type { SpillFile } from '../common/spill-file.ts';
import { SpilledRows, type SpilledVersion } from '../common/spilled-rows.ts';
import type { Collection, PlacedObjects, StripeObject } from './store-collections.ts';
import { spilledObject, spilledText, type SpilledAt } from './spilled-records.ts';

/** How a collection spills: the file, and how many recent objects it keeps as they are. */
export interface SpillOptions {
  readonly file: SpillFile;
  readonly recent: number;
  /** Where an object an event carries was spilled (see {@link spilledText}). */
  readonly spilledAt?: SpilledAt;
  /** What an object read back goes through (frozen by default, as the store's own). */
  readonly freeze?: Freeze;
}

const spilledNowhere: SpilledAt = () => undefined;

/**
 * One scope's objects of one type, kept in a {@link SpillFile} rather than on the heap (see
 * {@link SpilledRows}), by id. An event's record points at the object it carries rather than
 * repeating it (see {@link spilledText}).
 * `appended` (events): ids are fresh, so they are indexed only once someone looks one up.
 */
export class SpilledCollection implements Collection {
  readonly #rows: SpilledRows<StripeObject>;
  readonly #appended: boolean;
  readonly #indexes = new FieldIndexes<StripeObject>(() => this.#rows.entries());

  constructor(options: SpillOptions, appended: boolean) {
    const { file, spilledAt = spilledNowhere, freeze = deepFreeze } = options;
    const codec = {
      text: (object: StripeObject) => spilledText(object, spilledAt),
      value: (text: string) => spilledObject(text, file),
    };
    this.#rows = new SpilledRows({ file, recent: options.recent, codec, appended, freeze });
    this.#appended = appended;
  }

  /** How many places were handed out (removed objects' included). */
  get length(): number {
    return this.#rows.length;
  }

  get size(): number {
    return this.#rows.size;
  }

  get(id: string): StripeObject | undefined {
    return this.#rows.get(id);
  }

  placeOf(id: string): number | undefined {
    return this.#rows.placeOf(id);
  }

  at(place: number): StripeObject | undefined {
    return this.#rows.at(place);
  }

  set(object: StripeObject): void {
    const previous = this.#indexes.active ? this.get(object.id) : undefined;
    this.#rows.set(object.id, object);
    this.#indexes.wrote(object.id, previous, object);
  }

  replace(object: StripeObject): boolean {
    if (this.#appended) return this.#rows.replace(object.id, object);
    if (!this.#rows.has(object.id)) return false;
    this.set(object);
    return true;
  }

  delete(id: string): void {
    if (this.#appended) throw new Error('objects of an appended collection are never deleted');
    const previous = this.get(id);
    if (previous === undefined) return;
    this.#indexes.wrote(id, previous, undefined);
    this.#rows.delete(id);
  }

  values(): StripeObject[] {
    return [...this.#rows.values()];
  }

  where(by: IndexedBy<StripeObject>, value: unknown): StripeObject[] {
    if (this.#appended || typeof value !== 'string')
      return this.values().filter((object) => hasValue(object, by, value));
    return this.#indexes.keysWith(by, value).map((id) => this.get(id)!);
  }

  placed(): PlacedObjects<StripeObject> {
    return this.#rows;
  }

  /** The latest version of an id, and where it was written, while it is among the recent ones. */
  latestOf(id: string): SpilledVersion<StripeObject> | undefined {
    return this.#rows.latestOf(id);
  }
}
