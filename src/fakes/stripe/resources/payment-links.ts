import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { callEndpoint } from '../internal-call.ts';
import { listPage, paginate } from '../list.ts';
import {
  bool,
  expand,
  expandOnly,
  int,
  listOnly,
  listParams,
  mergeMetadata,
  metadata,
  parseParams,
  text,
} from '../params.ts';
import type { StripeObject } from '../store.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requirePrice } from './prices.ts';
import { priceAmount } from '../billing/price-amount.ts';

/** A link's line items, kept beside it (rendered only when listed). */
interface LinkLines extends StripeObject {
  readonly object: 'fakepsp.payment_link_items';
  readonly items: ReadonlyArray<{ readonly price: string; readonly quantity: number }>;
}
const linesId = (link: string) => `${link}:line_items`;

const lineItem = z.strictObject({
  price: text(),
  quantity: int({ min: 1 }),
  adjustable_quantity: z.record(z.string(), z.unknown()).optional(),
});
const createSchema = z.strictObject({
  line_items: z.array(lineItem).min(1).max(20),
  metadata: metadata.optional(),
  allow_promotion_codes: bool().optional(),
  after_completion: z.record(z.string(), z.unknown()).optional(),
  customer_creation: z.enum(['always', 'if_required']).optional(),
  payment_method_types: z.array(text()).optional(),
  expand,
});
const updateSchema = z.strictObject({
  active: bool().optional(),
  allow_promotion_codes: bool().optional(),
  metadata: metadata.optional(),
  inactive_message: text().optional(),
  customer_creation: z.enum(['always', 'if_required']).optional(),
  expand,
});

function requireLink(context: StripeContext, id: string): Stripe.PaymentLink {
  const link = context.tx.get<Stripe.PaymentLink>('payment_link', id);
  if (link === undefined) fail({ kind: 'resource_missing', objectName: 'payment_link', id });
  return link;
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const prices = params.line_items.map((item, index) =>
    requirePrice(context, item.price, `line_items[${index}][price]`),
  );
  const recurring = prices.some((price) => price.recurring !== null);
  const id = context.ids.stripe('plink_');
  const link: Stripe.PaymentLink = {
    id,
    object: 'payment_link',
    active: true,
    after_completion: { hosted_confirmation: { custom_message: null }, type: 'hosted_confirmation' },
    allow_promotion_codes: params.allow_promotion_codes ?? false,
    application: null,
    application_fee_amount: null,
    application_fee_percent: null,
    automatic_tax: { enabled: false, liability: null },
    billing_address_collection: 'auto',
    consent_collection: null,
    currency: prices[0]!.currency,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer_creation: params.customer_creation ?? 'if_required',
    inactive_message: null,
    invoice_creation: null,
    livemode: false,
    managed_payments: null,
    metadata: mergeMetadata({}, params.metadata),
    on_behalf_of: null,
    payment_intent_data: null,
    payment_method_collection: 'always',
    payment_method_options: null,
    payment_method_types: (params.payment_method_types ?? null) as
      Stripe.PaymentLink.PaymentMethodType[] | null,
    phone_number_collection: { enabled: false },
    restrictions: null,
    shipping_address_collection: null,
    shipping_options: [],
    submit_type: 'auto',
    subscription_data: recurring
      ? {
          description: null,
          invoice_settings: {
            account_tax_ids: null,
            custom_fields: null,
            description: null,
            footer: null,
            issuer: { type: 'self' },
          },
          metadata: {},
          trial_period_days: null,
          trial_settings: null,
        }
      : null,
    tax_id_collection: { enabled: false, required: 'never' },
    transfer_data: null,
    url: `https://buy.stripe.com/test_${context.ids.custom('', 14)}`,
  };
  context.tx.put(link);
  context.tx.put<LinkLines>({
    id: linesId(id),
    object: 'fakepsp.payment_link_items',
    items: params.line_items.map((item) => ({ price: item.price, quantity: item.quantity })),
  });
  context.emit('payment_link.created', link);
  return link;
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireLink(context, path.id!);
  const updated: Stripe.PaymentLink = {
    ...existing,
    active: params.active ?? existing.active,
    allow_promotion_codes: params.allow_promotion_codes ?? existing.allow_promotion_codes,
    customer_creation: params.customer_creation ?? existing.customer_creation,
    inactive_message: params.inactive_message ?? existing.inactive_message,
    metadata: mergeMetadata(existing.metadata, params.metadata),
  };
  context.tx.put(updated);
  context.emit('payment_link.updated', updated, changedAttributes(existing, updated));
  return updated;
};

/**
 * A customer opens the link: a Checkout Session for its line items, in subscription mode when
 * any price recurs, tagged with the link (what the hosted page does on each visit).
 */
export function openPaymentLink(context: StripeContext, id: string): Stripe.Checkout.Session {
  const link = requireLink(context, id);
  if (!link.active)
    fail({
      kind: 'invalid_request',
      message: link.inactive_message ?? 'This payment link is no longer active.',
    });
  const items = context.tx.get<LinkLines>('fakepsp.payment_link_items', linesId(id))?.items ?? [];
  const recurring = items.some(
    (item) => context.tx.get<Stripe.Price>('price', item.price)?.recurring !== null,
  );
  const session = callEndpoint<Stripe.Checkout.Session>(context, 'POST', '/v1/checkout/sessions', {
    mode: recurring ? 'subscription' : 'payment',
    line_items: items.map((item) => ({ price: item.price, quantity: item.quantity })),
    allow_promotion_codes: link.allow_promotion_codes,
    customer_creation: recurring ? undefined : link.customer_creation,
    metadata: { payment_link: id },
  });
  return context.tx.put<Stripe.Checkout.Session>({ ...session, payment_link: id });
}

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireLink(context, path.id!);
};

const listQuery = z.strictObject({ ...listParams, active: bool().optional() });

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const matches = (link: Stripe.PaymentLink) => params.active === undefined || link.active === params.active;
  return listPage(context.tx, params, 'payment_link', [], matches, '/v1/payment_links');
};

const listLines: StripeHandler = (context, path) => {
  const params = parseParams(listOnly, context.params);
  const link = requireLink(context, path.id!);
  const items = context.tx.get<LinkLines>('fakepsp.payment_link_items', linesId(link.id))?.items ?? [];
  const rendered: Stripe.LineItem[] = items.map((item, index) => {
    const price = requirePrice(context, item.price);
    const amount = priceAmount(context, price, item.quantity);
    return {
      id: `li_${link.id.slice(6, 20)}${index}`,
      object: 'item',
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: price.currency,
      description: null,
      metadata: {},
      price,
      quantity: item.quantity,
    };
  });
  return paginate(params, rendered.reverse(), `/v1/payment_links/${link.id}/line_items`);
};

export const paymentLinksRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/payment_links', handler: create },
  { method: 'GET', pattern: '/v1/payment_links', handler: list },
  { method: 'GET', pattern: '/v1/payment_links/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/payment_links/:id', handler: update },
  { method: 'GET', pattern: '/v1/payment_links/:id/line_items', handler: listLines },
];
