import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { invoiceDiscountIds } from './discounts.ts';
import { unitDecimal } from './price-amount.ts';

/** A decimal string as the SDK types it (the wire carries a plain string). */
export const decimal = (value: string | number): Stripe.Decimal => String(value) as unknown as Stripe.Decimal;

/** The same, keeping a missing one missing (a tiered price has no unit amount). */
const nullableDecimal = (value: string | null): Stripe.Decimal | null =>
  value === null ? null : decimal(value);

/** A list embedded in an object (`lines`, `items`, `payments`): every member, `has_more: false`. */
export function embeddedList<T>(data: T[], url: string): Stripe.ApiList<T> {
  return { object: 'list', data, has_more: false, url };
}

/** What a new invoice needs to know beyond its defaults. */
export interface DraftInvoiceOptions {
  readonly customer: Stripe.Customer;
  readonly currency: string;
  readonly billingReason: Stripe.Invoice.BillingReason;
  readonly collectionMethod: Stripe.Invoice.CollectionMethod;
  readonly autoAdvance: boolean;
  readonly daysUntilDue: number | null;
  readonly subscription: Stripe.Subscription | null;
  readonly defaultPaymentMethod: string | null;
  readonly description: string | null;
  readonly metadata: Record<string, string>;
  readonly periodStart: number;
  readonly periodEnd: number;
}

/** A draft invoice with no lines, in the basil+ shape (`parent`, no `subscription`/`paid`/`charge`). */
export function draftInvoice(context: StripeContext, options: DraftInvoiceOptions): Stripe.Invoice {
  const { customer, subscription } = options;
  const id = context.ids.stripe('in_');
  const created = context.nowFor(customer.id);
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'fakepsp',
    account_tax_ids: null,
    amount_due: 0,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: options.autoAdvance,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: options.autoAdvance ? created + 3600 : null,
    billing_reason: options.billingReason,
    collection_method: options.collectionMethod,
    created,
    currency: options.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: customer.address,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: customer.shipping,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: options.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: options.description,
    discounts: invoiceDiscountIds(context, customer, subscription),
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: embeddedList([], `/v1/invoices/${id}/lines`),
    livemode: false,
    metadata: options.metadata,
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent:
      subscription === null
        ? null
        : {
            type: 'subscription_details',
            quote_details: null,
            subscription_details: { metadata: subscription.metadata, subscription: subscription.id },
          },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: options.periodEnd,
    period_start: options.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: customer.balance,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: 0,
    subtotal_excluding_tax: 0,
    test_clock: customer.test_clock,
    total: 0,
    total_discount_amounts: [],
    total_excluding_tax: 0,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  } as Stripe.Invoice;
}

/** The invoice with these lines and every total derived from them (before any balance applies). */
export function withLines(invoice: Stripe.Invoice, lines: Stripe.InvoiceLineItem[]): Stripe.Invoice {
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const credits = lines.flatMap((line) => line.pretax_credit_amounts ?? []);
  const credited = credits.reduce((sum, credit) => sum + credit.amount, 0);
  const discounts = totalDiscounts(lines);
  const discounted = discounts.reduce((sum, entry) => sum + entry.amount, 0);
  const taxes = totalTaxes(lines);
  const taxed = (behavior: string) =>
    taxes.filter((tax) => tax.tax_behavior === behavior).reduce((sum, tax) => sum + tax.amount, 0);
  const total = subtotal - discounted - credited + taxed('exclusive');
  const amountDue = invoice.status === 'draft' ? total : invoice.amount_due;
  return {
    ...invoice,
    lines: embeddedList(lines, `/v1/invoices/${invoice.id}/lines`),
    subtotal,
    subtotal_excluding_tax: subtotal - taxed('inclusive'),
    total,
    total_discount_amounts: discounts,
    total_excluding_tax: total - taxed('exclusive') - taxed('inclusive'),
    total_pretax_credit_amounts:
      credited === 0
        ? []
        : [
            {
              amount: credited,
              credit_balance_transaction: null,
              type: 'credit_balance_transaction',
            },
          ],
    total_taxes: taxes,
    amount_due: amountDue,
    amount_remaining: Math.max(0, amountDue - invoice.amount_paid),
  };
}

