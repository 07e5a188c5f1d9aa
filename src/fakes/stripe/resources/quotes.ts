import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { productName } from '../billing/invoice-objects.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { callEndpoint } from '../internal-call.ts';
import { listPage, paginate } from '../list.ts';
import { expandOnly, listOnly, mergeMetadata, parseParams } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';
import { requirePrice } from './prices.ts';
import { createSchema, finalizeParams, lineItem, listQuery, updateSchema } from './quotes-params.ts';
import { priceAmount } from '../billing/price-amount.ts';

/** Quotes last 30 days unless told otherwise. */
const lifetimeSeconds = 30 * 86_400;

/** Where a quote's line items live (rendered only when asked for, as Stripe does). */
interface QuoteLines extends StripeObject {
  readonly object: 'fakepsp.quote_line_items';
  readonly items: readonly Stripe.LineItem[];
}
const linesId = (quote: string) => `${quote}:line_items`;

function requireQuote(context: StripeContext, id: string): Stripe.Quote {
  const quote = context.tx.get<Stripe.Quote>('quote', id);
  if (quote === undefined) fail({ kind: 'resource_missing', objectName: 'quote', id });
  return quote;
}

function lineItems(context: StripeContext, lines: z.infer<typeof lineItem>[]): Stripe.LineItem[] {
  return lines.map((line, index) => {
    const price = requirePrice(context, line.price, `line_items[${index}][price]`);
    const quantity = line.quantity ?? 1;
    const amount = priceAmount(context, price, quantity);
    return {
      id: context.ids.custom('li_', 24),
      object: 'item',
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: price.currency,
      description: productName(context, price),
      metadata: {},
      price,
      quantity,
    };
  });
}

/** The amounts a quote shows: what is due upfront, and what recurs each period after. */
function amounts(
  items: readonly Stripe.LineItem[],
): Pick<Stripe.Quote, 'amount_subtotal' | 'amount_total' | 'computed' | 'currency' | 'total_details'> {
  const total = items.reduce((sum, item) => sum + item.amount_total, 0);
  const recurringItems = items.filter(
    (item) => item.price?.recurring !== null && item.price?.recurring !== undefined,
  );
  const recurringTotal = recurringItems.reduce((sum, item) => sum + item.amount_total, 0);
  const cadence = recurringItems[0]?.price?.recurring;
  const details = { amount_discount: 0, amount_shipping: 0, amount_tax: 0 };
  return {
    amount_subtotal: total,
    amount_total: total,
    currency: items[0]?.currency ?? null,
    total_details: details,
    computed: {
      recurring:
        cadence === undefined || cadence === null
          ? null
          : {
              amount_subtotal: recurringTotal,
              amount_total: recurringTotal,
              interval: cadence.interval,
              interval_count: cadence.interval_count,
              total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
            },
      upfront: {
        amount_subtotal: total,
        amount_total: total,
        total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      },
    },
  };
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const customer =
    params.customer === undefined ? undefined : requireCustomer(context, params.customer, 'customer');
  const items = lineItems(context, params.line_items ?? []);
  const now = context.nowFor(customer?.id);
  const id = context.ids.stripe('qt_');
  const quote: Stripe.Quote = {
    id,
    object: 'quote',
    ...amounts(items),
    application: null,
    application_fee_amount: null,
    application_fee_percent: null,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    collection_method: params.collection_method ?? 'charge_automatically',
    created: now,
    customer: customer?.id ?? null,
    customer_account: null,
    default_tax_rates: [],
    description: params.description ?? null,
    discounts: [],
    expires_at: params.expires_at ?? now + lifetimeSeconds,
    footer: params.footer ?? null,
    from_quote: null,
    header: params.header ?? null,
    invoice: null,
    invoice_settings: {
      custom_fields: null,
      days_until_due: params.invoice_settings?.days_until_due ?? null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    number: null,
    on_behalf_of: null,
    status: 'draft',
    status_transitions: { accepted_at: null, canceled_at: null, finalized_at: null },
    subscription: null,
    subscription_data: {
      billing_mode: { type: 'classic' },
      description: params.subscription_data?.description ?? null,
      effective_date:
        typeof params.subscription_data?.effective_date === 'number'
          ? params.subscription_data.effective_date
          : null,
      metadata: mergeMetadata({}, params.subscription_data?.metadata),
      trial_period_days: params.subscription_data?.trial_period_days ?? null,
    },
    subscription_schedule: null,
    test_clock: customer?.test_clock ?? null,
    transfer_data: null,
  };
  context.tx.put(quote);
  context.tx.put<QuoteLines>({ id: linesId(id), object: 'fakepsp.quote_line_items', items });
  context.emit('quote.created', quote);
  return quote;
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireQuote(context, path.id!);
  if (existing.status !== 'draft')
    fail({
      kind: 'invalid_request',
      message: `You can only update a draft quote. This quote is ${existing.status}.`,
    });
  const customer =
    params.customer === undefined ? undefined : requireCustomer(context, params.customer, 'customer');
  const items = params.line_items === undefined ? undefined : lineItems(context, params.line_items);
  if (items !== undefined)
    context.tx.put<QuoteLines>({ id: linesId(existing.id), object: 'fakepsp.quote_line_items', items });
  const updated: Stripe.Quote = {
    ...existing,
    ...(items === undefined ? {} : amounts(items)),
    customer: customer?.id ?? existing.customer,
    description: params.description ?? existing.description,
    footer: params.footer ?? existing.footer,
    header: params.header ?? existing.header,
    metadata: mergeMetadata(existing.metadata, params.metadata),
    expires_at: params.expires_at ?? existing.expires_at,
  };
  context.tx.put(updated);
  context.emit('quote.updated', updated, changedAttributes(existing, updated));
  return updated;
};

function itemsOf(context: StripeContext, quote: Stripe.Quote): readonly Stripe.LineItem[] {
  return context.tx.get<QuoteLines>('fakepsp.quote_line_items', linesId(quote.id))?.items ?? [];
}

/** `finalize`: the quote gets its number and can be sent and accepted. */
const finalize: StripeHandler = (context, path) => {
  parseParams(finalizeParams, context.params);
  const quote = requireQuote(context, path.id!);
  if (quote.status !== 'draft')
    fail({
      kind: 'invalid_request',
      message: `This quote is ${quote.status}; only a draft can be finalized.`,
    });
  if (quote.customer === null)
    fail({
      kind: 'invalid_request',
      param: 'customer',
      message: 'A quote needs a customer to be finalized.',
    });
  if (itemsOf(context, quote).length === 0)
    fail({ kind: 'invalid_request', message: 'A quote needs line items to be finalized.' });
  const sequence =
    context.tx.values<Stripe.Quote>('quote').filter((other) => other.number !== null).length + 1;
  const open: Stripe.Quote = {
    ...quote,
    status: 'open',
    number: `QT-${String(sequence).padStart(4, '0')}`,
    status_transitions: {
      ...quote.status_transitions,
      finalized_at: context.nowFor(quote.customer as string),
    },
  };
  context.tx.put(open);
  context.emit('quote.finalized', open);
  return open;
};

/**
 * `accept`: recurring items start a subscription for the customer (one-time items are billed
 * on its first invoice); a quote of one-time items only becomes an invoice.
 */
const accept: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const quote = requireQuote(context, path.id!);
  if (quote.status !== 'open')
    fail({
      kind: 'invalid_request',
      message: `This quote is ${quote.status}; only an open quote can be accepted.`,
    });
  const customer = quote.customer as string;
  const items = itemsOf(context, quote);
  const recurring = items.filter((item) => item.price?.recurring !== null);
  const oneTime = items.filter((item) => item.price?.recurring === null);
  for (const item of oneTime) {
    callEndpoint(context, 'POST', '/v1/invoiceitems', {
      customer,
      pricing: { price: item.price!.id },
      quantity: item.quantity ?? 1,
    });
  }
  let accepted: Stripe.Quote = {
    ...quote,
    status: 'accepted',
    status_transitions: { ...quote.status_transitions, accepted_at: context.nowFor(customer) },
  };
  if (recurring.length > 0) {
    const subscription = callEndpoint<Stripe.Subscription>(context, 'POST', '/v1/subscriptions', {
      customer,
      items: recurring.map((item) => ({ price: item.price!.id, quantity: item.quantity ?? 1 })),
      collection_method: quote.collection_method,
      ...(quote.collection_method === 'send_invoice'
        ? { days_until_due: quote.invoice_settings.days_until_due ?? 30 }
        : {}),
      metadata: quote.subscription_data.metadata ?? {},
      ...(quote.subscription_data.trial_period_days === null
        ? {}
        : { trial_period_days: quote.subscription_data.trial_period_days }),
    });
    accepted = {
      ...accepted,
      subscription: subscription.id,
      invoice: subscription.latest_invoice as string | null,
    };
  } else {
    const invoice = callEndpoint<Stripe.Invoice>(context, 'POST', '/v1/invoices', {
      customer,
      pending_invoice_items_behavior: 'include',
      collection_method: quote.collection_method,
      ...(quote.collection_method === 'send_invoice'
        ? { days_until_due: quote.invoice_settings.days_until_due ?? 30 }
        : {}),
      auto_advance: true,
    });
    accepted = { ...accepted, invoice: invoice.id };
  }
  context.tx.put(accepted);
  context.emit('quote.accepted', accepted);
  return accepted;
};

