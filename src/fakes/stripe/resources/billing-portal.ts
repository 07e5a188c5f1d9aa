import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import {
  bool,
  expand,
  expandOnly,
  listParams,
  mergeMetadata,
  metadata,
  oneOf,
  parseParams,
  text,
} from '../params.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';

type Configuration = Stripe.BillingPortal.Configuration;
type Features = Stripe.BillingPortal.Configuration.Features;

const feature = (fields: z.ZodRawShape) =>
  z.strictObject({ enabled: bool().optional(), ...fields }).optional();
const featuresSchema = z.strictObject({
  customer_update: feature({ allowed_updates: z.union([z.literal(''), z.array(text())]).optional() }),
  invoice_history: feature({}),
  payment_method_update: feature({ payment_method_configuration: text().optional() }),
  subscription_cancel: feature({
    mode: oneOf('mode', ['at_period_end', 'immediately']).optional(),
    proration_behavior: oneOf('proration_behavior', [
      'always_invoice',
      'create_prorations',
      'none',
    ]).optional(),
    cancellation_reason: z.record(z.string(), z.unknown()).optional(),
  }),
  subscription_pause: feature({}),
  subscription_update: feature({
    default_allowed_updates: z.union([z.literal(''), z.array(text())]).optional(),
    proration_behavior: oneOf('proration_behavior', [
      'always_invoice',
      'create_prorations',
      'none',
    ]).optional(),
    products: z.unknown().optional(),
  }),
});
const businessProfile = z
  .strictObject({
    headline: text().optional(),
    privacy_policy_url: text().optional(),
    terms_of_service_url: text().optional(),
  })
  .optional();
const configurationSchema = z.strictObject({
  features: featuresSchema.optional(),
  business_profile: businessProfile,
  default_return_url: text().optional(),
  login_page: z.strictObject({ enabled: bool() }).optional(),
  metadata: metadata.optional(),
  name: text().optional(),
  active: bool().optional(),
  expand,
});
const sessionSchema = z.strictObject({
  customer: text(),
  configuration: text().optional(),
  return_url: text().optional(),
  locale: text().optional(),
  on_behalf_of: text().optional(),
  flow_data: z.record(z.string(), z.unknown()).optional(),
  expand,
});

function defaultFeatures(): Features {
  return {
    customer_update: { allowed_updates: [], enabled: false },
    invoice_history: { enabled: true },
    payment_method_update: { enabled: true, payment_method_configuration: null },
    subscription_cancel: {
      cancellation_reason: { enabled: false, feedback_options: null, options: [] },
      enabled: false,
      mode: 'at_period_end',
      proration_behavior: 'none',
    },
    subscription_pause: { duration: { interval_options: [], type: 'indefinite' }, enabled: false },
    subscription_update: {
      billing_cycle_anchor: null,
      default_allowed_updates: [],
      enabled: false,
      products: [],
      proration_behavior: 'none',
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: 'end_trial',
    },
  };
}

function withFeatures(features: Features, given: z.infer<typeof featuresSchema> | undefined): Features {
  if (given === undefined) return features;
  const pick = <T extends object>(
    base: T,
    changes: Record<string, unknown> | undefined,
    keys: readonly string[],
  ): T => {
    if (changes === undefined) return base;
    const picked = Object.fromEntries(
      keys
        .filter((key) => changes[key] !== undefined)
        .map((key) => [key, changes[key] === '' ? [] : changes[key]]),
    );
    return { ...base, ...picked };
  };
  return {
    customer_update: pick(features.customer_update, given.customer_update, ['enabled', 'allowed_updates']),
    invoice_history: pick(features.invoice_history, given.invoice_history, ['enabled']),
    payment_method_update: pick(features.payment_method_update, given.payment_method_update, [
      'enabled',
      'payment_method_configuration',
    ]),
    subscription_cancel: pick(features.subscription_cancel, given.subscription_cancel, [
      'enabled',
      'mode',
      'proration_behavior',
    ]),
    subscription_pause: pick(features.subscription_pause, given.subscription_pause, ['enabled']),
    subscription_update: pick(features.subscription_update, given.subscription_update, [
      'enabled',
      'default_allowed_updates',
      'proration_behavior',
    ]),
  };
}

function requireConfiguration(context: StripeContext, id: string, param = 'id'): Configuration {
  const found = context.tx.get<Configuration>('billing_portal.configuration', id);
  if (found === undefined)
    fail({ kind: 'resource_missing', objectName: 'billing_portal.configuration', id, param });
  return found;
}

