import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import {
  checkoutSession,
  lineItemsId,
  type LineItemsRecord,
  lineItemsType,
} from '../checkout/session-object.ts';
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
  metadata,
  oneOf,
  parseParams,
  text,
} from '../params.ts';
import { requireCustomer } from './customer-lookup.ts';
import { priceAmount } from '../billing/price-amount.ts';

/** Stripe's default and longest session lifetime: 24 hours. */
export const sessionLifetimeSeconds = 24 * 3_600;

const lineItem = z.strictObject({
  price: text().optional(),
  price_data: z
    .strictObject({
      currency: text(),
      unit_amount: int({ min: 0 }).optional(),
      unit_amount_decimal: text().optional(),
      product: text().optional(),
      product_data: z.record(z.string(), z.unknown()).optional(),
      recurring: z.record(z.string(), z.unknown()).optional(),
      tax_behavior: text().optional(),
    })
    .optional(),
  quantity: int({ min: 1 }).optional(),
  adjustable_quantity: z.record(z.string(), z.unknown()).optional(),
});

// What the object a session makes is made with; the other members are accepted and left alone.
const madeWith = z.looseObject({ metadata: metadata.optional(), description: text().optional() });

const createSchema = z.strictObject({
  mode: oneOf('mode', ['payment', 'setup', 'subscription']),
  line_items: z.array(lineItem).max(100).optional(),
  customer: text().optional(),
  customer_email: text().optional(),
  customer_creation: oneOf('customer_creation', ['always', 'if_required']).optional(),
  client_reference_id: text().optional(),
  success_url: text().optional(),
  cancel_url: text().optional(),
  return_url: text().optional(),
  ui_mode: oneOf('ui_mode', ['custom', 'embedded', 'hosted']).optional(),
  currency: text().optional(),
  expires_at: int().optional(),
  metadata: metadata.optional(),
  payment_method_types: z.array(text()).optional(),
  allow_promotion_codes: bool().optional(),
  payment_intent_data: madeWith.optional(),
  subscription_data: madeWith.extend({ trial_period_days: int({ min: 1, max: 730 }).optional() }).optional(),
  setup_intent_data: madeWith.optional(),
  expand,
});

const listSchema = z.strictObject({
  ...listParams,
  customer: text().optional(),
  payment_intent: text().optional(),
  subscription: text().optional(),
  status: oneOf('status', ['complete', 'expired', 'open']).optional(),
});

/** Loads a Checkout Session of the current account or fails with Stripe's 404. */
export function requireSession(context: StripeContext, id: string): Stripe.Checkout.Session {
  const session = context.tx.get<Stripe.Checkout.Session>('checkout.session', id);
  if (session === undefined) fail({ kind: 'resource_missing', objectName: 'checkout.session', id });
  return session;
}

