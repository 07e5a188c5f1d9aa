import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import {
  bool,
  expand,
  expandOnly,
  listParams,
  mergeMetadata,
  metadata,
  oneOf,
  parseParams,
  text,
} from '../params.ts';
import { isDeleted } from '../store.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { insertPrice } from './prices.ts';
import { priceDataSchema } from './prices-params.ts';
import { features, insertProduct, productFields, requireProduct } from './product-store.ts';

const nullable = <T extends z.ZodType>(schema: T) => z.union([z.literal(''), schema]).optional();

const createSchema = z.strictObject({
  ...productFields,
  id: z.string().min(1).max(255).optional(),
  name: z.string().min(1).max(250),
  images: z.array(text()).max(8).optional(),
  marketing_features: features.optional(),
  shippable: bool().optional(),
  type: oneOf('type', ['good', 'service']).optional(),
  url: text().optional(),
  default_price_data: z.lazy(() => priceDataSchema).optional(),
  expand,
});
const updateSchema = z.strictObject({
  active: bool().optional(),
  default_price: text().optional(),
  description: nullable(z.string().max(40_000)),
  images: z.union([z.literal(''), z.array(text()).max(8)]).optional(),
  marketing_features: z.union([z.literal(''), features]).optional(),
  metadata: metadata.optional(),
  name: z.string().min(1).max(250).optional(),
  shippable: bool().optional(),
  statement_descriptor: z.string().max(22).optional(),
  tax_code: nullable(text()),
  unit_label: nullable(z.string().max(12)),
  url: nullable(text()),
  expand,
});
const listSchema = z.strictObject({
  ...listParams,
  active: bool().optional(),
  ids: z.array(text()).optional(),
  shippable: bool().optional(),
  type: oneOf('type', ['good', 'service']).optional(),
  url: text().optional(),
});

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const product = insertProduct(context, params);
  if (params.default_price_data === undefined) return product;
  const price = insertPrice(
    context,
    { ...params.default_price_data, product: product.id },
    'default_price_data',
  );
  const withDefault: Stripe.Product = { ...product, default_price: price.id };
  context.tx.put(withDefault);
  return withDefault;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const product = context.tx.get<Stripe.Product>('product', path.id!);
  if (product === undefined) fail({ kind: 'resource_missing', objectName: 'product', id: path.id! });
  return product;
};

const orNull = (value: string | undefined, fallback: string | null): string | null =>
  value === undefined ? fallback : value === '' ? null : value;

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireProduct(context, path.id!);
  if (params.default_price !== undefined) {
    const price = context.tx.get<Stripe.Price>('price', params.default_price);
    if (price === undefined || price.product !== existing.id) {
      fail({
        kind: 'resource_missing',
        objectName: 'price',
        id: params.default_price,
        param: 'default_price',
      });
    }
  }
  const updated: Stripe.Product = {
    ...existing,
    active: params.active ?? existing.active,
    default_price: params.default_price ?? existing.default_price ?? null,
    description: orNull(params.description, existing.description),
    images: params.images === '' ? [] : (params.images ?? existing.images),
    marketing_features:
      params.marketing_features === '' ? [] : (params.marketing_features ?? existing.marketing_features),
    metadata: mergeMetadata(existing.metadata, params.metadata),
    name: params.name ?? existing.name,
    shippable: params.shippable ?? existing.shippable,
    statement_descriptor: params.statement_descriptor ?? existing.statement_descriptor ?? null,
    tax_code: orNull(params.tax_code, (existing.tax_code as string | null | undefined) ?? null),
    unit_label: orNull(params.unit_label, existing.unit_label ?? null),
    url: orNull(params.url, existing.url),
    updated: context.nowSeconds,
  };
  context.tx.put(updated);
  context.emit('product.updated', updated, changedAttributes(existing, updated));
  return updated;
};

/** Stripe refuses to delete a product that still has prices. */
const remove: StripeHandler = (context, path) => {
  const existing = requireProduct(context, path.id!);
  if (context.tx.values<Stripe.Price>('price').some((price) => price.product === existing.id)) {
    fail({
      kind: 'invalid_request',
      message: 'This product cannot be deleted because it has one or more user-created prices.',
    });
  }
  const deleted: Stripe.DeletedProduct = { id: existing.id, object: 'product', deleted: true };
  context.tx.put(deleted);
  context.emit('product.deleted', existing);
  return deleted;
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (product: Stripe.Product) =>
    !isDeleted(product) &&
    (params.active === undefined || product.active === params.active) &&
    (params.ids === undefined || params.ids.includes(product.id)) &&
    (params.shippable === undefined || product.shippable === params.shippable) &&
    (params.type === undefined || product.type === params.type) &&
    (params.url === undefined || product.url === params.url);
  return listPage(context.tx, params, 'product', [], matches, '/v1/products');
};

export const productsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/products', handler: create },
  { method: 'GET', pattern: '/v1/products', handler: list },
  { method: 'GET', pattern: '/v1/products/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/products/:id', handler: update },
  { method: 'DELETE', pattern: '/v1/products/:id', handler: remove },
];