function insertConfiguration(
  context: StripeContext,
  params: z.infer<typeof configurationSchema>,
  isDefault: boolean,
): Configuration {
  const configuration: Configuration = {
    id: context.ids.stripe('bpc_'),
    object: 'billing_portal.configuration',
    active: params.active ?? true,
    application: null,
    business_profile: {
      headline: params.business_profile?.headline ?? null,
      privacy_policy_url: params.business_profile?.privacy_policy_url ?? null,
      terms_of_service_url: params.business_profile?.terms_of_service_url ?? null,
    },
    created: context.nowSeconds,
    default_return_url: params.default_return_url ?? null,
    features: withFeatures(defaultFeatures(), params.features),
    is_default: isDefault,
    livemode: false,
    login_page: { enabled: params.login_page?.enabled ?? false, url: null },
    metadata: mergeMetadata({}, params.metadata),
    name: params.name ?? null,
    updated: context.nowSeconds,
  };
  context.tx.put(configuration);
  context.emit('billing_portal.configuration.created', configuration);
  return configuration;
}

const createConfiguration: StripeHandler = (context) => {
  const params = parseParams(configurationSchema, context.params);
  const first = context.tx.values<Configuration>('billing_portal.configuration').length === 0;
  return insertConfiguration(context, params, first);
};

const updateConfiguration: StripeHandler = (context, path) => {
  const params = parseParams(configurationSchema, context.params);
  const existing = requireConfiguration(context, path.id!);
  const updated: Configuration = {
    ...existing,
    active: params.active ?? existing.active,
    business_profile: {
      headline: params.business_profile?.headline ?? existing.business_profile.headline,
      privacy_policy_url:
        params.business_profile?.privacy_policy_url ?? existing.business_profile.privacy_policy_url,
      terms_of_service_url:
        params.business_profile?.terms_of_service_url ?? existing.business_profile.terms_of_service_url,
    },
    default_return_url: params.default_return_url ?? existing.default_return_url,
    features: withFeatures(existing.features, params.features),
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
    name: params.name ?? existing.name,
    updated: context.nowSeconds,
  };
  context.tx.put(updated);
  context.emit('billing_portal.configuration.updated', updated, changedAttributes(existing, updated));
  return updated;
};

const retrieveConfiguration: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireConfiguration(context, path.id!);
};

const listConfigurationsParams = z.strictObject({
  ...listParams,
  active: bool().optional(),
  is_default: bool().optional(),
});

const listConfigurations: StripeHandler = (context) => {
  const params = parseParams(listConfigurationsParams, context.params);
  const matches = (configuration: Configuration) =>
    (params.active === undefined || configuration.active === params.active) &&
    (params.is_default === undefined || configuration.is_default === params.is_default);
  const url = '/v1/billing_portal/configurations';
  return listPage(context.tx, params, 'billing_portal.configuration', [], matches, url);
};

/** A portal session for a customer, on the named configuration or the account's default one. */
const createSession: StripeHandler = (context) => {
  const params = parseParams(sessionSchema, context.params);
  const customer = requireCustomer(context, params.customer, 'customer');
  const configuration =
    params.configuration === undefined
      ? (context.tx
          .values<Configuration>('billing_portal.configuration')
          .find((candidate) => candidate.is_default) ?? insertConfiguration(context, {}, true))
      : requireConfiguration(context, params.configuration, 'configuration');
  const id = context.ids.stripe('bps_');
  const session: Stripe.BillingPortal.Session = {
    id,
    object: 'billing_portal.session',
    configuration: configuration.id,
    created: context.nowFor(customer.id),
    customer: customer.id,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: (params.locale ?? null) as Stripe.BillingPortal.Session.Locale | null,
    on_behalf_of: params.on_behalf_of ?? null,
    return_url: params.return_url ?? configuration.default_return_url,
    url: `https://billing.stripe.com/p/session/test_${context.ids.custom('', 40)}`,
  };
  context.tx.put(session);
  context.emit('billing_portal.session.created', session);
  return session;
};

export const billingPortalRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/billing_portal/configurations', handler: createConfiguration },
  { method: 'GET', pattern: '/v1/billing_portal/configurations', handler: listConfigurations },
  { method: 'GET', pattern: '/v1/billing_portal/configurations/:id', handler: retrieveConfiguration },
  { method: 'POST', pattern: '/v1/billing_portal/configurations/:id', handler: updateConfiguration },
  { method: 'POST', pattern: '/v1/billing_portal/sessions', handler: createSession },
];
