import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { mergeMetadata } from '../params.ts';
import { platformScope } from '../store.ts';
import { requireCustomer } from './customer-lookup.ts';
import { requireChargeAmount, requireCurrency } from './payment-amounts.ts';
import type { CreateParams } from './payment-intent-params.ts';
import { resolvePaymentMethod } from './payment-methods.ts';
import { callEndpoint } from '../internal-call.ts';
import type { Params } from '../params.ts';

/** Loads a PaymentIntent of the current account, or fails with Stripe's 404. */
export function requireIntent(context: StripeContext, id: string, param = 'intent'): Stripe.PaymentIntent {
  const found = context.tx.get<Stripe.PaymentIntent>('payment_intent', id);
  if (found === undefined) fail({ kind: 'resource_missing', objectName: 'payment_intent', id, param });
  return found;
}

// Everything the create params name must exist before anything is written.
function checkReferences(context: StripeContext, params: CreateParams): void {
  if (params.customer !== undefined) requireCustomer(context, params.customer, 'customer');
  const destination = params.transfer_data?.destination;
  if (destination !== undefined && context.tx.get('account', destination, platformScope) === undefined) {
    fail({
      kind: 'resource_missing',
      objectName: 'destination',
      id: destination,
      param: 'transfer_data[destination]',
    });
  }
  if (params.transfer_data?.amount !== undefined && params.transfer_data.amount > params.amount) {
    fail({
      kind: 'invalid_request',
      param: 'transfer_data[amount]',
      message: 'The transfer amount cannot be greater than the PaymentIntent amount.',
    });
  }
  if (params.application_fee_amount !== undefined && params.application_fee_amount > params.amount) {
    fail({
      kind: 'invalid_request',
      param: 'application_fee_amount',
      message: 'The application fee amount cannot be greater than the PaymentIntent amount.',
    });
  }
  if (
    params.application_fee_amount !== undefined &&
    destination === undefined &&
    context.account === undefined
  ) {
    fail({
      kind: 'invalid_request',
      param: 'application_fee_amount',
      message:
        'Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).',
    });
  }
}

/** Validates create params, then stores a new PaymentIntent and emits `payment_intent.created`. */
export function createIntent(context: StripeContext, params: CreateParams): Stripe.PaymentIntent {
  const currency = requireCurrency(params.currency);
  requireChargeAmount(params.amount, currency);
  checkReferences(context, params);
  const method =
    params.payment_method_data !== undefined
      ? callEndpoint<Stripe.PaymentMethod>(
          context,
          'POST',
          '/v1/payment_methods',
          params.payment_method_data as Params,
        )
      : params.payment_method === undefined
        ? undefined
        : resolvePaymentMethod(context, params.payment_method, 'payment_method');
  const id = context.ids.stripe('pi_');
  const intent: Stripe.PaymentIntent = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: params.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: params.application_fee_amount ?? null,
    automatic_payment_methods:
      params.automatic_payment_methods === undefined
        ? null
        : {
            enabled: params.automatic_payment_methods.enabled,
            allow_redirects: params.automatic_payment_methods.allow_redirects ?? 'always',
          },
    canceled_at: null,
    cancellation_reason: null,
    capture_method: params.capture_method ?? 'automatic_async',
    client_secret: `${id}_secret_${context.ids.custom('', 25)}`,
    confirmation_method: params.confirmation_method ?? 'automatic',
    created: context.nowFor(params.customer),
    currency,
    customer: params.customer ?? null,
    customer_account: null,
    description: params.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: mergeMetadata({}, params.metadata),
    next_action: null,
    on_behalf_of: params.on_behalf_of ?? null,
    payment_method: method?.id ?? null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: params.payment_method_types ?? ['card'],
    payment_record: null,
    processing: null,
    receipt_email: params.receipt_email ?? null,
    review: null,
    setup_future_usage: params.setup_future_usage || null,
    shipping: null,
    source: null,
    statement_descriptor: params.statement_descriptor ?? null,
    statement_descriptor_suffix: params.statement_descriptor_suffix ?? null,
    status: method === undefined ? 'requires_payment_method' : 'requires_confirmation',
    transfer_data:
      params.transfer_data === undefined
        ? null
        : {
            destination: params.transfer_data.destination,
            ...(params.transfer_data.amount === undefined ? {} : { amount: params.transfer_data.amount }),
          },
    transfer_group: params.transfer_group ?? null,
  };
  context.tx.put(intent);
  context.emit('payment_intent.created', intent);
  return intent;
}
