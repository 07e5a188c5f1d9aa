import * as z from 'zod';
import { expand, int, listParams, metadata, oneOf, text } from '../params.ts';

// The params schemas of the resource, built once at load (zod compiles a schema on first parse).

export const lineItem = z.strictObject({ price: text(), quantity: int({ min: 1 }).optional() });

export const writable = {
  line_items: z.array(lineItem).min(1).max(20).optional(),
  description: text().optional(),
  footer: text().optional(),
  header: text().optional(),
  metadata: metadata.optional(),
  expires_at: int({ min: 0 }).optional(),
  collection_method: oneOf('collection_method', ['charge_automatically', 'send_invoice']).optional(),
  invoice_settings: z.strictObject({ days_until_due: int({ min: 0 }).optional() }).optional(),
  subscription_data: z
    .strictObject({
      description: text().optional(),
      effective_date: z.union([z.literal('current_period_end'), int({ min: 0 })]).optional(),
      metadata: metadata.optional(),
      trial_period_days: int({ min: 1 }).optional(),
    })
    .optional(),
  expand,
};

export const createSchema = z.strictObject({ ...writable, customer: text().optional() });

export const updateSchema = z.strictObject({ ...writable, customer: text().optional() });

export const finalizeParams = z.strictObject({ expires_at: int({ min: 0 }).optional(), expand });

export const listQuery = z.strictObject({
  ...listParams,
  customer: text().optional(),
  status: text().optional(),
  test_clock: text().optional(),
});
