import * as z from 'zod';
import { expand, int, listParams, metadata, text } from '../params.ts';
import { nonCardFields, nonCardTypes } from './payment-method-kinds.ts';

// The params schemas of the resource, built once at load (zod compiles a schema on first parse).

export const billingDetails = z
  .strictObject({
    address: z.union([z.literal(''), z.record(z.string(), z.string())]).optional(),
    email: z.string().optional(),
    name: z.string().optional(),
    phone: z.string().optional(),
  })
  .optional();

export const createSchema = z.strictObject({
  type: z.enum(['card', ...nonCardTypes], {
    error: () => 'Invalid type: fakepsp supports card, sepa_debit and customer_balance payment methods',
  }),
  ...nonCardFields,
  card: z
    .strictObject({
      number: text().optional(),
      exp_month: int({ min: 1, max: 12 }).optional(),
      exp_year: int().optional(),
      cvc: text().optional(),
      token: text().optional(),
    })
    .optional(),
  billing_details: billingDetails,
  metadata: metadata.optional(),
  allow_redisplay: z.enum(['always', 'limited', 'unspecified']).optional(),
  expand,
});

export const updateSchema = z.strictObject({
  metadata: metadata.optional(),
  billing_details: billingDetails,
  expand,
});

export const attachSchema = z.strictObject({ customer: text(), expand });

export const listSchema = z.strictObject({
  ...listParams,
  customer: text().optional(),
  type: text().optional(),
  allow_redisplay: text().optional(),
});

export const listOfCustomerParams = z.strictObject({ ...listParams, type: text().optional() });
