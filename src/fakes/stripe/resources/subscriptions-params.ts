import * as z from 'zod';
import { addInvoiceItemsParam } from '../billing/add-invoice-items.ts';
import { pauseCollectionParam } from '../billing/pause-collection.ts';
import { subscriptionExtras } from '../billing/subscription-extras.ts';
import { bool, expand, int, listParams, metadata, oneOf, text } from '../params.ts';

// The params schemas of the resource, built once at load (zod compiles a schema on first parse).

export const collectionMethod = oneOf('collection_method', ['charge_automatically', 'send_invoice']);

export const paymentBehavior = oneOf('payment_behavior', [
  'allow_incomplete',
  'default_incomplete',
  'error_if_incomplete',
  'pending_if_incomplete',
]);

/**
 * `billing_cycle_anchor` on an update: `{type: now|unchanged}` since endive, a bare `now` or
 * `unchanged` before it; either way the bare word.
 */
export const anchorReset = z
  .union([
    oneOf('billing_cycle_anchor', ['now', 'unchanged']),
    z.strictObject({ type: oneOf('billing_cycle_anchor[type]', ['now', 'unchanged']) }),
  ])
  .transform((anchor) => (typeof anchor === 'string' ? anchor : anchor.type));

export const prorationBehavior = oneOf('proration_behavior', ['always_invoice', 'create_prorations', 'none']);

export const newItem = z.strictObject({
  price: text(),
  quantity: int({ min: 0 }).optional(),
  metadata: metadata.optional(),
  tax_rates: z.union([z.literal(''), z.array(text())]).optional(),
});

export const changedItem = z.strictObject({
  id: text().optional(),
  price: text().optional(),
  quantity: int({ min: 0 }).optional(),
  deleted: bool().optional(),
  metadata: metadata.optional(),
  clear_usage: bool().optional(),
});

export const shared = {
  add_invoice_items: addInvoiceItemsParam.optional(),
  default_payment_method: text().optional(),
  description: text().max(500).optional(),
  days_until_due: int({ min: 0, max: 730 }).optional(),
  metadata: metadata.optional(),
  cancel_at_period_end: bool().optional(),
  payment_behavior: paymentBehavior.optional(),
  proration_behavior: prorationBehavior.optional(),
  off_session: bool().optional(),
  ...subscriptionExtras,
  expand,
};

export const createSchema = z.strictObject({
  ...shared,
  customer: text(),
  items: z.array(newItem).min(1).max(20),
  collection_method: collectionMethod.optional(),
  currency: z
    .string()
    .regex(/^[a-zA-Z]{3}$/)
    .optional(),
  trial_period_days: int({ min: 1, max: 730 }).optional(),
  billing_cycle_anchor: int({ min: 0 }).optional(),
});

export const updateSchema = z.strictObject({
  ...shared,
  items: z.array(changedItem).max(20).optional(),
  cancel_at: z.union([z.literal(''), int({ min: 0 })]).optional(),
  proration_date: int({ min: 0 }).optional(),
  billing_cycle_anchor: anchorReset.optional(),
  pause_collection: pauseCollectionParam.optional(),
});

export const cancelSchema = z.strictObject({
  invoice_now: bool().optional(),
  prorate: bool().optional(),
  expand,
  cancellation_details: z
    .strictObject({ comment: text().optional(), feedback: text().optional() })
    .optional(),
});

export const listSchema = z.strictObject({
  ...listParams,
  customer: text().optional(),
  price: text().optional(),
  test_clock: text().optional(),
  collection_method: collectionMethod.optional(),
  status: oneOf('status', [
    'active',
    'all',
    'canceled',
    'ended',
    'incomplete',
    'incomplete_expired',
    'past_due',
    'paused',
    'trialing',
    'unpaid',
  ]).optional(),
});

export const ended = new Set(['canceled', 'incomplete_expired']);

export const listItemsParams = z.strictObject({ ...listParams, subscription: text() });
