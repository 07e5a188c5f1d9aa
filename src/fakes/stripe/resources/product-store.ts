import type Stripe from 'stripe';
import * as z from 'zod';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { bool, mergeMetadata, metadata, text } from '../params.ts';
import { isDeleted } from '../store.ts';

// Products are made by both `POST /v1/products` and a price's `product_data`; this module is
// what both share, so prices and products do not import each other.

export const features = z.array(z.strictObject({ name: z.string().min(1).max(80) })).max(15);

export const productFields = {
  active: bool().optional(),
  description: z.string().max(40_000).optional(),
  metadata: metadata.optional(),
  statement_descriptor: z.string().max(22).optional(),
  tax_code: text().optional(),
  unit_label: z.string().max(12).optional(),
};

/** What `product_data` on a price may carry (also the core of product create). */
export const productDataSchema = z.strictObject({
  ...productFields,
  id: z.string().min(1).max(255).optional(),
  name: z.string().min(1).max(250),
});

/** Loads a live product of the current account or fails with Stripe's 404. */
export function requireProduct(context: StripeContext, id: string, param = 'id'): Stripe.Product {
  const product = context.tx.get<Stripe.Product>('product', id);
  if (product === undefined || isDeleted(product))
    fail({ kind: 'resource_missing', objectName: 'product', id, param });
  return product;
}

/** What product create accepts beyond `product_data`. */
type ProductInput = z.infer<typeof productDataSchema> & {
  images?: string[] | undefined;
  marketing_features?: z.infer<typeof features> | undefined;
  shippable?: boolean | undefined;
  type?: 'good' | 'service' | undefined;
  url?: string | undefined;
};

/** Creates a product (from `POST /v1/products` or a price's `product_data`) and emits its event. */
export function insertProduct(context: StripeContext, input: ProductInput, param = 'id'): Stripe.Product {
  if (input.id !== undefined && context.tx.find(input.id) !== undefined) {
    fail({
      kind: 'invalid_request',
      param,
      code: 'resource_already_exists',
      message: `Product already exists.`,
    });
  }
  const now = context.nowSeconds;
  const product: Stripe.Product = {
    id: input.id ?? context.ids.custom('prod_', 14),
    object: 'product',
    active: input.active ?? true,
    created: now,
    default_price: null,
    description: input.description ?? null,
    images: input.images ?? [],
    livemode: false,
    marketing_features: input.marketing_features ?? [],
    metadata: mergeMetadata({}, input.metadata),
    name: input.name,
    package_dimensions: null,
    shippable: input.shippable ?? null,
    statement_descriptor: input.statement_descriptor ?? null,
    tax_code: input.tax_code ?? null,
    tax_details: null,
    type: input.type ?? 'service',
    unit_label: input.unit_label ?? null,
    updated: now,
    url: input.url ?? null,
  };
  context.tx.put(product);
  context.emit('product.created', product);
  return product;
}
