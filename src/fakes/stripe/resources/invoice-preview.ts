import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { nestedUnder, previewInvoice } from '../billing/invoice-preview.ts';
import { subscriptionExtras } from '../billing/subscription-extras.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { customerOf } from '../customer-of.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import { bool, expand, int, listParams, metadata, oneOf, parseParams, text, type Params } from '../params.ts';
import { needsReshaping } from '../versions.ts';
import { requireCustomer } from './customer-lookup.ts';
import { anchorReset, changedItem, prorationBehavior } from './subscriptions-params.ts';

const taxRates = z.union([z.literal(''), z.array(text())]);

const previewItem = z.strictObject({
  amount: int().optional(),
  currency: text().optional(),
  description: text().max(5000).optional(),
  discountable: bool().optional(),
  invoiceitem: text().optional(),
  metadata: metadata.optional(),
  period: z.strictObject({ start: int({ min: 0 }), end: int({ min: 0 }) }).optional(),
  price: text().optional(),
  quantity: int({ min: 0 }).optional(),
  tax_rates: taxRates.optional(),
  unit_amount: int().optional(),
  unit_amount_decimal: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .optional(),
});

const subscriptionDetails = z.strictObject({
  items: z
    .array(changedItem.extend({ tax_rates: taxRates.optional() }))
    .max(20)
    .optional(),
  proration_behavior: prorationBehavior.optional(),
  proration_date: int({ min: 0 }).optional(),
  cancel_at_period_end: bool().optional(),
  cancel_now: bool().optional(),
  billing_cycle_anchor: anchorReset.optional(),
  cancel_at: z.union([z.literal(''), int({ min: 0 })]).optional(),
  metadata: metadata.optional(),
  trial_end: subscriptionExtras.trial_end,
  default_tax_rates: subscriptionExtras.default_tax_rates,
});

const previewSchema = z.strictObject({
  customer: text().optional(),
  subscription: text().optional(),
  subscription_details: subscriptionDetails.optional(),
  invoice_items: z.array(previewItem).max(250).optional(),
  preview_mode: oneOf('preview_mode', ['next', 'recurring']).optional(),
  expand,
});

/** A preview's `invoice_items[]` entry as the invoice items API takes it. */
function invoiceItemParams(item: z.infer<typeof previewItem>): Params {
  const { price, unit_amount, ...rest } = item;
  return {
    ...rest,
    ...(price === undefined ? {} : { pricing: { price } }),
    ...(unit_amount === undefined ? {} : { unit_amount_decimal: String(unit_amount) }),
  } as Params;
}

/** What every preview needs checked first: the subscription and the customer, which must agree. */
function previewOwner(
  context: StripeContext,
  params: { readonly customer?: string | undefined; readonly subscription?: string | undefined },
): { readonly customer: string; readonly subscription: Stripe.Subscription | undefined } {
  const subscription =
    params.subscription === undefined
      ? undefined
      : context.tx.get<Stripe.Subscription>('subscription', params.subscription);
  if (params.subscription !== undefined && subscription === undefined)
    fail({
      kind: 'resource_missing',
      objectName: 'subscription',
      id: params.subscription,
      param: 'subscription',
    });
  const customer = params.customer ?? (subscription === undefined ? undefined : customerOf(subscription));
  if (customer === undefined) fail({ kind: 'parameter_missing', param: 'customer' });
  requireCustomer(context, customer, 'customer');
  if (subscription !== undefined && customerOf(subscription) !== customer) {
    fail({
      kind: 'invalid_request',
      param: 'subscription',
      message: `The subscription ${subscription.id} does not belong to the customer ${customer}.`,
    });
  }
  return { customer, subscription };
}

const detailsParam = nestedUnder('subscription_details');

/**
 * `POST /v1/invoices/create_preview`: the next invoice of a subscription, of a subscription as
 * `subscription_details` would change it, of a new one, or of the customer's pending invoice items
 * with `invoice_items`; see billing/invoice-preview.ts for how it is made without being stored.
 */