// Each line names a price, or carries price_data that becomes an inline price as Stripe does.
function resolveLines(
  context: StripeContext,
  lines: z.infer<typeof lineItem>[],
  mode: string,
): Array<{ price: Stripe.Price; quantity: number }> {
  if (mode !== 'setup' && lines.length === 0) fail({ kind: 'parameter_missing', param: 'line_items' });
  return lines.map((line, index) => {
    const param = `line_items[${index}]`;
    if ((line.price === undefined) === (line.price_data === undefined)) {
      fail({ kind: 'invalid_request', param, message: 'You must specify either `price` or `price_data`.' });
    }
    const price =
      line.price !== undefined
        ? context.tx.get<Stripe.Price>('price', line.price)
        : callEndpoint<Stripe.Price>(context, 'POST', '/v1/prices', { ...line.price_data });
    if (price === undefined) {
      fail({ kind: 'resource_missing', objectName: 'price', id: line.price!, param: `${param}[price]` });
    }
    if (mode === 'subscription' && price.recurring === null && lines.length === 1) {
      fail({
        kind: 'invalid_request',
        param,
        message: 'You must specify at least one recurring price in `subscription` mode.',
      });
    }
    if (mode === 'payment' && price.recurring !== null) {
      fail({
        kind: 'invalid_request',
        param,
        message: 'You specified `payment` mode but passed a recurring price.',
      });
    }
    return { price, quantity: line.quantity ?? 1 };
  });
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  if (params.customer !== undefined) requireCustomer(context, params.customer, 'customer');
  const lines = resolveLines(context, params.line_items ?? [], params.mode);
  const currencies = new Set(lines.map((line) => line.price.currency));
  if (currencies.size > 1) {
    fail({
      kind: 'invalid_request',
      param: 'line_items',
      message: 'All prices on a Checkout Session must have the same currency.',
    });
  }
  if (params.mode === 'setup' && params.currency === undefined && params.payment_method_types === undefined) {
    fail({ kind: 'parameter_missing', param: 'currency' });
  }
  const now = context.nowSeconds;
  const expiresAt = params.expires_at ?? now + sessionLifetimeSeconds;
  if (expiresAt < now + 30 * 60 || expiresAt > now + sessionLifetimeSeconds) {
    fail({
      kind: 'invalid_request',
      param: 'expires_at',
      message: 'The `expires_at` timestamp must be between 30 minutes and 24 hours from now.',
    });
  }
  const id = context.ids.custom('cs_test_', 58);
  const items: Stripe.LineItem[] = lines.map(({ price, quantity }) => ({
    id: context.ids.custom('li_', 24),
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: priceAmount(context, price, quantity),
    amount_tax: 0,
    amount_total: priceAmount(context, price, quantity),
    currency: price.currency,
    description: null,
    metadata: {},
    price,
    quantity,
  }));
  const session = checkoutSession(context, {
    id,
    params,
    items,
    expiresAt,
    currency: [...currencies][0] ?? params.currency ?? null,
  });
  context.tx.put(session);
  const made = {
    payment: params.payment_intent_data,
    subscription: params.subscription_data,
    setup: params.setup_intent_data,
  }[params.mode];
  context.tx.put<LineItemsRecord>({ id: lineItemsId(id), object: lineItemsType, items, made });
  context.later({
    label: `expire checkout session ${id}`,
    delayMs: (expiresAt - now) * 1000,
    run: (later) => expireIfOpen(later, id),
  });
  return session;
};

/** Expires an open session (API call, harness action or the 24 h job); `undefined` if not open. */
export function expireIfOpen(context: StripeContext, id: string): Stripe.Checkout.Session | undefined {
  const session = requireSession(context, id);
  if (session.status !== 'open') return undefined;
  const expired: Stripe.Checkout.Session = { ...session, status: 'expired', url: null, client_secret: null };
  context.tx.put(expired);
  context.emit('checkout.session.expired', expired);
  return expired;
}

const expire: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const session = requireSession(context, path.id!);
  const expired = expireIfOpen(context, session.id);
  if (expired === undefined) {
    fail({
      kind: 'unexpected_state',
      code: 'checkout_session_unexpected_state',
      message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
    });
  }
  return expired;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireSession(context, path.id!);
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (session: Stripe.Checkout.Session) =>
    (params.customer === undefined || session.customer === params.customer) &&
    (params.payment_intent === undefined || session.payment_intent === params.payment_intent) &&
    (params.subscription === undefined || session.subscription === params.subscription) &&
    (params.status === undefined || session.status === params.status);
  const filters = [
    ['payment_intent', params.payment_intent],
    ['subscription', params.subscription],
    ['customer', params.customer],
  ] as const;
  return listPage(context.tx, params, 'checkout.session', filters, matches, '/v1/checkout/sessions');
};

const lineItems: StripeHandler = (context, path) => {
  const params = parseParams(listOnly, context.params);
  requireSession(context, path.id!);
  const record = context.tx.get<LineItemsRecord>(lineItemsType, lineItemsId(path.id!));
  const items = [...(record?.items ?? [])].reverse();
  return paginate(params, items, `/v1/checkout/sessions/${path.id!}/line_items`);
};

export const checkoutSessionsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/checkout/sessions', handler: create },
  { method: 'GET', pattern: '/v1/checkout/sessions', handler: list },
  { method: 'GET', pattern: '/v1/checkout/sessions/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/checkout/sessions/:id/expire', handler: expire },
  { method: 'GET', pattern: '/v1/checkout/sessions/:id/line_items', handler: lineItems },
];
