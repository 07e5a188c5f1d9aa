import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StripeStore, type StripeObject } from '../../src/fakes/stripe/store.ts';
import type { PlacedObjects } from '../../src/fakes/stripe/store-collections.ts';
import { Transaction } from '../../src/fakes/stripe/transaction.ts';

// A refund-like object: looked up by its `charge`, which may be missing, null or change.
type Refund = StripeObject & { readonly charge?: string | null; readonly n: number };

const ids = ['re_1', 're_2', 're_3', 're_4'];
const charges = ['ch_A', 'ch_B', null, undefined];
const scopes = ['platform', 'acct_1'];

type Step =
  | {
      readonly kind: 'put';
      readonly id: string;
      readonly charge: string | null | undefined;
      readonly n: number;
    }
  | { readonly kind: 'remove'; readonly id: string }
  | { readonly kind: 'where'; readonly charge: string | null | undefined }
  | { readonly kind: 'commit' };

// Commits and lookups often, so indexes exist and objects move between values after they do.
const step: fc.Arbitrary<Step & { readonly scope: string }> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      id: fc.constantFrom(...ids),
      charge: fc.constantFrom(...charges),
      n: fc.nat(99),
      scope: fc.constantFrom(...scopes),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('remove' as const),
      id: fc.constantFrom(...ids),
      scope: fc.constantFrom(...scopes),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('where' as const),
      charge: fc.constantFrom(...charges),
      scope: fc.constantFrom(...scopes),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('commit' as const), scope: fc.constantFrom(...scopes) }),
  },
);

const refund = (id: string, charge: string | null | undefined, n: number): Refund =>
  charge === undefined ? { id, object: 'refund', n } : { id, object: 'refund', charge, n };

/** Every object of a placed view, oldest first, each found again by its own id. */
function readPlaced(placed: PlacedObjects<StripeObject>): StripeObject[] {
  const objects: StripeObject[] = [];
  for (let place = 0; place < placed.length; place++) {
    const object = placed.at(place);
    if (object === undefined) continue;
    expect(placed.placeOf(object.id)).toBe(place);
    objects.push(object);
  }
  return objects;
}

describe('finding Stripe objects by a field', () => {
  it('gives what filtering every object of the type gives, in the same order, through writes and commits; so does reading by place', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 80, size: 'max' }), (steps) => {
        const store = new StripeStore();
        let tx = new Transaction(store, 'platform');
        for (const each of steps) {
          if (each.kind === 'put') tx.put(refund(each.id, each.charge, each.n), each.scope);
          else if (each.kind === 'remove') tx.remove('refund', each.id, each.scope);
          else if (each.kind === 'commit') {
            tx.commit();
            tx = new Transaction(store, 'platform');
          } else {
            expect(readPlaced(store.placed(each.scope, 'refund'))).toEqual(
              store.values(each.scope, 'refund'),
            );
            const placed = tx.placed<Refund>('refund', each.scope);
            const written = tx.pending('refund', each.scope).length > 0;
            expect(placed === undefined ? [] : readPlaced(placed)).toEqual(
              written ? [] : tx.values('refund', each.scope),
            );
            const expected = tx.values<Refund>('refund', each.scope).filter((r) => r.charge === each.charge);
            expect(tx.where<Refund>('refund', 'charge', each.charge, each.scope)).toEqual(expected);
            const committed = store
              .values(each.scope, 'refund')
              .filter((r) => (r as Refund).charge === each.charge);
            expect(store.where(each.scope, 'refund', 'charge', each.charge)).toEqual(committed);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps an object whose value changed at its creation place among the objects with the new value', () => {
    const store = new StripeStore();
    const put = (object: Refund) => store.put('platform', object);
    put(refund('re_1', 'ch_A', 1));
    put(refund('re_2', 'ch_B', 2));
    put(refund('re_3', 'ch_A', 3));
    const refundsOf = (charge: string) =>
      store.where('platform', 'refund', 'charge', charge).map((r) => r.id);
    // The index is made on first use, then kept through every write.
    expect(refundsOf('ch_A')).toEqual(['re_1', 're_3']);
    put(refund('re_4', 'ch_A', 4));
    put(refund('re_2', 'ch_A', 5));
    expect(refundsOf('ch_A')).toEqual(['re_1', 're_2', 're_3', 're_4']);
    expect(refundsOf('ch_B')).toEqual([]);
    store.remove('platform', 'refund', 're_3');
    put(refund('re_3', 'ch_A', 6));
    // Removed and stored again, it is the newest, as in the list of all.
    expect(refundsOf('ch_A')).toEqual(['re_1', 're_2', 're_4', 're_3']);
    expect(store.values('platform', 'refund').map((r) => r.id)).toEqual(['re_1', 're_2', 're_4', 're_3']);
  });
});