// One entry per discount, summed over the lines it took from.
function totalDiscounts(lines: readonly Stripe.InvoiceLineItem[]): Stripe.Invoice.TotalDiscountAmount[] {
  const byDiscount = new Map<string, number>();
  for (const entry of lines.flatMap((line) => line.discount_amounts ?? [])) {
    const id = typeof entry.discount === 'string' ? entry.discount : entry.discount.id;
    byDiscount.set(id, (byDiscount.get(id) ?? 0) + entry.amount);
  }
  return [...byDiscount].map(([discount, amount]) => ({ amount, discount }));
}

// One entry per tax rate and behaviour, summed over the lines it taxed.
function totalTaxes(lines: readonly Stripe.InvoiceLineItem[]): Stripe.Invoice.TotalTax[] {
  const byRate = new Map<string, Stripe.Invoice.TotalTax>();
  for (const tax of lines.flatMap((line) => line.taxes ?? [])) {
    const key = `${tax.tax_rate_details?.tax_rate ?? ''}:${tax.tax_behavior}`;
    const seen = byRate.get(key);
    byRate.set(key, {
      ...tax,
      amount: (seen?.amount ?? 0) + tax.amount,
      taxable_amount: (seen?.taxable_amount ?? 0) + (tax.taxable_amount ?? 0),
    });
  }
  return [...byRate.values()];
}

/** The product name a line describes, or the product id when the catalog lacks it. */
export function productName(context: StripeContext, price: Stripe.Price): string {
  const productId = typeof price.product === 'string' ? price.product : price.product.id;
  const product = context.tx.get<Stripe.Product>('product', productId);
  return product !== undefined && 'name' in product ? product.name : productId;
}

function productIdOf(price: Stripe.Price): string {
  return typeof price.product === 'string' ? price.product : price.product.id;
}

/** An invoice item's or line's `pricing` when a price sets it: the price, its product, its unit amount. */
export function pricingOf(price: Stripe.Price): NonNullable<Stripe.InvoiceItem['pricing']> {
  return {
    type: 'price_details',
    price_details: { price: price.id, product: productIdOf(price) },
    unit_amount_decimal: nullableDecimal(unitDecimal(price)),
  };
}

/** What a subscription line bills: one item, one period, one quantity. */
export interface SubscriptionLineOptions {
  readonly invoice: string;
  readonly subscription: string;
  readonly item: string;
  readonly price: Stripe.Price;
  readonly quantity: number;
  readonly amount: number;
  readonly period: { readonly start: number; readonly end: number };
  readonly description: string;
}

/** An invoice line for a subscription item. */
export function subscriptionLine(
  context: StripeContext,
  options: SubscriptionLineOptions,
): Stripe.InvoiceLineItem {
  return {
    id: context.ids.stripe('il_'),
    object: 'line_item',
    amount: options.amount,
    currency: options.price.currency,
    description: options.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: options.invoice,
    livemode: false,
    metadata: {},
    parent: {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription: options.subscription,
        subscription_item: options.item,
      },
    },
    period: { start: options.period.start, end: options.period.end },
    pretax_credit_amounts: [],
    pricing: pricingOf(options.price),
    quantity: Math.round(options.quantity),
    quantity_decimal: decimal(options.quantity),
    subscription: options.subscription,
    subtotal: options.amount,
    taxes: [],
  };
}

/** An invoice line for an invoice item swept onto (or created on) an invoice. */
export function invoiceItemLine(
  context: StripeContext,
  item: Stripe.InvoiceItem,
  invoice: string,
): Stripe.InvoiceLineItem {
  const subscription = item.parent?.subscription_details?.subscription ?? null;
  return {
    id: context.ids.stripe('il_'),
    object: 'line_item',
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    discount_amounts: [],
    discountable: item.discountable,
    discounts: item.discounts ?? [],
    invoice,
    livemode: false,
    metadata: item.metadata ?? {},
    parent: {
      type: 'invoice_item_details',
      subscription_item_details: null,
      invoice_item_details: {
        invoice_item: item.id,
        proration: item.proration,
        proration_details: { credited_items: null },
        subscription,
      },
    },
    period: { ...item.period },
    pretax_credit_amounts: [],
    pricing: item.pricing,
    quantity: item.quantity,
    quantity_decimal: item.quantity_decimal,
    subscription,
    subtotal: item.amount,
    taxes: [],
  };
}

/** The invoice item a line came from, if it came from one. */
export function lineInvoiceItem(line: Stripe.InvoiceLineItem): string | null {
  return line.parent?.invoice_item_details?.invoice_item ?? null;
}
