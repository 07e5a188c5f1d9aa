import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { scheduleAutoFinalize } from '../billing/auto-advance.ts';
import {
  finalize,
  markUncollectible,
  pay,
  requireInvoice,
  send,
  voidInvoice,
} from '../billing/invoice-actions.ts';
import { discountsParam, resolveDiscounts } from '../billing/discounts.ts';
import { draftInvoice, lineInvoiceItem, withLines } from '../billing/invoice-objects.ts';
import { priceLines } from '../billing/invoice-pricing.ts';
import { invoicePaymentsRoutes } from '../billing/invoice-payments.ts';
import { requireTransition } from '../billing/invoice-transitions.ts';
import { sweepPendingItems } from '../billing/pending-items.ts';
import { invoiceSubscriptionId } from '../billing/subscription-status.ts';
import type { StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage, paginate, type IdFilters } from '../list.ts';
import {
  bool,
  expand,
  expandOnly,
  int,
  listOnly,
  listParams,
  mergeMetadata,
  metadata,
  oneOf,
  parseParams,
  text,
} from '../params.ts';
import { isDeleted } from '../store.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';
import { invoicePreviewRoutes } from './invoice-preview.ts';
import { requireTaxRates } from './tax-rates.ts';

const collectionMethod = oneOf('collection_method', ['charge_automatically', 'send_invoice']);
const writable = {
  auto_advance: bool().optional(),
  collection_method: collectionMethod.optional(),
  days_until_due: int({ min: 0, max: 730 }).optional(),
  due_date: int({ min: 0 }).optional(),
  default_payment_method: text().optional(),
  description: text().max(1500).optional(),
  footer: text().max(5000).optional(),
  metadata: metadata.optional(),
  expand,
};
const createSchema = z.strictObject({
  ...writable,
  customer: text(),
  subscription: text().optional(),
  currency: z
    .string()
    .regex(/^[a-zA-Z]{3}$/)
    .optional(),
  pending_invoice_items_behavior: oneOf('pending_invoice_items_behavior', ['exclude', 'include']).optional(),
  discounts: discountsParam.optional(),
  default_tax_rates: z.array(text()).optional(),
});
const updateSchema = z.strictObject(writable);
const listSchema = z.strictObject({
  ...listParams,
  customer: text().optional(),
  subscription: text().optional(),
  status: oneOf('status', ['draft', 'open', 'paid', 'uncollectible', 'void']).optional(),
  collection_method: collectionMethod.optional(),
  due_date: z.unknown().optional(),
});
// Once finalized, only these may still change.
const editableAfterFinalize = new Set(['metadata', 'description', 'footer', 'auto_advance', 'expand']);

type Writable = z.infer<typeof updateSchema>;

