import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnitOfWork, type Table } from '../../src/fakes/common/unit-of-work.ts';

// A row looked up by its parent, at the top level or nested (as Razorpay's payment records are),
// or by a list of ids.
type Row = { parent?: string | null; inner: { parent?: string | null }; parents: string[]; n: number };
const innerParent = (row: Row) => row.inner.parent;
// Found by any of several ids, as a subscription is by each of its items.
const parentsOf = (row: Row) => row.parents;

const keys = ['a', 'b', 'c', 'd'];
const parents = ['p1', 'p2', null, undefined];

type Op =
  | { readonly kind: 'set'; readonly key: string; readonly parent: string | null | undefined }
  | { readonly kind: 'delete'; readonly key: string }
  // On a drafts table: read a row and change its parent in place, as handlers do.
  | { readonly kind: 'edit'; readonly key: string; readonly parent: string | null | undefined }
  | { readonly kind: 'where'; readonly parent: string | null | undefined };

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
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      key: fc.constantFrom(...keys),
      parent: fc.constantFrom(...parents),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('where' as const), parent: fc.constantFrom(...parents) }),
  },
);

// Units of work, each committed or thrown away, with lookups between them.
const units = fc.array(fc.record({ ops: fc.array(op, { maxLength: 8 }), commits: fc.boolean() }), {
  minLength: 5,
  maxLength: 25,
  size: 'max',
});

// Its list: the parent with the next one, so rows share ids and a change moves a row between lists.
const row = (parent: string | null | undefined, n: number): Row => {
  const parents = parent === 'p1' ? ['p1', 'p2'] : parent === 'p2' ? ['p2', 'p2'] : [];
  return parent === undefined ? { inner: {}, parents, n } : { parent, inner: { parent }, parents, n };
};

function expectLookupsAgree(rows: Table<Row>, parent: string | null | undefined): void {
  if (typeof parent !== 'string') return;
  expect(rows.where('parent', parent)).toEqual(rows.values().filter((each) => each.parent === parent));
  expect(rows.where(innerParent, parent)).toEqual(
    rows.values().filter((each) => innerParent(each) === parent),
  );
  expect(rows.where(parentsOf, parent)).toEqual(
    rows.values().filter((each) => each.parents.includes(parent)),
  );
}

describe('finding rows of a table by a field', () => {
  for (const drafts of [false, true]) {
    it(`gives what filtering every row gives, in order, through units that commit or not (drafts: ${drafts})`, () => {
      fc.assert(
        fc.property(units, (plan) => {
          const unit = new UnitOfWork();
          const rows = unit.table<Row>({ drafts });
          let n = 0;
          for (const { ops, commits } of plan) {
            try {
              unit.run(() => {
                for (const each of ops) {
                  if (each.kind === 'set') rows.set(each.key, row(each.parent, n++));
                  else if (each.kind === 'delete') rows.delete(each.key);
                  else if (each.kind === 'edit') {
                    const found = drafts ? rows.get(each.key) : undefined;
                    if (found !== undefined) {
                      found.parent = each.parent ?? null;
                      found.inner.parent = each.parent ?? null;
                      found.parents = row(each.parent, 0).parents;
                    }
                  } else expectLookupsAgree(rows, each.parent);
                }
                if (!commits) throw new Error('rolled back');
              });
            } catch (error) {
              if ((error as Error).message !== 'rolled back') throw error;
            }
            for (const parent of parents) expectLookupsAgree(rows, parent);
          }
        }),
        { numRuns: 1500 },
      );
    });
  }
});
