import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { discountLines, lineDiscount } from './discounts.ts';
import { invoiceSubscriptionId } from './subscription-status.ts';

function rateIds(rates: ReadonlyArray<string | Stripe.TaxRate> | null | undefined): string[] {
  return (rates ?? []).map((rate) => (typeof rate === 'string' ? rate : rate.id));
}

/**
 * The tax rates of a line: its own (the invoice item's or subscription item's), else the
 * invoice's `default_tax_rates`, else its subscription's.
 */
function ratesOf(context: StripeContext, invoice: Stripe.Invoice, line: Stripe.InvoiceLineItem): string[] {
  const itemId = line.parent?.invoice_item_details?.invoice_item;
  const own =
    itemId !== undefined
      ? rateIds(context.tx.get<Stripe.InvoiceItem>('invoiceitem', itemId)?.tax_rates)
      : subscriptionItemRates(context, line);
  if (own.length > 0) return own;
  const defaults = rateIds(invoice.default_tax_rates);
  if (defaults.length > 0) return defaults;
  const subscription = invoiceSubscriptionId(invoice);
  if (subscription === null) return [];
  return rateIds(context.tx.get<Stripe.Subscription>('subscription', subscription)?.default_tax_rates);
}

function subscriptionItemRates(context: StripeContext, line: Stripe.InvoiceLineItem): string[] {
  const details = line.parent?.subscription_item_details;
  if (details === undefined || details === null || details.subscription === null) return [];
  const subscription = context.tx.get<Stripe.Subscription>('subscription', details.subscription);
  const item = subscription?.items.data.find((candidate) => candidate.id === details.subscription_item);
  return rateIds(item?.tax_rates);
}

/**
 * Computes every line's `taxes` from its tax rates, on what is left after discounts and pretax
 * credits: an exclusive rate adds tax on top, an inclusive one is carved out of the amount.
 */
export function taxLines(
  context: StripeContext,
  invoice: Stripe.Invoice,
  lines: readonly Stripe.InvoiceLineItem[],
): Stripe.InvoiceLineItem[] {
  return lines.map((line) => {
    const credited = (line.pretax_credit_amounts ?? []).reduce((sum, credit) => sum + credit.amount, 0);
    const base = Math.max(0, line.amount - lineDiscount(line) - credited);
    const taxes = ratesOf(context, invoice, line).flatMap((id): Stripe.InvoiceLineItem.Tax[] => {
      const rate = context.tx.get<Stripe.TaxRate>('tax_rate', id);
      if (rate === undefined) return [];
      const amount = rate.inclusive
        ? base - Math.round((base * 100) / (100 + rate.percentage))
        : Math.round((base * rate.percentage) / 100);
      return [
        {
          amount,
          tax_behavior: rate.inclusive ? 'inclusive' : 'exclusive',
          tax_rate_details: { tax_rate: rate.id },
          taxability_reason: 'standard_rated',
          taxable_amount: rate.inclusive ? base - amount : base,
          type: 'tax_rate_details',
        },
      ];
    });
    return { ...line, taxes };
  });
}

/** Discounts, then taxes: what `withLines` needs to total an invoice. */
export function priceLines(
  context: StripeContext,
  invoice: Stripe.Invoice,
  lines: readonly Stripe.InvoiceLineItem[],
): Stripe.InvoiceLineItem[] {
  return taxLines(context, invoice, discountLines(context, invoice, lines));
}
