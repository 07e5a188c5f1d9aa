import { asJson } from '../../../sim/canonical-json.ts';
import type Stripe from 'stripe';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail, failAttempt } from '../errors.ts';
import { callEndpoint } from '../internal-call.ts';
import { listPage } from '../list.ts';
import { mergeMetadata, parseParams } from '../params.ts';
import { behaviourOf } from '../test-cards.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';
import { requirePaymentMethod, resolvePaymentMethod } from './payment-methods.ts';
import {
  cancelSchema,
  confirmSchema,
  createSchema,
  listQuery,
  retrieveParams,
  updateSchema,
} from './setup-intents-params.ts';

/** Loads a SetupIntent of the current account or fails with Stripe's 404. */
export function requireSetupIntent(context: StripeContext, id: string): Stripe.SetupIntent {
  const found = context.tx.get<Stripe.SetupIntent>('setup_intent', id);
  if (found === undefined)
    fail({ kind: 'resource_missing', objectName: 'setup_intent', id, param: 'intent' });
  return found;
}

/** The payment method a request names, or makes from `payment_method_data` as Stripe does. */
function methodOf(
  context: StripeContext,
  params: { payment_method?: string | undefined; payment_method_data?: Record<string, unknown> | undefined },
): Stripe.PaymentMethod | undefined {
  if (params.payment_method_data !== undefined) {
    return callEndpoint<Stripe.PaymentMethod>(
      context,
      'POST',
      '/v1/payment_methods',
      params.payment_method_data,
    );
  }
  return params.payment_method === undefined
    ? undefined
    : resolvePaymentMethod(context, params.payment_method, 'payment_method');
}

/**
 * Confirms a SetupIntent: the test card decides, as for payments. A declining card fails the
 * setup (402 with the SetupIntent, `setup_intent.setup_failed`); a 3DS card needs action; any
 * other card is verified, attached to the customer and the setup succeeds.
 */
export function confirmSetup(context: StripeContext, intent: Stripe.SetupIntent): Stripe.SetupIntent {
  if (intent.payment_method === null) {
    fail({
      kind: 'invalid_request',
      code: 'setup_intent_unexpected_state',
      param: 'payment_method',
      message: "You cannot confirm this SetupIntent because it's missing a payment method.",
    });
  }
  const method = requirePaymentMethod(context, intent.payment_method as string, 'payment_method');
  const behaviour =
    method.type === 'card' ? behaviourOf(method.card?.fingerprint) : { kind: 'success' as const };
  if (behaviour.kind === 'decline') {
    const failed: Stripe.SetupIntent = {
      ...intent,
      status: 'requires_payment_method',
      next_action: null,
      last_setup_error: {
        type: 'card_error',
        code: behaviour.decline.code as Stripe.SetupIntent.LastSetupError.Code,
        decline_code: behaviour.decline.declineCode,
        doc_url: `https://stripe.com/docs/error-codes/${behaviour.decline.code.replaceAll('_', '-')}`,
        message: behaviour.decline.message,
        payment_method: method,
      },
    };
    context.tx.put(failed);
    context.emit('setup_intent.setup_failed', failed);
    failAttempt({
      kind: 'card_declined',
      code: behaviour.decline.code,
      declineCode: behaviour.decline.declineCode,
      message: behaviour.decline.message,
      setupIntent: asJson(structuredClone(failed)),
      paymentMethod: asJson(structuredClone(method)),
    });
  }
  if (behaviour.kind === 'three_ds_always' || behaviour.kind === 'three_ds_on_setup') {
    const waiting: Stripe.SetupIntent = {
      ...intent,
      status: 'requires_action',
      last_setup_error: null,
      next_action: {
        type: 'use_stripe_sdk',
        use_stripe_sdk: {
          type: 'three_d_secure_redirect',
          stripe_js: `https://hooks.stripe.com/redirect/authenticate/${intent.id}`,
        },
      } as Stripe.SetupIntent.NextAction,
    };
    context.tx.put(waiting);
    context.emit('setup_intent.requires_action', waiting);
    return waiting;
  }
  return succeedSetup(context, intent, method);
}

