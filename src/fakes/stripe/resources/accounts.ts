import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import {
  expand,
  expandOnly,
  listOnly,
  mergeMetadata,
  metadata,
  oneOf,
  parseParams,
  text,
} from '../params.ts';
import { platformScope } from '../store.ts';

const capabilityRequest = z.strictObject({ requested: z.string().optional() });

const createSchema = z.strictObject({
  type: oneOf('type', ['custom', 'express', 'standard']).optional(),
  country: text().optional(),
  email: text().optional(),
  default_currency: text().optional(),
  business_type: oneOf('business_type', [
    'company',
    'government_entity',
    'individual',
    'non_profit',
  ]).optional(),
  capabilities: z.record(z.string(), capabilityRequest).optional(),
  controller: z.record(z.string(), z.unknown()).optional(),
  business_profile: z.record(z.string(), z.unknown()).optional(),
  metadata: metadata.optional(),
  expand,
});

const updateSchema = z.strictObject({
  email: text().optional(),
  default_currency: text().optional(),
  business_profile: z.record(z.string(), z.unknown()).optional(),
  metadata: metadata.optional(),
  expand,
});

// Connected accounts are platform objects; the `Stripe-Account` header scopes everything else.
function requireAccount(context: StripeContext, id: string): Stripe.Account {
  const account = context.tx.get<Stripe.Account>('account', id, platformScope);
  if (account === undefined) fail({ kind: 'resource_missing', objectName: 'account', id, param: 'account' });
  return account;
}

const emptyRequirements = {
  alternatives: [],
  current_deadline: null,
  currently_due: [],
  disabled_reason: null,
  errors: [],
  eventually_due: [],
  past_due: [],
  pending_verification: [],
};

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const id = context.ids.stripe('acct_');
  const type = params.type ?? 'custom';
  // Test-mode accounts start fully onboarded, so charges on them work at once.
  const account = {
    id,
    object: 'account',
    business_profile: {
      mcc: null,
      name: null,
      product_description: null,
      support_address: null,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: null,
      ...params.business_profile,
    },
    business_type: params.business_type ?? null,
    capabilities: { card_payments: 'active', transfers: 'active' },
    charges_enabled: true,
    controller: { type: type === 'standard' ? 'account' : 'application', is_controller: true },
    country: params.country ?? 'US',
    created: context.nowSeconds,
    default_currency: params.default_currency ?? 'usd',
    details_submitted: true,
    email: params.email ?? null,
    external_accounts: {
      object: 'list',
      data: [],
      has_more: false,
      url: `/v1/accounts/${id}/external_accounts`,
    },
    future_requirements: emptyRequirements,
    metadata: mergeMetadata({}, params.metadata),
    payouts_enabled: true,
    requirements: emptyRequirements,
    settings: {
      dashboard: { display_name: null, timezone: 'Etc/UTC' },
      payouts: {
        debit_negative_balances: true,
        schedule: { delay_days: 2, interval: 'daily' },
        statement_descriptor: null,
      },
    },
    tos_acceptance: { date: context.nowSeconds, ip: '127.0.0.1', user_agent: null },
    type,
  } as unknown as Stripe.Account;
  context.tx.put(account, platformScope);
  return account;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireAccount(context, path.id!);
};

const retrieveCurrent: StripeHandler = (context) => {
  parseParams(expandOnly, context.params);
  if (context.account !== undefined) return requireAccount(context, context.account);
  return {
    id: 'acct_fakepspplatform',
    object: 'account',
    charges_enabled: true,
    payouts_enabled: true,
    country: 'US',
    default_currency: 'usd',
    details_submitted: true,
    email: null,
    type: 'standard',
  };
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireAccount(context, path.id!);
  const updated: Stripe.Account = {
    ...existing,
    email: params.email ?? existing.email,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
    ...(params.default_currency === undefined ? {} : { default_currency: params.default_currency }),
  };
  context.tx.put(updated, platformScope);
  context.emit('account.updated', updated);
  return updated;
};

const remove: StripeHandler = (context, path) => {
  const existing = requireAccount(context, path.id!);
  context.tx.remove('account', existing.id, platformScope);
  // The connected account no longer authorizes the platform: a Connect event, from its scope.
  const application: Stripe.Application = {
    id: 'ca_fakepspplatform',
    object: 'application',
    name: 'fakepsp',
  };
  context.later({
    label: `account ${existing.id} deauthorizes the platform`,
    delayMs: 0,
    scope: existing.id,
    run: (job) => job.emit('account.application.deauthorized', application),
  });
  return { id: existing.id, object: 'account', deleted: true };
};

const list: StripeHandler = (context) => {
  const params = parseParams(listOnly, context.params);
  return listPage(context.tx, params, 'account', [], () => true, '/v1/accounts', platformScope);
};

export const accountsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/accounts', handler: create },
  { method: 'GET', pattern: '/v1/accounts', handler: list },
  { method: 'GET', pattern: '/v1/account', handler: retrieveCurrent },
  { method: 'GET', pattern: '/v1/accounts/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/accounts/:id', handler: update },
  { method: 'DELETE', pattern: '/v1/accounts/:id', handler: remove },
];