/** Collection settings as Stripe checks them: send_invoice needs a due date, only it takes one. */
function dueDateOf(
  params: Writable,
  method: string,
  created: number,
  existing: number | null,
): number | null {
  if (method !== 'send_invoice') {
    if (params.days_until_due !== undefined || params.due_date !== undefined) {
      fail({
        kind: 'invalid_request',
        param: params.due_date === undefined ? 'days_until_due' : 'due_date',
        message: "Invoices with collection_method 'charge_automatically' cannot have a due date.",
      });
    }
    return null;
  }
  if (params.due_date !== undefined) return params.due_date;
  if (params.days_until_due !== undefined) return created + params.days_until_due * 86_400;
  if (existing !== null) return existing;
  fail({
    kind: 'invalid_request',
    param: 'days_until_due',
    message: "Invoices with collection_method 'send_invoice' need either due_date or days_until_due.",
  });
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const customer = requireCustomer(context, params.customer, 'customer');
  const subscription =
    params.subscription === undefined
      ? null
      : (context.tx.get<Stripe.Subscription>('subscription', params.subscription) ?? null);
  if (params.subscription !== undefined && (subscription === null || subscription.customer !== customer.id)) {
    fail({
      kind: 'resource_missing',
      objectName: 'subscription',
      id: params.subscription,
      param: 'subscription',
    });
  }
  const method = params.collection_method ?? 'charge_automatically';
  const now = context.nowFor(customer.id);
  const dueDate = dueDateOf(params, method, now, null);
  const draft = draftInvoice(context, {
    customer,
    currency: params.currency?.toLowerCase() ?? subscription?.currency ?? customer.currency ?? 'usd',
    billingReason: 'manual',
    collectionMethod: method,
    autoAdvance: params.auto_advance ?? false,
    daysUntilDue: params.days_until_due ?? null,
    subscription,
    defaultPaymentMethod: params.default_payment_method ?? null,
    description: params.description ?? null,
    metadata: mergeMetadata({}, params.metadata),
    periodStart: now,
    periodEnd: now,
  });
  const lines =
    params.pending_invoice_items_behavior === 'include'
      ? sweepPendingItems(context, draft, subscription?.id ?? null)
      : [];
  const shaped: Stripe.Invoice = {
    ...draft,
    due_date: dueDate,
    footer: params.footer ?? null,
    default_tax_rates: requireTaxRates(context, params.default_tax_rates ?? [], 'default_tax_rates'),
    ...(params.discounts === undefined
      ? {}
      : {
          discounts: resolveDiscounts(context, params.discounts, {
            customer: customer.id,
            invoice: draft.id,
          }),
        }),
  };
  const invoice = withLines(shaped, priceLines(context, shaped, lines));
  context.tx.put(invoice);
  context.emit('invoice.created', invoice);
  scheduleAutoFinalize(context, invoice);
  return invoice;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireInvoice(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireInvoice(context, path.id!);
  const frozen = Object.keys(params).filter((key) => !editableAfterFinalize.has(key));
  if (existing.status !== 'draft' && frozen.length > 0) {
    fail({
      kind: 'unexpected_state',
      code: 'invoice_not_editable',
      param: frozen[0]!,
      message: `Finalized invoices can't be updated in this way: ${frozen[0]!} can only change on a draft.`,
    });
  }
  const method = params.collection_method ?? existing.collection_method;
  const now = context.nowFor(existing.customer as string);
  const autoAdvance = params.auto_advance ?? existing.auto_advance ?? false;
  const turnedOn = existing.status === 'draft' && autoAdvance && existing.auto_advance !== true;
  const updated: Stripe.Invoice = {
    ...existing,
    auto_advance: autoAdvance,
    automatically_finalizes_at:
      existing.status !== 'draft' || !autoAdvance
        ? null
        : turnedOn
          ? now + 3600
          : existing.automatically_finalizes_at,
    collection_method: method,
    due_date:
      existing.status === 'draft'
        ? dueDateOf(params, method, existing.created, existing.due_date)
        : existing.due_date,
    default_payment_method: params.default_payment_method ?? existing.default_payment_method,
    description: params.description ?? existing.description,
    footer: params.footer ?? existing.footer,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
  };
  context.tx.put(updated);
  context.emit('invoice.updated', updated, changedAttributes(existing, updated));
  if (turnedOn) scheduleAutoFinalize(context, updated);
  return updated;
};

/** Deletes a draft; its invoice items go back to pending. */
const remove: StripeHandler = (context, path) => {
  const existing = requireInvoice(context, path.id!);
  requireTransition(existing, 'delete');
  for (const line of existing.lines.data) {
    const itemId = lineInvoiceItem(line);
    const item = itemId === null ? undefined : context.tx.get<Stripe.InvoiceItem>('invoiceitem', itemId);
    if (item !== undefined && !isDeleted(item)) context.tx.put({ ...item, invoice: null });
  }
  const deleted = { id: existing.id, object: 'invoice', deleted: true } as const;
  context.tx.put(deleted);
  context.emit('invoice.deleted', existing);
  return deleted;
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (invoice: Stripe.Invoice) =>
    !isDeleted(invoice) &&
    (params.customer === undefined || invoice.customer === params.customer) &&
    (params.subscription === undefined || invoiceSubscriptionId(invoice) === params.subscription) &&
    (params.status === undefined || invoice.status === params.status) &&
    (params.collection_method === undefined || invoice.collection_method === params.collection_method);
  const filters: IdFilters<Stripe.Invoice> = [
    ['customer', params.customer],
    [invoiceSubscriptionId, params.subscription],
  ];
  return listPage(context.tx, params, 'invoice', filters, matches, '/v1/invoices');
};

/** `GET /v1/invoices/:id/lines`: in invoice order (paginate lists newest first, so reverse). */
const lines: StripeHandler = (context, path) => {
  const params = parseParams(listOnly, context.params);
  const invoice = requireInvoice(context, path.id!);
  return paginate(params, [...invoice.lines.data].reverse(), `/v1/invoices/${invoice.id}/lines`);
};

export const invoicesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/invoices', handler: create },
  // Before `/v1/invoices/:id`, which would take `create_preview` for an id.
  ...invoicePreviewRoutes,
  { method: 'GET', pattern: '/v1/invoices', handler: list },
  { method: 'GET', pattern: '/v1/invoices/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/invoices/:id', handler: update },
  { method: 'DELETE', pattern: '/v1/invoices/:id', handler: remove },
  { method: 'GET', pattern: '/v1/invoices/:id/lines', handler: lines },
  { method: 'POST', pattern: '/v1/invoices/:id/finalize', handler: finalize },
  { method: 'POST', pattern: '/v1/invoices/:id/pay', handler: pay },
  { method: 'POST', pattern: '/v1/invoices/:id/void', handler: voidInvoice },
  { method: 'POST', pattern: '/v1/invoices/:id/mark_uncollectible', handler: markUncollectible },
  { method: 'POST', pattern: '/v1/invoices/:id/send', handler: send },
  ...invoicePaymentsRoutes,
];
