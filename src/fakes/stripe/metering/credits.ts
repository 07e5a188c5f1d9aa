import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';

type Grant = Stripe.Billing.CreditGrant;
type BalanceTransaction = Stripe.Billing.CreditBalanceTransaction;

/** Stripe's default grant priority (0 is applied first, 100 last). */
export const priorityDefault = 50;

/** A grant's customer id, whether or not it was expanded. */
export function grantCustomer(grant: Grant): string {
  return typeof grant.customer === 'string' ? grant.customer : grant.customer.id;
}

function grantId(transaction: BalanceTransaction): string {
  return typeof transaction.credit_grant === 'string'
    ? transaction.credit_grant
    : transaction.credit_grant.id;
}

/** A grant's balance still unspent: the amount granted minus every debit recorded against it. */
export function remainingOf(context: StripeContext, grant: Grant): number {
  const granted = grant.amount.monetary?.value ?? 0;
  const debited = context.tx
    .values<BalanceTransaction>('billing.credit_balance_transaction')
    .filter((transaction) => grantId(transaction) === grant.id && transaction.debit !== null)
    .reduce((total, transaction) => total + (transaction.debit!.amount.monetary?.value ?? 0), 0);
  return granted - debited;
}

/** Whether a grant can be spent at `atSeconds`: effective, not expired, not voided. */
export function isAvailable(grant: Grant, atSeconds: number): boolean {
  if (grant.voided_at !== null) return false;
  if ((grant.effective_at ?? grant.created) > atSeconds) return false;
  return grant.expires_at === null || atSeconds < grant.expires_at;
}

/**
 * The order Stripe spends grants in: priority (0 first), then soonest expiry (never-expiring
 * last), then promotional before paid, then earliest effective, then oldest.
 */
export function compareGrants(a: Grant, b: Grant): number {
  const expiry = (grant: Grant) => grant.expires_at ?? Number.MAX_SAFE_INTEGER;
  const category = (grant: Grant) => (grant.category === 'promotional' ? 0 : 1);
  return (
    (a.priority ?? priorityDefault) - (b.priority ?? priorityDefault) ||
    expiry(a) - expiry(b) ||
    category(a) - category(b) ||
    (a.effective_at ?? a.created) - (b.effective_at ?? b.created) ||
    a.created - b.created
  );
}

/** Whether a grant's scope covers a line: metered prices only, all of them or the listed ones. */
export function grantCovers(
  grant: Grant,
  line: { readonly price: string; readonly metered: boolean },
): boolean {
  if (!line.metered) return false;
  const scope = grant.applicability_config.scope;
  if (scope.prices !== undefined) return scope.prices.some((price) => price.id === line.price);
  return scope.price_type === 'metered';
}

/** What a debit or credit records, beyond the grant it touches. */
export type BalanceEntry =
  | { readonly kind: 'credits_granted' }
  | { readonly kind: 'credits_applied'; readonly invoice: string; readonly line: string }
  | { readonly kind: 'credits_expired' | 'credits_voided' };

/** Records one credit balance transaction against a grant and emits its event. */
export function recordBalanceTransaction(
  context: StripeContext,
  grant: Grant,
  entry: BalanceEntry,
  value: number,
  atSeconds: number,
): BalanceTransaction {
  const amount = {
    type: 'monetary' as const,
    monetary: { currency: grant.amount.monetary?.currency ?? 'usd', value },
  };
  const isCredit = entry.kind === 'credits_granted';
  const transaction: BalanceTransaction = {
    id: context.ids.stripe('cbtxn_'),
    object: 'billing.credit_balance_transaction',
    created: atSeconds,
    credit: isCredit ? { amount, credits_application_invoice_voided: null, type: 'credits_granted' } : null,
    credit_grant: grant.id,
    debit: isCredit
      ? null
      : {
          amount,
          credits_applied:
            entry.kind === 'credits_applied'
              ? { invoice: entry.invoice, invoice_line_item: entry.line }
              : null,
          type: entry.kind,
        },
    effective_at: isCredit ? (grant.effective_at ?? atSeconds) : atSeconds,
    livemode: false,
    test_clock: grant.test_clock,
    type: isCredit ? 'credit' : 'debit',
  };
  context.tx.put(transaction);
  context.emit('billing.credit_balance_transaction.created', transaction);
  return transaction;
}

/**
 * The invoice line a credit lands on: the draft invoice's line for `price`, when the invoice
 * and its lines are in the store; otherwise the invoice id itself stands in.
 */
export function invoiceLineFor(context: StripeContext, invoice: string, price: string): string {
  const found = context.tx.get<Stripe.Invoice>('invoice', invoice);
  const lines = (found?.lines?.data ?? []) as unknown as ReadonlyArray<Record<string, unknown>>;
  const line = lines.find((candidate) => linePrice(candidate) === price);
  return typeof line?.id === 'string' ? line.id : invoice;
}

function linePrice(line: Record<string, unknown>): string | undefined {
  const pricing = line.pricing as { price_details?: { price?: unknown } } | null | undefined;
  const fromPricing = pricing?.price_details?.price;
  if (typeof fromPricing === 'string') return fromPricing;
  if (typeof fromPricing === 'object' && fromPricing !== null) return (fromPricing as { id: string }).id;
  const price = line.price as { id?: string } | string | null | undefined;
  return typeof price === 'string' ? price : price?.id;
}
