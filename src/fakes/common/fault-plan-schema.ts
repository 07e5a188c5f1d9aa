import * as z from 'zod';
import type { FaultPlan } from './faults.ts';

const psp = z.enum(['stripe', 'adyen', 'razorpay']).optional();
const rate = z.number().min(0).max(1).optional();
const positive = z.number().int().positive();

const apiEffect = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('server_error'),
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]).optional(),
  }),
  z.strictObject({ kind: z.literal('rate_limit'), retryAfterSeconds: positive.optional() }),
  z.strictObject({ kind: z.literal('reset') }),
  z.strictObject({ kind: z.literal('timeout') }),
  z.strictObject({ kind: z.literal('latency'), delayMs: positive }),
  z.strictObject({ kind: z.literal('stall'), delayMs: positive }),
]);

const webhookEffect = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('drop') }),
  z.strictObject({ kind: z.literal('duplicate'), copies: positive.max(10).optional() }),
  z.strictObject({ kind: z.literal('delay'), delayMs: positive }),
  z.strictObject({ kind: z.literal('reorder'), windowMs: positive }),
  z.strictObject({ kind: z.literal('bad_signature') }),
  z.strictObject({ kind: z.literal('unsigned') }),
  z.strictObject({ kind: z.literal('stale_timestamp'), ageSeconds: positive.optional() }),
  z.strictObject({ kind: z.literal('replay'), afterMs: positive }),
]);

/** The fault plan's schema: what `POST /_fakepsp/faults` and scenarios accept. */
export const faultPlanSchema = z.strictObject({
  api: z
    .array(
      z.strictObject({
        name: z.string().optional(),
        psp,
        phase: z.enum(['before', 'after']),
        match: z.strictObject({
          method: z.string().optional(),
          path: z.string().optional(),
          nth: positive.optional(),
          rate,
        }),
        effect: apiEffect,
      }),
    )
    .max(100)
    .optional(),
  webhooks: z
    .array(
      z.strictObject({
        name: z.string().optional(),
        psp,
        match: z.strictObject({
          eventType: z.string().optional(),
          nth: positive.optional(),
          rate,
          retries: z.boolean().optional(),
        }),
        effect: webhookEffect,
      }),
    )
    .max(100)
    .optional(),
  outages: z
    .array(
      z.strictObject({ psp, fromMs: z.number().int().nonnegative(), toMs: z.number().int().nonnegative() }),
    )
    .max(100)
    .optional(),
});

/** Parses a fault plan, or says exactly which field is wrong. */
export function parseFaultPlan(
  input: unknown,
): { ok: true; plan: FaultPlan } | { ok: false; message: string } {
  const result = faultPlanSchema.safeParse(input);
  if (result.success) return { ok: true, plan: result.data as FaultPlan };
  const issue = result.error.issues[0]!;
  return { ok: false, message: `${issue.path.join('.') || '(plan)'}: ${issue.message}` };
}
