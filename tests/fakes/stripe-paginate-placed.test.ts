import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paginate, paginatePlaced, type PageParams } from '../../src/fakes/stripe/list.ts';
import type { StripeObject } from '../../src/fakes/stripe/store.ts';

// A removed object leaves a hole at its place: the place reads as nothing, and its id is unknown.
type Item = StripeObject & { readonly kind: 'a' | 'b' | 'removed' };

/** What a call gives: its page, or the error it fails with. */
function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error), ...(error as object) };
  }
}

const ids = Array.from({ length: 30 }, (_, n) => `evt_${n}`);

describe('paging the newest objects of a long list by place', () => {
  it('gives the page, has_more and errors that paging the whole filtered list gives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a' as const, 'b' as const, 'removed' as const), { maxLength: 30 }),
        fc.constantFrom<'a' | 'b' | 'any'>('a', 'b', 'any'),
        fc.record({
          limit: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
          starting_after: fc.option(fc.constantFrom(...ids, 'evt_missing'), { nil: undefined }),
          ending_before: fc.option(fc.constantFrom(...ids, 'evt_missing'), { nil: undefined }),
        }),
        (kinds, wanted, page: PageParams) => {
          const items: Item[] = kinds.map((kind, n) => ({ id: `evt_${n}`, object: 'event', kind }));
          const matches = (item: Item) => wanted === 'any' || item.kind === wanted;
          const kept = (item: Item | undefined) => (item?.kind === 'removed' ? undefined : item);
          const placed = {
            length: items.length,
            at: (place: number) => kept(items[place]),
            placeOf: (id: string) => {
              const place = items.findIndex((item) => item.id === id && kept(item) !== undefined);
              return place < 0 ? undefined : place;
            },
          };
          const stored = items.filter((item) => kept(item) !== undefined);
          expect(outcome(() => paginatePlaced(page, placed, matches, '/v1/events'))).toEqual(
            outcome(() => paginate(page, stored.filter(matches), '/v1/events')),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
