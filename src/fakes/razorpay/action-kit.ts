import * as z from 'zod';
import type { JsonValue } from '../../sim/canonical-json.ts';
import type { AdminAction } from '../common/admin.ts';
import { razorpayError, RazorpayFailure } from './errors.ts';
import { isCardNumber } from './test-cards.ts';
import { AdminRefusal } from './work.ts';

/** The body fields the admin actions share. */
export const fields = {
  id: z.string().min(1),
  card: z.string().refine(isCardNumber, 'a card number is 12 to 19 digits').optional(),
  amount: z.number().int().positive().optional(),
  notes: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
};

/** Drops `undefined` members, for exactOptionalPropertyTypes. */
export function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

const refusal = (message: string) => ({ status: 400, body: { error: { type: 'fakepsp_admin', message } } });

/**
 * An admin action from a body schema and what it runs: a body that does not parse is a 400
 * `fakepsp_admin`, and so is what no customer or bank could do ({@link AdminRefusal}); what
 * Razorpay itself would refuse gets Razorpay's own error.
 */
export function action<S extends z.ZodType>(schema: S, run: (input: z.infer<S>) => unknown): AdminAction {
  return (body) => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return refusal(`${issue.path.join('.') || '(body)'}: ${issue.message}`);
    }
    try {
      return { status: 200, body: JSON.parse(JSON.stringify(run(parsed.data))) as JsonValue };
    } catch (error) {
      if (error instanceof AdminRefusal) return refusal(error.message);
      if (!(error instanceof RazorpayFailure)) throw error;
      const rendered = razorpayError(error.error);
      return { status: rendered.status, body: rendered.body };
    }
  };
}
