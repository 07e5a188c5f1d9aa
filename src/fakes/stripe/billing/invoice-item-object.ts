import type Stripe from 'stripe';
import { decimal } from './invoice-objects.ts';

/** What an invoice item is made of, however it was asked for (the API, or a proration). */
export interface InvoiceItemFields {
  readonly id: string;
  readonly customer: Stripe.Customer;
  readonly date: number;
  readonly amount: number;
  readonly currency: string;
  readonly quantity: number;
  readonly pricing: Stripe.InvoiceItem['pricing'];
  readonly description: string | null;
  readonly discountable: boolean;
  readonly discounts: Stripe.InvoiceItem['discounts'];
  readonly invoice: string | null;
  readonly metadata: Stripe.Metadata;
  readonly subscription?: { readonly id: string; readonly item?: string } | undefined;
  readonly period: Stripe.InvoiceItem.Period;
  readonly proration: boolean;
  readonly taxRates: Stripe.TaxRate[];
}

/** An invoice item in Stripe's shape. */
export function invoiceItemObject(fields: InvoiceItemFields): Stripe.InvoiceItem {
  const { subscription } = fields;
  const details =
    subscription === undefined
      ? undefined
      : {
          subscription: subscription.id,
          ...(subscription.item === undefined ? {} : { subscription_item: subscription.item }),
        };
  return {
    id: fields.id,
    object: 'invoiceitem',
    amount: fields.amount,
    currency: fields.currency,
    customer: fields.customer.id,
    customer_account: null,
    date: fields.date,
    description: fields.description,
    discountable: fields.discountable,
    discounts: fields.discounts,
    invoice: fields.invoice,
    livemode: false,
    metadata: fields.metadata,
    net_amount: fields.amount,
    parent: details === undefined ? null : { type: 'subscription_details', subscription_details: details },
    period: fields.period,
    pricing: fields.pricing,
    proration: fields.proration,
    quantity: fields.quantity,
    quantity_decimal: decimal(fields.quantity),
    tax_rates: fields.taxRates,
    test_clock: fields.customer.test_clock ?? null,
  };
}
