import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { invoiceItemObject } from '../billing/invoice-item-object.ts';
import {
  decimal,
  pricingOf,
  invoiceItemLine,
  lineInvoiceItem,
  withLines,
} from '../billing/invoice-objects.ts';
import { priceLines } from '../billing/invoice-pricing.ts';
import { requireTransition } from '../billing/invoice-transitions.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import {
  bool,
  expand,
  expandOnly,
  int,
  listParams,
  mergeMetadata,
  metadata,
  parseParams,
  text,
} from '../params.ts';
import { isDeleted } from '../store.ts';
import { requireCustomer } from './customer-lookup.ts';
import { requireTaxRates } from './tax-rates.ts';
import { discountsParam, resolveDiscounts } from '../billing/discounts.ts';
import { decimalAmount, priceAmount } from '../billing/price-amount.ts';

const period = z.strictObject({ start: int({ min: 0 }), end: int({ min: 0 }) });
const writable = {
  amount: int().optional(),
  description: text().max(5000).optional(),
  discountable: bool().optional(),
  metadata: metadata.optional(),
  period: period.optional(),
  pricing: z.strictObject({ price: text() }).optional(),
  quantity: int({ min: 0 }).optional(),
  unit_amount_decimal: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .optional(),
  discounts: discountsParam.optional(),
  tax_rates: z.union([z.literal(''), z.array(text())]).optional(),
  expand,
};
const createSchema = z.strictObject({
  ...writable,
  customer: text(),
  currency: z
    .string()
    .regex(/^[a-zA-Z]{3}$/)
    .optional(),
  invoice: text().optional(),
  subscription: text().optional(),
});
const updateSchema = z.strictObject(writable);
const listSchema = z.strictObject({
  ...listParams,
  customer: text().optional(),
  invoice: text().optional(),
  pending: bool().optional(),
});

function requireItem(context: StripeContext, id: string): Stripe.InvoiceItem {
  const item = context.tx.get<Stripe.InvoiceItem>('invoiceitem', id);
  if (item === undefined || isDeleted(item))
    fail({ kind: 'resource_missing', objectName: 'invoiceitem', id });
  return item;
}

function requireDraft(context: StripeContext, id: string, param: string): Stripe.Invoice {
  const invoice = context.tx.get<Stripe.Invoice>('invoice', id);
  if (invoice === undefined || isDeleted(invoice))
    fail({ kind: 'resource_missing', objectName: 'invoice', id, param });
  requireTransition(invoice, 'update_lines');
  return invoice;
}

interface Amounts {
  readonly amount: number;
  readonly quantity: number;
  readonly currency: string;
  readonly pricing: Stripe.InvoiceItem.Pricing;
}

/** Amount from a price (unit × quantity) or given outright; a price fixes the currency. */
function amounts(
  context: StripeContext,
  params: z.infer<typeof updateSchema>,
  fallback: { quantity: number; currency: string | undefined; amount?: number },
): Amounts {
  const quantity = params.quantity ?? fallback.quantity;
  if (params.pricing !== undefined) {
    if (params.amount !== undefined) {
      fail({
        kind: 'invalid_request',
        param: 'amount',
        message: 'You may only specify one of these parameters: amount, pricing.',
      });
    }
    const price = context.tx.get<Stripe.Price>('price', params.pricing.price);
    if (price === undefined)
      fail({
        kind: 'resource_missing',
        objectName: 'price',
        id: params.pricing.price,
        param: 'pricing[price]',
      });
    return {
      amount: priceAmount(context, price, quantity),
      quantity,
      currency: price.currency,
      pricing: pricingOf(price),
    };
  }
  const amount =
    params.amount ??
    (params.unit_amount_decimal === undefined
      ? fallback.amount
      : decimalAmount(params.unit_amount_decimal, quantity));
  if (amount === undefined) fail({ kind: 'parameter_missing', param: 'amount' });
  if (fallback.currency === undefined) fail({ kind: 'parameter_missing', param: 'currency' });
  const unit = params.unit_amount_decimal ?? (quantity === 0 ? '0' : String(amount / quantity));
  return {
    amount,
    quantity,
    currency: fallback.currency,
    pricing: { type: 'price_details', unit_amount_decimal: decimal(unit) },
  };
}

