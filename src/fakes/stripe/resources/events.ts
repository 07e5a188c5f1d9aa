import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import { bool, expandOnly, listParams, parseParams, text } from '../params.ts';

const listSchema = z.strictObject({
  ...listParams,
  type: text().optional(),
  types: z.array(text()).max(20).optional(),
  delivery_success: bool().optional(),
});

// `type` may end in `*` (e.g. `invoice.*`), as Stripe's filter allows.
function typeMatches(filter: string, type: string): boolean {
  return filter.endsWith('*') ? type.startsWith(filter.slice(0, -1)) : filter === type;
}

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  if (params.type !== undefined && params.types !== undefined) {
    fail({ kind: 'invalid_request', message: 'You may only specify one of these parameters: type, types.' });
  }
  const matches = (event: Stripe.Event) => {
    // Not all delivered: still pending at some endpoint, or abandoned there after every retry.
    if (params.delivery_success !== undefined && params.delivery_success !== (event.pending_webhooks === 0))
      return false;
    if (params.type !== undefined) return typeMatches(params.type, event.type);
    if (params.types !== undefined) return params.types.some((type) => typeMatches(type, event.type));
    return true;
  };
  return listPage(context.tx, params, 'event', [], matches, '/v1/events');
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const event = context.tx.get<Stripe.Event>('event', path.id!);
  if (event === undefined) fail({ kind: 'resource_missing', objectName: 'event', id: path.id! });
  return event;
};

export const eventsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'GET', pattern: '/v1/events', handler: list },
  { method: 'GET', pattern: '/v1/events/:id', handler: retrieve },
];
