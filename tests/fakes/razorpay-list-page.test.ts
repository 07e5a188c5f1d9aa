import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnitOfWork } from '../../src/fakes/common/unit-of-work.ts';
import { pageOfTable } from '../../src/fakes/razorpay/list-page.ts';
import { page, type ListOptions } from '../../src/fakes/razorpay/params.ts';

// A stored record holding its entity, as Razorpay's payment records do.
type Entity = { readonly id: string; readonly created_at: number; readonly kind: 'a' | 'b' };
type Row = { readonly entity: Entity };

const keys = ['pay_1', 'pay_2', 'pay_3', 'pay_4', 'pay_5', 'pay_6'];

type Op =
  // A write in a unit of its own; a new row takes the clock's time, a changed one keeps its own
  // (an entity's created_at never changes).
  | { readonly kind: 'set'; readonly key: string; readonly entityKind: 'a' | 'b' }
  | { readonly kind: 'delete'; readonly key: string }
  | { readonly kind: 'tick'; readonly seconds: number }
  // A new row created before the newest one: what a clock never does, read the slow way.
  | { readonly kind: 'backdated'; readonly key: string }
  | {
      readonly kind: 'list';
      readonly options: ListOptions;
      readonly only: 'a' | 'b' | 'any';
      readonly open: boolean;
    };

const options: fc.Arbitrary<ListOptions> = fc.record({
  count: fc.integer({ min: 1, max: 5 }),
  skip: fc.integer({ min: 0, max: 6 }),
  from: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  to: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
});

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      key: fc.constantFrom(...keys),
      entityKind: fc.constantFrom('a' as const, 'b' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...keys) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 0, max: 2 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('backdated' as const), key: fc.constantFrom(...keys) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('list' as const),
      options,
      only: fc.constantFrom('a' as const, 'b' as const, 'any' as const),
      open: fc.boolean(),
    }),
  },
);

describe("Razorpay's list pages read by place", () => {
  it('give what sorting every entity gives, through writes, deletions, clock ticks and open units', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.boolean(), (ops, allowBackdating) => {
        const unit = new UnitOfWork();
        const table = unit.table<Row>({ drafts: true });
        let now = 1;
        const listed = (only: 'a' | 'b' | 'any') => ({
          entity: (row: Row) => row.entity,
          createdAt: (entity: Entity) => entity.created_at,
          matches: (entity: Entity) => only === 'any' || entity.kind === only,
        });
        const expected = (only: 'a' | 'b' | 'any', wanted: ListOptions) => {
          const { entity, createdAt, matches } = listed(only);
          return page(table.values().map(entity).filter(matches), createdAt, wanted);
        };
        for (const each of ops) {
          if (each.kind === 'tick') now += each.seconds;
          else if (each.kind === 'delete') unit.run(() => table.delete(each.key));
          else if (
            each.kind === 'set' ||
            (each.kind === 'backdated' && allowBackdating && table.get(each.key) === undefined)
          ) {
            const existing = table.get(each.key)?.entity;
            const createdAt = each.kind === 'backdated' ? now - 3 : (existing?.created_at ?? now);
            const entityKind = each.kind === 'set' ? each.entityKind : 'a';
            unit.run(() =>
              table.set(each.key, { entity: { id: each.key, created_at: createdAt, kind: entityKind } }),
            );
          } else if (each.kind === 'list') {
            const read = () => {
              expect(pageOfTable(table, listed(each.only), each.options)).toEqual(
                expected(each.only, each.options),
              );
            };
            if (!each.open) read();
            // Inside a unit that has written here, the page shows its writes too.
            else
              unit.run(() => {
                const createdAt = table.get('pay_new')?.entity.created_at ?? now;
                table.set('pay_new', { entity: { id: 'pay_new', created_at: createdAt, kind: 'b' } });
                read();
              });
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