/** Puts an item's line onto its draft invoice (replacing an earlier line for it). */
function syncLine(context: StripeContext, item: Stripe.InvoiceItem, removed = false): void {
  if (item.invoice === null) return;
  const invoice = context.tx.get<Stripe.Invoice>('invoice', item.invoice as string)!;
  const kept = invoice.lines.data.filter((line) => lineInvoiceItem(line) !== item.id);
  const lines = removed ? kept : [...kept, invoiceItemLine(context, item, invoice.id)];
  context.tx.put(withLines(invoice, priceLines(context, invoice, lines)));
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const customer = requireCustomer(context, params.customer, 'customer');
  const invoice = params.invoice === undefined ? undefined : requireDraft(context, params.invoice, 'invoice');
  if (invoice !== undefined && invoice.customer !== customer.id) {
    fail({
      kind: 'invalid_request',
      param: 'invoice',
      message: `The invoice ${invoice.id} does not belong to customer ${customer.id}.`,
    });
  }
  const subscription =
    params.subscription === undefined
      ? undefined
      : context.tx.get<Stripe.Subscription>('subscription', params.subscription);
  if (
    params.subscription !== undefined &&
    (subscription === undefined || subscription.customer !== customer.id)
  ) {
    fail({
      kind: 'resource_missing',
      objectName: 'subscription',
      id: params.subscription,
      param: 'subscription',
    });
  }
  const currency = params.currency?.toLowerCase() ?? invoice?.currency ?? customer.currency ?? undefined;
  const money = amounts(context, params, { quantity: 1, currency });
  if (invoice !== undefined && invoice.currency !== money.currency) {
    fail({
      kind: 'invalid_request',
      param: 'currency',
      message: `The currency must match the invoice's currency (${invoice.currency}).`,
    });
  }
  const now = context.nowFor(customer.id);
  const id = context.ids.stripe('ii_');
  const item = invoiceItemObject({
    id,
    customer,
    date: now,
    amount: money.amount,
    currency: money.currency,
    quantity: money.quantity,
    pricing: money.pricing,
    description: params.description ?? null,
    discountable: params.discountable ?? true,
    discounts:
      params.discounts === undefined
        ? []
        : resolveDiscounts(context, params.discounts, { customer: customer.id, invoiceItem: id }),
    invoice: invoice?.id ?? null,
    metadata: mergeMetadata({}, params.metadata),
    subscription: subscription === undefined ? undefined : { id: subscription.id },
    period: params.period ?? { start: now, end: now },
    proration: false,
    taxRates: params.tax_rates ? requireTaxRates(context, params.tax_rates, 'tax_rates') : [],
  });
  context.tx.put(item);
  syncLine(context, item);
  context.emit('invoiceitem.created', item);
  return item;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireItem(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireItem(context, path.id!);
  if (existing.invoice !== null) requireDraft(context, existing.invoice as string, 'id');
  const money = amounts(context, params, {
    quantity: existing.quantity,
    currency: existing.currency,
    amount: existing.amount,
  });
  const item: Stripe.InvoiceItem = {
    ...existing,
    amount: money.amount,
    net_amount: money.amount,
    quantity: money.quantity,
    quantity_decimal: decimal(money.quantity),
    pricing:
      params.pricing === undefined && params.amount === undefined && params.quantity === undefined
        ? existing.pricing
        : money.pricing,
    description: params.description ?? existing.description,
    discountable: params.discountable ?? existing.discountable,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
    period: params.period ?? existing.period,
    tax_rates:
      params.tax_rates === undefined
        ? existing.tax_rates
        : requireTaxRates(context, params.tax_rates || [], 'tax_rates'),
  };
  context.tx.put(item);
  syncLine(context, item);
  return item;
};

const remove: StripeHandler = (context, path) => {
  const existing = requireItem(context, path.id!);
  if (existing.invoice !== null) requireDraft(context, existing.invoice as string, 'id');
  syncLine(context, existing, true);
  const deleted = { id: existing.id, object: 'invoiceitem', deleted: true } as const;
  context.tx.put(deleted);
  context.emit('invoiceitem.deleted', existing);
  return deleted;
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (item: Stripe.InvoiceItem) =>
    !isDeleted(item) &&
    (params.customer === undefined || item.customer === params.customer) &&
    (params.invoice === undefined || item.invoice === params.invoice) &&
    (params.pending === undefined || (item.invoice === null) === params.pending);
  const filters = [
    ['invoice', params.invoice],
    ['customer', params.customer],
  ] as const;
  return listPage(context.tx, params, 'invoiceitem', filters, matches, '/v1/invoiceitems');
};

export const invoiceItemsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/invoiceitems', handler: create },
  { method: 'GET', pattern: '/v1/invoiceitems', handler: list },
  { method: 'GET', pattern: '/v1/invoiceitems/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/invoiceitems/:id', handler: update },
  { method: 'DELETE', pattern: '/v1/invoiceitems/:id', handler: remove },
];
