import type Stripe from 'stripe';
import { fail } from '../errors.ts';

/** What can be done to an invoice through the API. */
export type InvoiceAction =
  'update_lines' | 'delete' | 'finalize' | 'pay' | 'send' | 'void' | 'mark_uncollectible';

interface Transition {
  /** Statuses the action is legal from. */
  readonly from: readonly string[];
  /** Statuses it may lead to (the outcome decides among them). */
  readonly to: readonly string[];
  readonly code?: string;
  readonly refusal: (status: string) => string;
}

/**
 * Stripe's invoice lifecycle (docs.stripe.com/invoicing/integration/workflow-transitions), one
 * row per action. `/pay` and `/send` on a draft finalize it first, as Stripe's own
 * `invoice.payment_failed` and `invoice.sent` trigger fixtures rely on.
 */
export const invoiceTransitions: Readonly<Record<InvoiceAction, Transition>> = {
  update_lines: {
    from: ['draft'],
    to: ['draft'],
    code: 'invoice_not_editable',
    refusal: (status) => `You can only modify draft invoices. This invoice is ${status}.`,
  },
  delete: {
    from: ['draft'],
    to: ['deleted'],
    code: 'invoice_not_editable',
    refusal: () => 'You can only delete draft invoices.',
  },
  finalize: {
    from: ['draft'],
    to: ['open', 'paid'],
    code: 'invoice_not_editable',
    refusal: () => "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
  },
  pay: {
    from: ['draft', 'open', 'uncollectible'],
    to: ['paid', 'open', 'uncollectible'],
    refusal: (status) =>
      status === 'paid' ? 'Invoice is already paid.' : `You cannot pay an invoice that is ${status}.`,
  },
  send: {
    from: ['draft', 'open'],
    to: ['open'],
    refusal: (status) => `You can only send open invoices. This invoice is ${status}.`,
  },
  void: {
    from: ['open', 'uncollectible'],
    to: ['void'],
    refusal: (status) => `You can only void open or uncollectible invoices. This invoice is ${status}.`,
  },
  mark_uncollectible: {
    from: ['open'],
    to: ['uncollectible'],
    refusal: (status) => `You can only mark open invoices as uncollectible. This invoice is ${status}.`,
  },
};

/** Fails with Stripe's 400 unless `action` is legal from the invoice's status. */
export function requireTransition(invoice: Stripe.Invoice, action: InvoiceAction): void {
  const transition = invoiceTransitions[action];
  const status = invoice.status ?? 'draft';
  if (transition.from.includes(status)) return;
  const message = transition.refusal(status);
  if (transition.code !== undefined) fail({ kind: 'unexpected_state', code: transition.code, message });
  fail({ kind: 'invalid_request', message });
}

/** Stripe's subscription statuses and the moves between them this fake makes. */
export const subscriptionTransitions: Readonly<Record<string, readonly string[]>> = {
  incomplete: ['active', 'incomplete_expired', 'canceled', 'past_due'],
  trialing: ['active', 'past_due', 'canceled', 'paused'],
  active: ['past_due', 'canceled'],
  past_due: ['active', 'canceled', 'unpaid'],
  unpaid: ['active', 'canceled'],
  paused: ['active', 'past_due', 'canceled'],
  canceled: [],
  incomplete_expired: [],
};

/** Whether a subscription may move from one status to another. */
export function subscriptionMayMove(from: string, to: string): boolean {
  return from === to || (subscriptionTransitions[from]?.includes(to) ?? false);
}
