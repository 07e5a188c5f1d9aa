import * as z from 'zod';
import { creditNoteLine } from '../billing/credit-note-lines.ts';
import { expand, int, listParams, metadata, oneOf, text } from '../params.ts';

// The params schemas of the resource, built once at load (zod compiles a schema on first parse).

export const reason = oneOf('reason', ['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory']);

export const createSchema = z.strictObject({
  invoice: text(),
  amount: int({ min: 0 }).optional(),
  credit_amount: int({ min: 0 }).optional(),
  refund_amount: int({ min: 0 }).optional(),
  out_of_band_amount: int({ min: 0 }).optional(),
  refunds: z
    .array(z.strictObject({ refund: text(), amount_refunded: int({ min: 0 }).optional() }))
    .optional(),
  lines: z.array(creditNoteLine).max(100).optional(),
  reason: reason.optional(),
  memo: text().optional(),
  metadata: metadata.optional(),
  effective_at: int({ min: 0 }).optional(),
  email_type: oneOf('email_type', ['credit_note', 'none']).optional(),
  shipping_cost: z.unknown().optional(),
  expand,
});

export const updateParams = z.strictObject({
  memo: text().optional(),
  metadata: metadata.optional(),
  expand,
});

export const listQuery = z.strictObject({
  ...listParams,
  invoice: text().optional(),
  customer: text().optional(),
});
