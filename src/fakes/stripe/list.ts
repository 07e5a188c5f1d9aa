import { fail } from './errors.ts';
import type { TimestampRange } from './params.ts';
import type { StripeObject } from './store.ts';
import type { PlacedObjects } from './store-collections.ts';
import type { Transaction } from './transaction.ts';

export type { PlacedObjects } from './store-collections.ts';

/** Stripe's list envelope. */
export interface StripeList<T> {
  readonly object: 'list';
  readonly data: T[];
  readonly has_more: boolean;
  readonly url: string;
}

const limitDefault = 10;

/** The validated pagination params of a list request (see `listParams`). */
export interface PageParams {
  readonly limit?: number | undefined;
  readonly starting_after?: string | undefined;
  readonly ending_before?: string | undefined;
  /** Only objects created within it. */
  readonly created?: TimestampRange | undefined;
}

/** Whether an object was created within the page's `created` range (any object, without one). */
function createdWithin(range: TimestampRange | undefined): (object: StripeObject) => boolean {
  if (range === undefined) return () => true;
  const { gt = -Infinity, gte = -Infinity, lt = Infinity, lte = Infinity } = range;
  return (object) => {
    const { created } = object as { created?: unknown };
    return typeof created === 'number' && created > gt && created >= gte && created < lt && created <= lte;
  };
}

/**
 * Pages objects as Stripe does: newest first, `limit` 1–100 (default 10), cursors
 * `starting_after` / `ending_before` naming an object id, an exact `has_more`, and only the objects
 * `created` within the range asked for, if any.
 *
 * @example
 * return paginate(params, context.tx.values('customer'), '/v1/customers');
 */
export function paginate<T extends StripeObject>(
  page: PageParams,
  oldestFirst: readonly T[],
  url: string,
): StripeList<T> {
  const params = page;
  const limit = params.limit ?? limitDefault;
  const created = createdWithin(params.created);
  const newestFirst = (
    params.created === undefined ? [...oldestFirst] : oldestFirst.filter(created)
  ).reverse();
  refuseBothCursors(params);
  if (params.ending_before !== undefined) {
    const index = cursorIndex(newestFirst, params.ending_before, 'ending_before');
    const start = Math.max(0, index - limit);
    return { object: 'list', data: newestFirst.slice(start, index), has_more: start > 0, url };
  }
  const start =
    params.starting_after === undefined
      ? 0
      : cursorIndex(newestFirst, params.starting_after, 'starting_after') + 1;
  const data = newestFirst.slice(start, start + limit);
  return { object: 'list', data, has_more: start + limit < newestFirst.length, url };
}

/** Stripe's 400 for a page asked both before and after a cursor. */
function refuseBothCursors(page: PageParams): void {
  if (page.starting_after !== undefined && page.ending_before !== undefined) {
    fail({
      kind: 'invalid_request',
      message: 'You may only specify one of these parameters: ending_before, starting_after.',
    });
  }
}

function cursorIndex(items: readonly StripeObject[], id: string, param: string): number {
  const index = items.findIndex((item) => item.id === id);
  if (index === -1) fail({ kind: 'resource_missing', objectName: 'object', id, param });
  return index;
}

/**
 * What {@link paginate} gives for the objects that `matches` keeps, read from the newest back
 * only as far as the page needs: a list of a million events costs its page, not a copy of them all.
 */
export function paginatePlaced<T extends StripeObject>(
  page: PageParams,
  objects: PlacedObjects<T>,
  matches: (object: T) => boolean,
  url: string,
): StripeList<T> {
  const limit = page.limit ?? limitDefault;
  refuseBothCursors(page);
  const created = createdWithin(page.created);
  const kept = page.created === undefined ? matches : (object: T) => created(object) && matches(object);
  // A cursor names an object of the list itself: one the filter keeps.
  const cursorPlace = (id: string, param: string): number => {
    const place = objects.placeOf(id);
    const object = place === undefined ? undefined : objects.at(place);
    if (object === undefined || !kept(object))
      fail({ kind: 'resource_missing', objectName: 'object', id, param });
    return place!;
  };
  // Up to `count` matching places walking from `from` by `step`, and whether one more lies beyond.
  const walk = (from: number, step: 1 | -1, count: number) => {
    const found: T[] = [];
    for (let place = from; place >= 0 && place < objects.length; place += step) {
      const object = objects.at(place);
      if (object === undefined || !kept(object)) continue;
      if (found.length === count) return { found, more: true };
      found.push(object);
    }
    return { found, more: false };
  };
  if (page.ending_before !== undefined) {
    const newer = walk(cursorPlace(page.ending_before, 'ending_before') + 1, 1, limit);
    return { object: 'list', data: newer.found.reverse(), has_more: newer.more, url };
  }
  const from =
    page.starting_after === undefined
      ? objects.length - 1
      : cursorPlace(page.starting_after, 'starting_after') - 1;
  const older = walk(from, -1, limit);
  return { object: 'list', data: older.found, has_more: older.more, url };
}

/** A list endpoint's id filters, in the order the index is tried: a field (or function) and the id asked for. */
export type IdFilters<T> = ReadonlyArray<
  readonly [(keyof T & string) | ((object: T) => unknown), string | undefined]
>;

/**
 * A list endpoint's page of a type (in `scope`, the request's account unless named): `matches`
 * is every filter it was asked for. With an id filter given, the objects come from the first
 * one's index; without, the page is read from the store's newest object back only as far as it
 * goes, so auto-paging through a million customers costs a page a request, not a copy of them all.
 *
 * @example
 * return listPage(context.tx, params, 'charge', [['customer', params.customer]], matches, '/v1/charges');
 */
export function listPage<T extends StripeObject>(
  tx: Transaction,
  page: PageParams,
  type: string,
  filters: IdFilters<T>,
  matches: (object: T) => boolean,
  url: string,
  scope: string = tx.scope,
): StripeList<T> {
  const placed = filters.some(([, value]) => value !== undefined) ? undefined : tx.placed<T>(type, scope);
  if (placed !== undefined) return paginatePlaced(page, placed, matches, url);
  return paginate(page, tx.narrowed<T>(type, filters, scope).filter(matches), url);
}
