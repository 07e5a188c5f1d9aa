import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import { expand, int, parseParams, text } from '../params.ts';
import { isDeleted, type StripeObject } from '../store.ts';
import { searchableResources, searchMatcher } from './fields.ts';
import { parseSearchQuery, SearchQueryError } from './query.ts';

const searchSchema = z.strictObject({
  query: text(),
  limit: int({ min: 1, max: 100 }).optional(),
  page: text().optional(),
  expand,
});

// A page token names the last object of the page before, as a list's cursor does.
const pagePrefix = 'fakepsp-after:';
const pageToken = (id: string) => Buffer.from(`${pagePrefix}${id}`).toString('base64url');

function afterOf(page: string | undefined): string | undefined {
  if (page === undefined) return undefined;
  const decoded = Buffer.from(page, 'base64url').toString();
  if (!decoded.startsWith(pagePrefix))
    fail({ kind: 'invalid_request', param: 'page', message: `Invalid page: ${page}` });
  return decoded.slice(pagePrefix.length);
}

/**
 * `GET /v1/<resource>/search`: the objects the query matches, newest first, in Stripe's
 * `search_result` envelope with a `next_page` token. Unlike Stripe's (searchable within about a
 * minute), the fake's index is never behind: an object is found as soon as it is written.
 */
function searchHandler(resource: string): StripeHandler {
  const type = resource.slice(0, -1);
  const url = `/v1/${resource}/search`;
  return (context) => {
    const params = parseParams(searchSchema, context.params);
    let matches: (object: StripeObject) => boolean;
    try {
      matches = searchMatcher(resource, parseSearchQuery(params.query));
    } catch (error) {
      if (!(error instanceof SearchQueryError)) throw error;
      fail({ kind: 'invalid_request', param: 'query', message: error.message });
    }
    const pageParams = { limit: params.limit, starting_after: afterOf(params.page) };
    const kept = (object: StripeObject) => !isDeleted(object) && matches(object);
    const page = listPage(context.tx, pageParams, type, [], kept, url);
    const last = page.data.at(-1);
    const nextPage = page.has_more && last !== undefined ? pageToken(last.id) : null;
    return { object: 'search_result', data: page.data, has_more: page.has_more, next_page: nextPage, url };
  };
}

/** The search routes, before each resource's `/:id` routes would take `search` for an id. */
export const searchRoutes: readonly Route<StripeHandler>[] = searchableResources.map((resource) => ({
  method: 'GET',
  pattern: `/v1/${resource}/search`,
  handler: searchHandler(resource),
}));
