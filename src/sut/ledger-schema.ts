import * as z from 'zod';
import type { Ledger } from './contract.ts';

const integer = z
  .number()
  .int()
  .refine(Number.isSafeInteger, { error: 'must be a safe integer (minor units)' });

const posting = z.strictObject({
  account: z.string().min(1),
  amount: integer,
  currency: z.string().regex(/^[a-z]{3}$/, { error: 'must be a lowercase ISO 4217 code' }),
});

const transaction = z.strictObject({
  id: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  kind: z.string().min(1),
  customerId: z.string(),
  ref: z
    .strictObject({
      psp: z.enum(['stripe', 'adyen', 'razorpay']),
      type: z.string().min(1),
      id: z.string().min(1),
    })
    .nullable(),
  postings: z.array(posting).min(1),
  usage: z
    .array(z.strictObject({ meter: z.string().min(1), quantity: z.number().int().nonnegative() }))
    .optional(),
});

/** The ledger export's schema (SUT contract v1). */
export const ledgerSchema = z.strictObject({ transactions: z.array(transaction) });

/**
 * Validates a ledger export, naming the transaction and field of the first problem, e.g.
 * `transactions[3] (id t_17).postings[1].amount: must be a safe integer (minor units)`.
 */
export function parseLedger(
  input: unknown,
): { ok: true; ledger: Ledger } | { ok: false; problems: string[] } {
  const result = ledgerSchema.safeParse(input);
  if (result.success) return { ok: true, ledger: result.data };
  const problems = result.error.issues.map((issue) => {
    const [root, index, ...rest] = issue.path;
    const id =
      root === 'transactions' && typeof index === 'number'
        ? (input as { transactions?: Array<{ id?: unknown }> }).transactions?.[index]?.id
        : undefined;
    const where =
      root === 'transactions' && typeof index === 'number'
        ? `transactions[${index}]${typeof id === 'string' ? ` (id ${id})` : ''}${rest.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`
        : issue.path.join('.') || '(ledger)';
    return `${where}: ${issue.message}`;
  });
  return { ok: false, problems };
}
