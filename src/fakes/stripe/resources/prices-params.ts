import * as z from 'zod';
import { bool, expand, int, listParams, metadata, oneOf, text } from '../params.ts';
import { productDataSchema } from './product-store.ts';

// The params schemas of the resource, built once at load (zod compiles a schema on first parse).

export const decimal = z
  .string()
  .regex(/^\d+(\.\d{1,12})?$/, { error: 'Invalid decimal: must be a non-negative number' });

export const intervals = ['day', 'month', 'week', 'year'] as const;

/** The price fields `default_price_data` on a product shares with price create. */
export const priceFields = {
  currency: z.string().regex(/^[a-zA-Z]{3}$/, { error: 'Invalid currency' }),
  unit_amount: int({ min: 0, max: 99_999_999_999 }).optional(),
  unit_amount_decimal: decimal.optional(),
  metadata: metadata.optional(),
  tax_behavior: oneOf('tax_behavior', ['exclusive', 'inclusive', 'unspecified']).optional(),
};

export const recurringSchema = z.strictObject({
  interval: oneOf('recurring[interval]', intervals),
  interval_count: int({ min: 1 }).optional(),
  usage_type: oneOf('recurring[usage_type]', ['licensed', 'metered']).optional(),
  meter: text().optional(),
  trial_period_days: int({ min: 0, max: 730 }).optional(),
});

/** `default_price_data` on product create. */
export const priceDataSchema = z.strictObject({
  ...priceFields,
  recurring: z
    .strictObject({
      interval: oneOf('recurring[interval]', intervals),
      interval_count: int({ min: 1 }).optional(),
    })
    .optional(),
});

export const tierSchema = z.strictObject({
  up_to: z.union([z.literal('inf'), int({ min: 1 })]),
  unit_amount: int({ min: 0 }).optional(),
  unit_amount_decimal: decimal.optional(),
  flat_amount: int({ min: 0 }).optional(),
  flat_amount_decimal: decimal.optional(),
});

export const createSchema = z.strictObject({
  ...priceFields,
  product: text().optional(),
  product_data: z.lazy(() => productDataSchema).optional(),
  recurring: recurringSchema.optional(),
  active: bool().optional(),
  billing_scheme: oneOf('billing_scheme', ['per_unit', 'tiered']).optional(),
  tiers: z.array(tierSchema).min(1).optional(),
  tiers_mode: oneOf('tiers_mode', ['graduated', 'volume']).optional(),
  lookup_key: z.string().min(1).max(200).optional(),
  transfer_lookup_key: bool().optional(),
  nickname: z.string().max(5000).optional(),
  transform_quantity: z
    .strictObject({ divide_by: int({ min: 1 }), round: oneOf('transform_quantity[round]', ['down', 'up']) })
    .optional(),
  expand,
});

export const updateSchema = z.strictObject({
  active: bool().optional(),
  lookup_key: z.union([z.literal(''), z.string().max(200)]).optional(),
  transfer_lookup_key: bool().optional(),
  metadata: metadata.optional(),
  nickname: z.union([z.literal(''), z.string().max(5000)]).optional(),
  tax_behavior: oneOf('tax_behavior', ['exclusive', 'inclusive', 'unspecified']).optional(),
  expand,
});

export const listSchema = z.strictObject({
  ...listParams,
  active: bool().optional(),
  currency: text().optional(),
  lookup_keys: z.array(text()).max(10).optional(),
  product: text().optional(),
  recurring: z
    .strictObject({
      interval: oneOf('recurring[interval]', intervals).optional(),
      meter: text().optional(),
      usage_type: oneOf('recurring[usage_type]', ['licensed', 'metered']).optional(),
    })
    .optional(),
  type: oneOf('type', ['one_time', 'recurring']).optional(),
});
