import * as z from 'zod';
import { fail } from '../errors.ts';
import { bool, expand, int, metadata, oneOf, parseParams, text, type Params } from '../params.ts';

const offSession = z.union([z.enum(['one_off', 'recurring']), bool()]);
const setupFutureUsage = z.union([z.literal(''), oneOf('setup_future_usage', ['off_session', 'on_session'])]);
const captureMethod = oneOf('capture_method', ['automatic', 'automatic_async', 'manual']);
// Accepted and not modelled: they change nothing a card test payment does.
const ignored = z.unknown().optional();

const shared = {
  description: text().optional(),
  metadata: metadata.optional(),
  receipt_email: text().optional(),
  setup_future_usage: setupFutureUsage.optional(),
  statement_descriptor: text().max(22).optional(),
  statement_descriptor_suffix: text().max(22).optional(),
  payment_method: text().optional(),
  payment_method_types: z.array(text()).optional(),
  payment_method_options: ignored,
  payment_method_data: ignored,
  shipping: ignored,
  expand,
};

export const createSchema = z.strictObject({
  ...shared,
  // Required, but checked after parsing: a union schema reports a missing value as invalid.
  amount: int().optional(),
  currency: text(),
  customer: text().optional(),
  confirm: bool().optional(),
  off_session: offSession.optional(),
  capture_method: captureMethod.optional(),
  confirmation_method: oneOf('confirmation_method', ['automatic', 'manual']).optional(),
  automatic_payment_methods: z
    .strictObject({ enabled: bool(), allow_redirects: z.enum(['always', 'never']).optional() })
    .optional(),
  transfer_data: z.strictObject({ destination: text(), amount: int({ min: 1 }).optional() }).optional(),
  application_fee_amount: int({ min: 0 }).optional(),
  on_behalf_of: text().optional(),
  transfer_group: text().optional(),
  return_url: text().optional(),
  error_on_requires_action: bool().optional(),
  use_stripe_sdk: bool().optional(),
  mandate_data: ignored,
  radar_options: ignored,
});

/** The create params after validation. */
export type CreateParams = Omit<z.infer<typeof createSchema>, 'expand' | 'amount'> & {
  readonly amount: number;
};

/** Parses create params, with `amount` required as Stripe requires it. */
export function parseCreate(params: Params): CreateParams {
  const parsed = parseParams(createSchema, params);
  if (parsed.amount === undefined) fail({ kind: 'parameter_missing', param: 'amount' });
  return { ...parsed, amount: parsed.amount };
}

export const updateSchema = z.strictObject({
  ...shared,
  amount: int().optional(),
  currency: text().optional(),
  customer: text().optional(),
  application_fee_amount: int({ min: 0 }).optional(),
  transfer_group: text().optional(),
});

export const confirmSchema = z.strictObject({
  payment_method: text().optional(),
  off_session: offSession.optional(),
  setup_future_usage: setupFutureUsage.optional(),
  capture_method: captureMethod.optional(),
  return_url: text().optional(),
  error_on_requires_action: bool().optional(),
  use_stripe_sdk: bool().optional(),
  receipt_email: text().optional(),
  payment_method_options: ignored,
  payment_method_data: ignored,
  payment_method_types: z.array(text()).optional(),
  mandate_data: ignored,
  shipping: ignored,
  radar_options: ignored,
  client_secret: text().optional(),
  expand,
});