/** The setup succeeded: the payment method is attached to the intent's customer. */
export function succeedSetup(
  context: StripeContext,
  intent: Stripe.SetupIntent,
  method: Stripe.PaymentMethod,
): Stripe.SetupIntent {
  const customer = intent.customer === null ? null : (intent.customer as string);
  if (customer !== null && method.customer === null) {
    const attached = context.tx.put<Stripe.PaymentMethod>({ ...method, customer });
    context.emit('payment_method.attached', attached);
  }
  const succeeded: Stripe.SetupIntent = {
    ...intent,
    status: 'succeeded',
    next_action: null,
    last_setup_error: null,
  };
  context.tx.put(succeeded);
  context.emit('setup_intent.succeeded', succeeded);
  return succeeded;
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  if (params.customer !== undefined) requireCustomer(context, params.customer, 'customer');
  const method = methodOf(context, params);
  const id = context.ids.stripe('seti_');
  const intent: Stripe.SetupIntent = {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods:
      params.automatic_payment_methods === undefined
        ? null
        : {
            allow_redirects: (params.automatic_payment_methods.allow_redirects ?? 'always') as
              'always' | 'never',
            enabled: params.automatic_payment_methods.enabled,
          },
    cancellation_reason: null,
    client_secret: `${id}_secret_${context.ids.custom('', 24)}`,
    created: context.nowFor(params.customer),
    customer: params.customer ?? null,
    description: params.description ?? null,
    excluded_payment_method_types: null,
    flow_directions: params.flow_directions ?? null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: mergeMetadata({}, params.metadata),
    next_action: null,
    on_behalf_of: params.on_behalf_of ?? null,
    payment_method: method?.id ?? null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: params.payment_method_types ?? [method?.type ?? 'card'],
    single_use_mandate: null,
    status: method === undefined ? 'requires_payment_method' : 'requires_confirmation',
    usage: params.usage ?? 'off_session',
  };
  context.tx.put(intent);
  context.emit('setup_intent.created', intent);
  return params.confirm === true ? confirmSetup(context, intent) : intent;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(retrieveParams, context.params);
  return requireSetupIntent(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireSetupIntent(context, path.id!);
  if (params.customer !== undefined) requireCustomer(context, params.customer, 'customer');
  const method = methodOf(context, params);
  const updated: Stripe.SetupIntent = {
    ...existing,
    customer: params.customer ?? existing.customer,
    description: params.description ?? existing.description,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
    payment_method_types: params.payment_method_types ?? existing.payment_method_types,
    ...(method === undefined ? {} : { payment_method: method.id, status: 'requires_confirmation' as const }),
  };
  context.tx.put(updated);
  context.emit('setup_intent.updated', updated, changedAttributes(existing, updated));
  return updated;
};

const confirmable = new Set(['requires_payment_method', 'requires_confirmation', 'requires_action']);

const confirm: StripeHandler = (context, path) => {
  const params = parseParams(confirmSchema, context.params);
  const existing = requireSetupIntent(context, path.id!);
  if (!confirmable.has(existing.status)) {
    fail({
      kind: 'unexpected_state',
      code: 'setup_intent_unexpected_state',
      message: `This SetupIntent's status is ${existing.status}; only one that requires a payment method, confirmation or action can be confirmed.`,
    });
  }
  const method = methodOf(context, params);
  return confirmSetup(context, method === undefined ? existing : { ...existing, payment_method: method.id });
};

const cancel: StripeHandler = (context, path) => {
  const params = parseParams(cancelSchema, context.params);
  const existing = requireSetupIntent(context, path.id!);
  if (existing.status === 'succeeded' || existing.status === 'canceled') {
    fail({
      kind: 'unexpected_state',
      code: 'setup_intent_unexpected_state',
      message: `You cannot cancel this SetupIntent because it has a status of ${existing.status}.`,
    });
  }
  const canceled: Stripe.SetupIntent = {
    ...existing,
    status: 'canceled',
    next_action: null,
    cancellation_reason: params.cancellation_reason ?? null,
  };
  context.tx.put(canceled);
  context.emit('setup_intent.canceled', canceled);
  return canceled;
};

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const matches = (intent: Stripe.SetupIntent) =>
    (params.customer === undefined || intent.customer === params.customer) &&
    (params.payment_method === undefined || intent.payment_method === params.payment_method);
  const filters = [
    ['customer', params.customer],
    ['payment_method', params.payment_method],
  ] as const;
  return listPage(context.tx, params, 'setup_intent', filters, matches, '/v1/setup_intents');
};

export const setupIntentsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/setup_intents', handler: create },
  { method: 'GET', pattern: '/v1/setup_intents', handler: list },
  { method: 'GET', pattern: '/v1/setup_intents/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/setup_intents/:id', handler: update },
  { method: 'POST', pattern: '/v1/setup_intents/:id/confirm', handler: confirm },
  { method: 'POST', pattern: '/v1/setup_intents/:id/cancel', handler: cancel },
];
