import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { applyCreditGrants } from '../resources/credit-grants.ts';
import { meteredQuantity } from '../resources/meters.ts';
import { balanceApplied, moveBalance } from './balance.ts';
import { discountLines, endOnceDiscounts, lineDiscount } from './discounts.ts';
import { taxLines } from './invoice-pricing.ts';
import { withLines } from './invoice-objects.ts';
import { markPaid } from './settle.ts';
import { customerOf } from '../customer-of.ts';
import { priceAmount } from './price-amount.ts';

function linePrice(context: StripeContext, line: Stripe.InvoiceLineItem): Stripe.Price | undefined {
  const price = line.pricing?.price_details?.price;
  if (price === undefined) return undefined;
  return typeof price === 'string' ? context.tx.get<Stripe.Price>('price', price) : price;
}

function isMetered(price: Stripe.Price | undefined): boolean {
  return price?.recurring?.usage_type === 'metered' && price.recurring.meter !== null;
}

/** A metered subscription line recomputed from the meter: usage that arrived late still counts. */
function refreshMetered(
  context: StripeContext,
  customer: string,
  line: Stripe.InvoiceLineItem,
): Stripe.InvoiceLineItem {
  const price = linePrice(context, line);
  if (line.parent?.type !== 'subscription_item_details' || price === undefined || !isMetered(price))
    return line;
  const quantity = meteredQuantity(context, {
    meter: price.recurring!.meter!,
    customer,
    startSeconds: line.period.start,
    endSeconds: line.period.end,
  });
  const amount = priceAmount(context, price, quantity);
  return {
    ...line,
    amount,
    subtotal: amount,
    quantity: Math.round(quantity),
    quantity_decimal: String(quantity) as unknown as Stripe.Decimal,
  };
}

/** Spreads the credit granted over metered lines, first line first, as pretax credits. */
function allocateCredit(
  context: StripeContext,
  lines: Stripe.InvoiceLineItem[],
  credit: number,
): Stripe.InvoiceLineItem[] {
  let left = credit;
  return lines.map((line) => {
    const due = line.amount - lineDiscount(line);
    if (left <= 0 || !isMetered(linePrice(context, line)) || due <= 0) return line;
    const applied = Math.min(left, due);
    left -= applied;
    return {
      ...line,
      pretax_credit_amounts: [
        { amount: applied, credit_balance_transaction: null, type: 'credit_balance_transaction' },
      ],
    };
  });
}

function withCreditGrants(context: StripeContext, invoice: Stripe.Invoice, lines: Stripe.InvoiceLineItem[]) {
  const priced = lines.flatMap((line) => {
    const price = linePrice(context, line);
    return price === undefined
      ? []
      : [{ price: price.id, amount: line.amount - lineDiscount(line), metered: isMetered(price) }];
  });
  if (!priced.some((line) => line.metered && line.amount > 0)) return lines;
  const credit = applyCreditGrants(context, {
    customer: customerOf(invoice),
    currency: invoice.currency,
    invoice: invoice.id,
    atSeconds: context.nowFor(customerOf(invoice)),
    lines: priced,
  });
  return credit > 0 ? allocateCredit(context, lines, credit) : lines;
}

/**
 * Finalizes a draft: metered lines re-read from their meters, credit grants applied to them,
 * the customer balance applied (`starting_balance`/`ending_balance`), a number assigned.
 * Emits `invoice.finalized`; an invoice with nothing due is paid on the spot.
 */
export function finalizeInvoice(context: StripeContext, draft: Stripe.Invoice): Stripe.Invoice {
  const customerId = customerOf(draft);
  const now = context.nowFor(customerId);
  const refreshed = draft.lines.data.map((line) => refreshMetered(context, customerId, line));
  const discounted = discountLines(context, draft, refreshed);
  const totalled = withLines(draft, taxLines(context, draft, withCreditGrants(context, draft, discounted)));
  let customer = context.tx.get<Stripe.Customer>('customer', customerId)!;
  const starting = customer.balance;
  const applied = balanceApplied(starting, totalled.total);
  if (applied !== 0) {
    customer = moveBalance(context, customer, {
      amount: -applied,
      currency: draft.currency,
      type: 'applied_to_invoice',
      description: null,
      invoice: draft.id,
      metadata: {},
    }).customer;
  }
  const sequence = customer.next_invoice_sequence ?? 1;
  context.tx.put({ ...customer, next_invoice_sequence: sequence + 1 });
  const amountDue = totalled.total + applied;
  const automatic = draft.collection_method === 'charge_automatically' && draft.auto_advance === true;
  const finalized: Stripe.Invoice = {
    ...totalled,
    status: 'open',
    number: `${customer.invoice_prefix ?? 'INV'}-${String(sequence).padStart(4, '0')}`,
    starting_balance: starting,
    ending_balance: starting - applied,
    amount_due: amountDue,
    amount_remaining: Math.max(0, amountDue - draft.amount_paid),
    automatically_finalizes_at: null,
    effective_at: now,
    due_date: draft.collection_method === 'send_invoice' ? draft.due_date : null,
    next_payment_attempt: automatic && amountDue > 0 ? now : null,
    hosted_invoice_url: `https://invoice.stripe.com/i/fakepsp/${draft.id}`,
    invoice_pdf: `https://pay.stripe.com/invoice/fakepsp/${draft.id}/pdf`,
    status_transitions: { ...draft.status_transitions, finalized_at: now },
  };
  context.tx.put(finalized);
  context.emit('invoice.finalized', finalized);
  endOnceDiscounts(context, finalized);
  return amountDue === 0 ? markPaid(context, finalized, {}) : finalized;
}
