import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import { requireCustomer } from './customer-lookup.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { isDeleted } from '../store.ts';
import { attachPaymentMethod } from './payment-methods.ts';
import { applyCustomerDiscount } from './customer-discounts.ts';
import { addCardSource } from './customer-sources.ts';
import {
  expand,
  expandOnly,
  int,
  listParams,
  mergeMetadata,
  metadata,
  parseParams,
  text,
} from '../params.ts';

const nullable = <T extends z.ZodType>(schema: T) => z.union([z.literal(''), schema]).optional();

const writable = {
  email: nullable(text()),
  name: nullable(text()),
  description: nullable(text()),
  phone: nullable(text()),
  metadata: metadata.optional(),
  payment_method: text().optional(),
  balance: int().optional(),
  preferred_locales: z.array(text()).optional(),
  invoice_settings: z
    .strictObject({
      default_payment_method: nullable(text()),
      footer: nullable(text()),
      custom_fields: z.union([z.literal(''), z.array(z.unknown())]).optional(),
    })
    .optional(),
  // Legacy discount params (API versions before clover), a token saved as a card source, and
  // cash balance settings (reconciliation mode, accepted as given).
  coupon: text().optional(),
  promotion_code: text().optional(),
  source: text().optional(),
  cash_balance: z.record(z.string(), z.unknown()).optional(),
  expand,
};

const createSchema = z.strictObject({ ...writable, test_clock: text().optional() });
const updateSchema = z.strictObject({ ...writable, default_source: text().optional() });
const listSchema = z.strictObject({ ...listParams, email: text().optional(), test_clock: text().optional() });

const orNull = (value: string | undefined, fallback: string | null): string | null =>
  value === undefined ? fallback : value === '' ? null : value;

// Most customers have neither: they share these frozen defaults (stored state is immutable).
// (Typed as Stripe's mutable array; frozen, like every stored object.)
const noLocales = Object.freeze([]) as unknown as string[];
const defaultInvoiceSettings: Stripe.Customer.InvoiceSettings = Object.freeze({
  custom_fields: null,
  default_payment_method: null,
  footer: null,
  rendering_options: null,
});

function invoiceSettingsOf(
  requested: { default_payment_method?: string | undefined; footer?: string | undefined } | undefined,
): Stripe.Customer.InvoiceSettings {
  if (requested?.default_payment_method === undefined && requested?.footer === undefined)
    return defaultInvoiceSettings;
  return {
    ...defaultInvoiceSettings,
    default_payment_method: orNull(requested.default_payment_method, null),
    footer: orNull(requested.footer, null),
  };
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  let clock: Stripe.TestHelpers.TestClock | undefined;
  if (params.test_clock !== undefined) {
    clock = context.tx.get<Stripe.TestHelpers.TestClock>('test_helpers.test_clock', params.test_clock);
    if (clock === undefined)
      fail({
        kind: 'resource_missing',
        objectName: 'test_clock',
        id: params.test_clock,
        param: 'test_clock',
      });
  }
  const id = context.ids.stripe('cus_');
  const customer: Stripe.Customer = {
    id,
    object: 'customer',
    address: null,
    balance: params.balance ?? 0,
    created: clock?.frozen_time ?? context.nowSeconds,
    currency: null,
    default_source: null,
    delinquent: false,
    description: orNull(params.description, null),
    discount: null,
    email: orNull(params.email, null),
    invoice_prefix: id.slice(4, 12).toUpperCase(),
    invoice_settings: invoiceSettingsOf(params.invoice_settings),
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    name: orNull(params.name, null),
    next_invoice_sequence: 1,
    phone: orNull(params.phone, null),
    preferred_locales: params.preferred_locales ?? noLocales,
    shipping: null,
    tax_exempt: 'none',
    test_clock: clock?.id ?? null,
  };
  context.tx.put(customer);
  const withMethods = attachOnCreate(context, customer, params.payment_method);
  const sourced =
    params.source === undefined ? undefined : addCardSource(context, withMethods, params.source);
  const discounted = applyCustomerDiscount(context, sourced?.customer ?? withMethods, params);
  context.emit('customer.created', discounted.customer);
  if (sourced !== undefined) context.emit('customer.source.created', sourced.card);
  discounted.emit();
  return discounted.customer;
};

// `payment_method` on create attaches it (a `pm_card_*` token becomes a new pm_ clone), and a
// default that names the same token, or another token, points at the attached clone.
function attachOnCreate(
  context: StripeContext,
  customer: Stripe.Customer,
  method: string | undefined,
): Stripe.Customer {
  const attached = method === undefined ? undefined : attachPaymentMethod(context, method, customer.id);
  const requested = customer.invoice_settings.default_payment_method as string | null;
  let resolved = requested;
  if (requested !== null && requested === method) resolved = attached!.id;
  else if (requested !== null && context.tx.get('payment_method', requested) === undefined) {
    resolved = attachPaymentMethod(context, requested, customer.id).id;
  }
  if (resolved === requested) return customer;
  return context.tx.put({
    ...customer,
    invoice_settings: { ...customer.invoice_settings, default_payment_method: resolved },
  });
}

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const customer = context.tx.get<Stripe.Customer>('customer', path.id!);
  if (customer === undefined) fail({ kind: 'resource_missing', objectName: 'customer', id: path.id! });
  return customer;
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireCustomer(context, path.id!);
  const settings = params.invoice_settings;
  const updated: Stripe.Customer = {
    ...existing,
    balance: params.balance ?? existing.balance,
    description: orNull(params.description, existing.description),
    email: orNull(params.email, existing.email),
    name: orNull(params.name, existing.name ?? null),
    phone: orNull(params.phone, existing.phone ?? null),
    metadata: mergeMetadata(existing.metadata, params.metadata),
    preferred_locales: params.preferred_locales ?? existing.preferred_locales ?? [],
    invoice_settings: {
      ...existing.invoice_settings,
      default_payment_method:
        settings?.default_payment_method === undefined
          ? existing.invoice_settings.default_payment_method
          : orNull(settings.default_payment_method, null),
      footer: orNull(settings?.footer, existing.invoice_settings.footer),
    },
  };
  const sourced = params.source === undefined ? undefined : addCardSource(context, updated, params.source);
  const defaulted =
    params.default_source === undefined
      ? (sourced?.customer ?? updated)
      : { ...(sourced?.customer ?? updated), default_source: params.default_source };
  const discounted = applyCustomerDiscount(context, context.tx.put(defaulted), params);
  context.emit('customer.updated', discounted.customer, changedAttributes(existing, discounted.customer));
  if (sourced !== undefined) context.emit('customer.source.created', sourced.card);
  discounted.emit();
  return discounted.customer;
};

const remove: StripeHandler = (context, path) => {
  const existing = requireCustomer(context, path.id!);
  const deleted = { id: existing.id, object: 'customer', deleted: true } as const;
  context.tx.put(deleted);
  context.emit('customer.deleted', existing);
  return deleted;
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (customer: Stripe.Customer) =>
    !isDeleted(customer) &&
    (params.email === undefined || customer.email === params.email) &&
    (params.test_clock === undefined || customer.test_clock === params.test_clock);
  return listPage(context.tx, params, 'customer', [['email', params.email]], matches, '/v1/customers');
};

export const customersRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/customers', handler: create },
  { method: 'GET', pattern: '/v1/customers', handler: list },
  { method: 'GET', pattern: '/v1/customers/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/customers/:id', handler: update },
  { method: 'DELETE', pattern: '/v1/customers/:id', handler: remove },
];
