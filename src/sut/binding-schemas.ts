import * as z from 'zod';
import type { CreateCustomerResponse, SetupResponse } from './contract.ts';
import { integrationPatterns } from './contract.ts';

/** Validation of the HTTP binding v1's bodies, shared by the client and the router. */

const psp = z.enum(['stripe', 'adyen', 'razorpay']);
const pattern = z.enum(integrationPatterns as [string, ...string[]]);
const instant = z.iso.datetime({ offset: true });
const minor = z
  .number()
  .int()
  .refine(Number.isSafeInteger, { error: 'must be a safe integer (minor units)' });
const currency = z.string().regex(/^[a-z]{3}$/, { error: 'must be a lowercase ISO 4217 code' });

export const setupResponseSchema = z.object({
  webhooks: z.partialRecord(psp, z.string()),
  patterns: z.array(pattern),
  psps: z.array(psp),
  concurrentRuns: z.number().int().positive().optional(),
}) as unknown as z.ZodType<SetupResponse>;

// An answer without a mapping is fine (`{}`, or nothing at all): the metadata tag is the other way.
export const createCustomerResponseSchema = z
  .object({
    pspCustomerId: z.string().min(1).optional(),
    pspCustomerIds: z.partialRecord(psp, z.string().min(1)).optional(),
  })
  .catchall(z.unknown()) as unknown as z.ZodType<CreateCustomerResponse>;

export const requestSchemas = {
  setup: z.object({
    runId: z.string().min(1),
    seed: z.number().int(),
    pattern,
    now: instant,
    psps: z.object({
      stripe: z.object({ apiBase: z.string(), secretKey: z.string(), webhookSecret: z.string() }).optional(),
      adyen: z
        .object({ apiBase: z.string(), apiKey: z.string(), merchantAccount: z.string(), hmacKey: z.string() })
        .optional(),
      razorpay: z
        .object({ apiBase: z.string(), keyId: z.string(), keySecret: z.string(), webhookSecret: z.string() })
        .optional(),
    }),
  }),
  customers: z.object({
    customerId: z.string().min(1),
    email: z.string(),
    name: z.string(),
    currency,
    psp,
    paymentMethod: z.string().min(1),
    plan: z.object({
      baseFeeMinor: minor.nonnegative(),
      unitPricesMinor: z.record(z.string(), minor.nonnegative()),
      interval: z.enum(['day', 'week', 'month', 'year']),
    }),
  }),
  usage: z.object({
    customerId: z.string().min(1),
    meter: z.string().min(1),
    quantity: minor.nonnegative(),
    eventId: z.string().min(1),
    at: instant,
  }),
  topups: z.object({
    customerId: z.string().min(1),
    amount: minor.positive(),
    currency,
    requestId: z.string().min(1),
  }),
  refunds: z.object({
    customerId: z.string().min(1),
    ref: z.string().min(1),
    amount: minor.positive(),
    requestId: z.string().min(1),
  }),
  clock: z.object({ now: instant }),
  settle: z.object({}),
};

/** A zod error as one line naming each field: `plan.interval: Invalid option`. */
export function problemOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}
