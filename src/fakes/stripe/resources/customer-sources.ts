import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import {
  expand,
  expandOnly,
  int,
  listParams,
  mergeMetadata,
  metadata,
  parseParams,
  text,
} from '../params.ts';
import { isDeleted, type StripeObject } from '../store.ts';
import { cardFingerprint, cardForToken } from '../test-cards.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';
import { resolvePaymentMethod } from './payment-methods.ts';

/** The payment method a card source charges through, kept beside the card (sources predate them). */
interface SourceLink extends StripeObject {
  readonly object: 'fakepsp.source_payment_method';
  readonly paymentMethod: string;
}

const linkId = (cardId: string) => `${cardId}:payment_method`;

const createSchema = z.strictObject({
  source: text(),
  metadata: metadata.optional(),
  validate: z.unknown().optional(),
  expand,
});
const updateSchema = z.strictObject({
  metadata: metadata.optional(),
  name: text().optional(),
  exp_month: int({ min: 1, max: 12 }).optional(),
  exp_year: int().optional(),
  address_city: text().optional(),
  address_country: text().optional(),
  address_line1: text().optional(),
  address_line2: text().optional(),
  address_state: text().optional(),
  address_zip: text().optional(),
  expand,
});

/**
 * Saves a test token (`tok_visa`…) as a card source of the customer, its default source if it
 * has none. Charging the customer then works through the card, as legacy integrations expect.
 */
export function addCardSource(
  context: StripeContext,
  customer: Stripe.Customer,
  token: string,
  param = 'source',
): { readonly customer: Stripe.Customer; readonly card: Stripe.Card } {
  const entry = cardForToken(token);
  if (entry === undefined) fail({ kind: 'resource_missing', objectName: 'source', id: token, param });
  const method = resolvePaymentMethod(context, token, param);
  const year = new Date(context.nowSeconds * 1000).getUTCFullYear();
  const card: Stripe.Card = {
    id: context.ids.stripe('card_'),
    object: 'card',
    address_city: null,
    address_country: null,
    address_line1: null,
    address_line1_check: null,
    address_line2: null,
    address_state: null,
    address_zip: null,
    address_zip_check: null,
    brand: entry.brand.charAt(0).toUpperCase() + entry.brand.slice(1),
    country: 'US',
    customer: customer.id,
    cvc_check: 'pass',
    dynamic_last4: null,
    exp_month: 12,
    exp_year: year + 1,
    fingerprint: cardFingerprint(entry.number),
    funding: entry.funding,
    last4: entry.number.slice(-4),
    metadata: {},
    name: null,
    regulated_status: 'unregulated',
    tokenization_method: null,
  };
  context.tx.put(card);
  context.tx.put({ ...method, customer: customer.id });
  context.tx.put<SourceLink>({
    id: linkId(card.id),
    object: 'fakepsp.source_payment_method',
    paymentMethod: method.id,
  });
  const updated =
    customer.default_source === null ? context.tx.put({ ...customer, default_source: card.id }) : customer;
  return { customer: updated, card };
}

/** The payment method behind a customer's default card source, for charging it; none without one. */
export function defaultSourcePaymentMethod(context: StripeContext, customerId: string): string | null {
  const customer = context.tx.get<Stripe.Customer>('customer', customerId);
  const source = customer?.default_source;
  if (source === null || source === undefined) return null;
  const id = typeof source === 'string' ? source : source.id;
  return context.tx.get<SourceLink>('fakepsp.source_payment_method', linkId(id))?.paymentMethod ?? null;
}

function requireCard(context: StripeContext, customerId: string, id: string): Stripe.Card {
  const card = context.tx.get<Stripe.Card>('card', id);
  if (card === undefined || isDeleted(card) || card.customer !== customerId) {
    fail({ kind: 'resource_missing', objectName: 'source', id });
  }
  return card;
}

const create: StripeHandler = (context, path) => {
  const params = parseParams(createSchema, context.params);
  const customer = requireCustomer(context, path.id!);
  const added = addCardSource(context, customer, params.source);
  const card = context.tx.put<Stripe.Card>({ ...added.card, metadata: mergeMetadata({}, params.metadata) });
  context.emit('customer.source.created', card);
  if (added.customer !== customer) {
    context.emit('customer.updated', added.customer, changedAttributes(customer, added.customer));
  }
  return card;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireCard(context, requireCustomer(context, path.customer!).id, path.id!);
};

const update: StripeHandler = (context, path) => {
  const { metadata: meta, expand: _expand, ...fields } = parseParams(updateSchema, context.params);
  const existing = requireCard(context, requireCustomer(context, path.customer!).id, path.id!);
  const changed = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const updated: Stripe.Card = {
    ...existing,
    ...changed,
    metadata: mergeMetadata(existing.metadata ?? {}, meta),
  };
  context.tx.put(updated);
  context.emit('customer.source.updated', updated, changedAttributes(existing, updated));
  return updated;
};

const remove: StripeHandler = (context, path) => {
  const customer = requireCustomer(context, path.customer!);
  const card = requireCard(context, customer.id, path.id!);
  context.tx.put({ ...card, deleted: true } as unknown as Stripe.Card);
  context.emit('customer.source.deleted', card);
  if (customer.default_source === card.id) {
    const next = context.tx
      .where<Stripe.Card>('card', 'customer', customer.id)
      .find((other) => other.customer === customer.id && !isDeleted(other) && other.id !== card.id);
    const updated = context.tx.put({ ...customer, default_source: next?.id ?? null });
    context.emit('customer.updated', updated, { default_source: card.id });
  }
  return { id: card.id, object: 'card', deleted: true };
};

const listQuery = z.strictObject({ ...listParams, object: text().optional() });

const list: StripeHandler = (context, path) => {
  const params = parseParams(listQuery, context.params);
  const customer = requireCustomer(context, path.id!);
  const cards = context.tx
    .where<Stripe.Card>('card', 'customer', customer.id)
    .filter((card) => card.customer === customer.id && !isDeleted(card))
    .filter(() => params.object === undefined || params.object === 'card');
  return paginate(params, cards, `/v1/customers/${customer.id}/sources`);
};

export const customerSourcesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/customers/:id/sources', handler: create },
  { method: 'GET', pattern: '/v1/customers/:id/sources', handler: list },
  { method: 'GET', pattern: '/v1/customers/:customer/sources/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/customers/:customer/sources/:id', handler: update },
  { method: 'DELETE', pattern: '/v1/customers/:customer/sources/:id', handler: remove },
];
