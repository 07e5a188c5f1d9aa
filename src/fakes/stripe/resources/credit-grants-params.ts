import * as z from 'zod';
import { expand, int, listParams, metadata, oneOf, text } from '../params.ts';

// The params schemas of the resource, built once at load (zod compiles a schema on first parse).

export const scopeSchema = z.strictObject({
  price_type: oneOf('applicability_config[scope][price_type]', ['metered']).optional(),
  prices: z
    .array(z.strictObject({ id: text() }))
    .min(1)
    .optional(),
});

export const createSchema = z.strictObject({
  amount: z.strictObject({
    type: oneOf('amount[type]', ['monetary']),
    monetary: z.strictObject({ currency: z.string().regex(/^[a-zA-Z]{3}$/), value: int({ min: 1 }) }),
  }),
  applicability_config: z.strictObject({ scope: scopeSchema }),
  category: oneOf('category', ['paid', 'promotional']).optional(),
  customer: text(),
  effective_at: int({ min: 0 }).optional(),
  expires_at: int({ min: 0 }).optional(),
  metadata: metadata.optional(),
  name: z.string().max(100).optional(),
  priority: int({ min: 0, max: 100 }).optional(),
  expand,
});

export const updateSchema = z.strictObject({
  expires_at: z.union([z.literal(''), int({ min: 0 })]).optional(),
  metadata: metadata.optional(),
  expand,
});

export const listSchema = z.strictObject({ ...listParams, customer: text().optional() });
