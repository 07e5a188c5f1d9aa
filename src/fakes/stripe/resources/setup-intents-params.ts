import * as z from 'zod';
import { bool, expand, listParams, metadata, oneOf, text } from '../params.ts';

// The params schemas of the resource, built once at load (zod compiles a schema on first parse).

export const ignored = z.unknown().optional();

export const shared = {
  payment_method: text().optional(),
  payment_method_data: z.record(z.string(), z.unknown()).optional(),
  payment_method_options: ignored,
  mandate_data: ignored,
  return_url: text().optional(),
  use_stripe_sdk: bool().optional(),
  expand,
};

export const createSchema = z.strictObject({
  ...shared,
  customer: text().optional(),
  confirm: bool().optional(),
  description: text().optional(),
  metadata: metadata.optional(),
  payment_method_types: z.array(text()).optional(),
  usage: oneOf('usage', ['off_session', 'on_session']).optional(),
  automatic_payment_methods: z
    .strictObject({ enabled: bool(), allow_redirects: text().optional() })
    .optional(),
  flow_directions: z.array(oneOf('flow_directions', ['inbound', 'outbound'])).optional(),
  attach_to_self: bool().optional(),
  on_behalf_of: text().optional(),
  single_use: ignored,
  payment_method_configuration: text().optional(),
});

export const updateSchema = z.strictObject({
  customer: text().optional(),
  description: text().optional(),
  metadata: metadata.optional(),
  payment_method: text().optional(),
  payment_method_data: z.record(z.string(), z.unknown()).optional(),
  payment_method_types: z.array(text()).optional(),
  payment_method_options: ignored,
  flow_directions: z.array(text()).optional(),
  attach_to_self: bool().optional(),
  expand,
});

export const confirmSchema = z.strictObject({ ...shared, client_secret: text().optional() });

export const cancelSchema = z.strictObject({
  cancellation_reason: oneOf('cancellation_reason', [
    'abandoned',
    'duplicate',
    'requested_by_customer',
  ]).optional(),
  expand,
});

export const retrieveParams = z.strictObject({ expand, client_secret: text().optional() });

export const listQuery = z.strictObject({
  ...listParams,
  customer: text().optional(),
  payment_method: text().optional(),
  attach_to_self: bool().optional(),
});
