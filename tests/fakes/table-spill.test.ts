import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnitOfWork, type Table } from '../../src/fakes/common/unit-of-work.ts';

// A row found by its parent, with a nested object (what the spill writes and reads back).
type Row = { parent: string | null; inner: { n: number; tags: string[] } };

const keys = ['a', 'b', 'c', 'd', 'e'];
const parents = ['p1', 'p2', null];

type Op =
  | { readonly kind: 'set'; readonly key: string; readonly parent: string | null }
  | { readonly kind: 'delete'; readonly key: string }
  // On a drafts table: read a row and change it in place, as handlers do.
  | { readonly kind: 'edit'; readonly key: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      key: fc.constantFrom(...keys),
      parent: fc.constantFrom(...parents),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), key: fc.constantFrom(...keys) }) },
);

const units = fc.array(fc.record({ ops: fc.array(op, { maxLength: 6 }), commits: fc.boolean() }), {
  minLength: 3,
  maxLength: 20,
});

/** Applies one unit's ops to a table: committed, or thrown away. */
function apply(
  unit: UnitOfWork,
  rows: Table<Row>,
  ops: readonly Op[],
  commits: boolean,
  drafts: boolean,
): void {
  let n = 0;
  try {
    unit.run(() => {
      for (const each of ops) {
        if (each.kind === 'set')
          rows.set(each.key, { parent: each.parent, inner: { n: n++, tags: [each.key] } });
        else if (each.kind === 'delete') rows.delete(each.key);
        else if (drafts) {
          const found = rows.get(each.key);
          if (found !== undefined) found.inner.tags.push('edited');
        }
      }
      if (!commits) throw new Error('rolled back');
    });
  } catch (error) {
    if ((error as Error).message !== 'rolled back') throw error;
  }
}

/** Everything a reader can see of a table, each place read through `placed()`. */
function seen(rows: Table<Row>) {
  const placed = rows.placed()!;
  const byPlace = Array.from({ length: placed.length }, (_, place) => placed.at(place)).filter(
    (row) => row !== undefined,
  );
  return {
    values: rows.values(),
    entries: [...rows.entries()],
    byKey: keys.map((key) => [rows.has(key), rows.get(key)]),
    byPlace,
    placeOf: keys.map((key) => {
      const place = placed.placeOf(key);
      return place === undefined ? undefined : placed.at(place);
    }),
    where: parents.map((parent) => (parent === null ? [] : rows.where('parent', parent))),
  };
}

describe('a table past its spill threshold', () => {
  for (const drafts of [false, true]) {
    it(`reads as the same table kept in memory, through units that commit or not (drafts: ${drafts})`, () => {
      let spilledRuns = 0;
      fc.assert(
        fc.property(units, fc.integer({ min: 0, max: 3 }), (plan, after) => {
          const inMemory = new UnitOfWork();
          const spilling = new UnitOfWork();
          spilling.spillRows({ after, recent: 1 });
          const kept = inMemory.table<Row>({ drafts });
          const spilled = spilling.table<Row>({ drafts });
          for (const { ops, commits } of plan) {
            apply(inMemory, kept, ops, commits, drafts);
            apply(spilling, spilled, ops, commits, drafts);
            expect(seen(spilled)).toEqual(seen(kept));
          }
          if (kept.values().length > after) expect(spilled.spilled).toBe(true);
          if (spilled.spilled) spilledRuns++;
        }),
        { numRuns: 400 },
      );
      // The property held over tables that did spill, not only over small ones.
      expect(spilledRuns).toBeGreaterThan(100);
    });
  }

  it('keeps rows written outside units (published events) the same way', () => {
    const unit = new UnitOfWork();
    unit.spillRows({ after: 2, recent: 1 });
    const events = unit.rows<{ id: string; n: number }>();
    for (let n = 0; n < 6; n++) events.set(`evt_${n}`, { id: `evt_${n}`, n });
    expect(events.spilled).toBe(true);
    expect(events.size).toBe(6);
    expect(events.has('evt_4')).toBe(true);
    expect(events.has('evt_9')).toBe(false);
    expect(events.get('evt_1')).toEqual({ id: 'evt_1', n: 1 });
    expect([...events.values()].map((event) => event.n)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('stays in memory without a spill, however many rows it holds', () => {
    const unit = new UnitOfWork();
    const rows = unit.table<Row>();
    unit.run(() => {
      for (let n = 0; n < 50; n++) rows.set(`k${n}`, { parent: null, inner: { n, tags: [] } });
    });
    expect(rows.spilled).toBe(false);
    expect(rows.values()).toHaveLength(50);
  });
});
