import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler, StripeRuntime } from '../context.ts';
import { runWork } from '../engine.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import { bool, expand, expandOnly, listOnly, mergeMetadata, metadata, parseParams, text } from '../params.ts';
import { platformScope } from '../store.ts';

const url = text().refine((value) => /^https?:\/\/[^\s]+$/.test(value), {
  error: 'Invalid URL: must be an http(s) URL',
});

const createSchema = z.strictObject({
  url,
  enabled_events: z.array(text()).min(1),
  api_version: text().optional(),
  connect: bool().optional(),
  description: z.union([z.literal(''), text()]).optional(),
  metadata: metadata.optional(),
  expand,
});

const updateSchema = z.strictObject({
  url: url.optional(),
  enabled_events: z.array(text()).min(1).optional(),
  description: z.union([z.literal(''), text()]).optional(),
  disabled: bool().optional(),
  metadata: metadata.optional(),
  expand,
});

// Endpoints belong to the platform: a connected account's events reach `connect: true` ones.
function requireEndpoint(context: StripeContext, id: string): Stripe.WebhookEndpoint {
  const endpoint = context.tx.get<Stripe.WebhookEndpoint>('webhook_endpoint', id, platformScope);
  if (endpoint === undefined) fail({ kind: 'resource_missing', objectName: 'webhook_endpoint', id });
  return endpoint;
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const endpoint: Stripe.WebhookEndpoint = {
    id: context.ids.stripe('we_'),
    object: 'webhook_endpoint',
    api_version: params.api_version ?? null,
    application: null,
    created: context.nowSeconds,
    description: params.description === undefined || params.description === '' ? null : params.description,
    enabled_events: params.enabled_events,
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    status: 'enabled',
    url: params.url,
  };
  const secret = `whsec_${context.ids.custom('', 32)}`;
  context.tx.put(endpoint, platformScope);
  // The secret is shown once, at creation, as Stripe does; the fake keeps it for signing.
  context.runtime.endpointSecrets.set(endpoint.id, { secret, connect: params.connect ?? false });
  return { ...endpoint, secret };
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireEndpoint(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireEndpoint(context, path.id!);
  const updated: Stripe.WebhookEndpoint = {
    ...existing,
    url: params.url ?? existing.url,
    enabled_events: params.enabled_events ?? existing.enabled_events,
    description: params.description === undefined ? existing.description : params.description || null,
    status: params.disabled === undefined ? existing.status : params.disabled ? 'disabled' : 'enabled',
    metadata: mergeMetadata(existing.metadata, params.metadata),
  };
  return context.tx.put(updated, platformScope);
};

const remove: StripeHandler = (context, path) => {
  const existing = requireEndpoint(context, path.id!);
  context.tx.remove('webhook_endpoint', existing.id, platformScope);
  return { id: existing.id, object: 'webhook_endpoint', deleted: true };
};

const list: StripeHandler = (context) => {
  const params = parseParams(listOnly, context.params);
  return listPage(
    context.tx,
    params,
    'webhook_endpoint',
    [],
    () => true,
    '/v1/webhook_endpoints',
    platformScope,
  );
};

export const webhookEndpointsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/webhook_endpoints', handler: create },
  { method: 'GET', pattern: '/v1/webhook_endpoints', handler: list },
  { method: 'GET', pattern: '/v1/webhook_endpoints/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/webhook_endpoints/:id', handler: update },
  { method: 'DELETE', pattern: '/v1/webhook_endpoints/:id', handler: remove },
];

/**
 * Registers an endpoint as a dashboard would, with a secret the harness chose (it gave the same
 * secret to the SUT in `setup`). Returns the endpoint's id.
 *
 * @example
 * registerWebhookEndpoint(stripe.runtime, { url: 'http://127.0.0.1:4000/webhooks/stripe', secret });
 */
export function registerWebhookEndpoint(
  runtime: StripeRuntime,
  options: {
    readonly url: string;
    readonly secret: string;
    readonly connect?: boolean;
    readonly enabledEvents?: readonly string[];
  },
): string {
  return runWork(runtime, { scope: platformScope, label: 'register webhook endpoint' }, (context) => {
    const endpoint: Stripe.WebhookEndpoint = {
      id: context.ids.stripe('we_'),
      object: 'webhook_endpoint',
      api_version: null,
      application: null,
      created: context.nowSeconds,
      description: 'registered by the fakepsp harness',
      enabled_events: [...(options.enabledEvents ?? ['*'])],
      livemode: false,
      metadata: {},
      status: 'enabled',
      url: options.url,
    };
    context.tx.put(endpoint, platformScope);
    runtime.endpointSecrets.set(endpoint.id, { secret: options.secret, connect: options.connect ?? false });
    return endpoint.id;
  });
}