const cancel: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const quote = requireQuote(context, path.id!);
  if (quote.status !== 'draft' && quote.status !== 'open') {
    fail({ kind: 'invalid_request', message: `This quote is ${quote.status}; it cannot be canceled.` });
  }
  const canceled: Stripe.Quote = {
    ...quote,
    status: 'canceled',
    status_transitions: {
      ...quote.status_transitions,
      canceled_at: context.nowFor(quote.customer as string | null),
    },
  };
  context.tx.put(canceled);
  context.emit('quote.canceled', canceled);
  return canceled;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireQuote(context, path.id!);
};

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const matches = (quote: Stripe.Quote) =>
    (params.customer === undefined || quote.customer === params.customer) &&
    (params.status === undefined || quote.status === params.status);
  return listPage(context.tx, params, 'quote', [], matches, '/v1/quotes');
};

const listLines: StripeHandler = (context, path) => {
  const params = parseParams(listOnly, context.params);
  const quote = requireQuote(context, path.id!);
  return paginate(params, [...itemsOf(context, quote)].reverse(), `/v1/quotes/${quote.id}/line_items`);
};

export const quotesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/quotes', handler: create },
  { method: 'GET', pattern: '/v1/quotes', handler: list },
  { method: 'GET', pattern: '/v1/quotes/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/quotes/:id', handler: update },
  { method: 'POST', pattern: '/v1/quotes/:id/finalize', handler: finalize },
  { method: 'POST', pattern: '/v1/quotes/:id/accept', handler: accept },
  { method: 'POST', pattern: '/v1/quotes/:id/cancel', handler: cancel },
  { method: 'GET', pattern: '/v1/quotes/:id/line_items', handler: listLines },
  { method: 'GET', pattern: '/v1/quotes/:id/computed_upfront_line_items', handler: listLines },
];