const createPreview: StripeHandler = (context) => {
  const params = parseParams(previewSchema, context.params);
  const owner = previewOwner(context, params);
  const acrossSubscriptions = needsReshaping(context.apiVersion);
  if (
    !acrossSubscriptions &&
    owner.subscription === undefined &&
    params.subscription_details?.items === undefined &&
    params.invoice_items === undefined
  ) {
    // Since basil a customer alone no longer previews the next of all their subscriptions.
    fail({
      kind: 'invalid_request',
      message:
        'You must pass at least one of subscription, subscription_details.items, schedule, ' +
        'schedule_details.phases or invoice_items.',
    });
  }
  return previewInvoice(context, {
    ...owner,
    changes: params.subscription_details as Params | undefined,
    invoiceItems: (params.invoice_items ?? []).map(invoiceItemParams),
    recurringOnly: params.preview_mode === 'recurring',
    acrossSubscriptions,
    changeParam: detailsParam,
  });
};

const upcomingSchema = z.strictObject({
  customer: text().optional(),
  subscription: text().optional(),
  subscription_details: subscriptionDetails.optional(),
  subscription_items: subscriptionDetails.shape.items,
  subscription_proration_behavior: subscriptionDetails.shape.proration_behavior,
  subscription_proration_date: subscriptionDetails.shape.proration_date,
  subscription_cancel_at_period_end: subscriptionDetails.shape.cancel_at_period_end,
  subscription_cancel_at: subscriptionDetails.shape.cancel_at,
  subscription_cancel_now: subscriptionDetails.shape.cancel_now,
  subscription_trial_end: subscriptionDetails.shape.trial_end,
  subscription_default_tax_rates: subscriptionDetails.shape.default_tax_rates,
  invoice_items: previewSchema.shape.invoice_items,
  preview_mode: previewSchema.shape.preview_mode,
  expand,
});
const upcomingLinesSchema = upcomingSchema.extend(listParams);

// Each `subscription_details` member was a `subscription_` param of its own before.
const legacyPrefix = 'subscription_';
const legacyChanges = new Set(Object.keys(subscriptionDetails.shape).map((key) => legacyPrefix + key));

// `items[0][price]` as `subscription_items[0][price]`, `proration_date` as `subscription_proration_date`.
const legacyParam = (param: string) => `subscription_${param}`;

/**
 * The upcoming invoice as the API before basil answered `GET /v1/invoices/upcoming`: the same
 * preview, its subscription change given as `subscription_*` params, and no `id`.
 */
function upcomingInvoice(context: StripeContext, params: z.infer<typeof upcomingSchema>): Stripe.Invoice {
  // Basil removed the endpoint: `upcoming` is then an invoice id like any other.
  if (!needsReshaping(context.apiVersion))
    fail({ kind: 'resource_missing', objectName: 'invoice', id: 'upcoming' });
  const legacy = Object.entries(params).flatMap(([name, value]) => {
    if (!legacyChanges.has(name) || value === undefined) return [];
    return [[name.slice(legacyPrefix.length), value] as const];
  });
  const changes =
    params.subscription_details === undefined && legacy.length === 0
      ? undefined
      : { ...params.subscription_details, ...Object.fromEntries(legacy) };
  const preview = previewInvoice(context, {
    ...previewOwner(context, params),
    changes: changes as Params | undefined,
    invoiceItems: (params.invoice_items ?? []).map(invoiceItemParams),
    recurringOnly: params.preview_mode === 'recurring',
    acrossSubscriptions: true,
    changeParam: params.subscription_details === undefined ? legacyParam : detailsParam,
  });
  const { id: _none, ...upcoming } = preview;
  return { ...upcoming, lines: { ...upcoming.lines, url: '/v1/invoices/upcoming/lines' } } as Stripe.Invoice;
}

const upcoming: StripeHandler = (context) =>
  upcomingInvoice(context, parseParams(upcomingSchema, context.params));

/** `GET /v1/invoices/upcoming/lines`: the upcoming invoice's lines, a page at a time. */
const upcomingLines: StripeHandler = (context) => {
  const params = parseParams(upcomingLinesSchema, context.params);
  const invoice = upcomingInvoice(context, params);
  return paginate(params, [...invoice.lines.data].reverse(), '/v1/invoices/upcoming/lines');
};

export const invoicePreviewRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/invoices/create_preview', handler: createPreview },
  // Before `/v1/invoices/:id` too; removed in basil, so answered as a missing invoice from then on.
  { method: 'GET', pattern: '/v1/invoices/upcoming', handler: upcoming },
  { method: 'GET', pattern: '/v1/invoices/upcoming/lines', handler: upcomingLines },
];
