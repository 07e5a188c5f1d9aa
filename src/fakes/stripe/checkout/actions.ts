import type Stripe from 'stripe';
import type { StripeContext, StripeRuntime } from '../context.ts';
import { runWork } from '../engine.ts';
import { StripeFailure } from '../errors.ts';
import { callEndpoint } from '../internal-call.ts';
import { expireIfOpen, requireSession } from '../resources/checkout-sessions.ts';
import { mergeMetadata } from '../params.ts';
import { payOffSession } from '../resources/payment-intents.ts';
import { platformScope } from '../store.ts';
import { customerDetails, lineItemsId, type LineItemsRecord, lineItemsType } from './session-object.ts';

/** How a customer's attempt at a Checkout Session ended. */
export type CheckoutOutcome =
  | { readonly ok: true; readonly session: Stripe.Checkout.Session }
  | {
      readonly ok: false;
      readonly session: Stripe.Checkout.Session;
      readonly code: string;
      readonly declineCode?: string | undefined;
    };

/** Who completes the session and with what card (a `pm_card_*` test id). */
export interface CheckoutCustomer {
  readonly sessionId: string;
  readonly scope?: string;
  readonly paymentMethod?: string;
  readonly email?: string;
}

/**
 * The customer completes a Checkout Session in the hosted page, as a harness action: pays
 * (payment mode), subscribes (subscription mode) or saves a card (setup mode). A declining
 * card leaves the session open, as Checkout does, and the outcome says why.
 *
 * @example
 * completeCheckoutSession(stripe.runtime, { sessionId: session.id, paymentMethod: 'pm_card_visa' });
 */
export function completeCheckoutSession(runtime: StripeRuntime, customer: CheckoutCustomer): CheckoutOutcome {
  return runWork(
    runtime,
    { scope: customer.scope ?? platformScope, label: `complete ${customer.sessionId}` },
    (context) => completeSessionIn(context, customer),
  );
}

/** The completion of {@link completeCheckoutSession} inside a unit of work already open. */
export function completeSessionIn(context: StripeContext, customer: CheckoutCustomer): CheckoutOutcome {
  const session = requireSession(context, customer.sessionId);
  if (session.status !== 'open') {
    throw new Error(
      `Checkout Session ${session.id} is ${session.status}; only an open session can be completed`,
    );
  }
  const customerId = (session.customer as string | null) ?? createCustomer(context, session, customer.email);
  const paymentMethod = customer.paymentMethod ?? 'pm_card_visa';
  try {
    const done = complete(context, session, customerId, paymentMethod);
    if (!done.ok) return { ok: false, session, code: done.code, declineCode: done.declineCode };
    const completed: Stripe.Checkout.Session = {
      ...session,
      ...done.changes,
      customer: customerId,
      customer_details: customerDetails(session.customer_email ?? customer.email ?? null),
      status: 'complete',
      url: null,
    };
    context.tx.put(completed);
    context.emit('checkout.session.completed', completed);
    return { ok: true, session: completed };
  } catch (error) {
    if (!(error instanceof StripeFailure) || error.error.kind !== 'card_declined') throw error;
    return { ok: false, session, code: error.error.code, declineCode: error.error.declineCode };
  }
}

/** The customer tries a card that is declined: the session stays open. */
export function failCheckoutSession(runtime: StripeRuntime, customer: CheckoutCustomer): CheckoutOutcome {
  return completeCheckoutSession(runtime, {
    ...customer,
    paymentMethod: customer.paymentMethod ?? 'pm_card_visa_chargeDeclined',
  });
}

/** The customer walks away and the session expires now. */
export function expireCheckoutSession(
  runtime: StripeRuntime,
  options: { readonly sessionId: string; readonly scope?: string },
): Stripe.Checkout.Session | undefined {
  return runWork(
    runtime,
    { scope: options.scope ?? platformScope, label: `expire ${options.sessionId}` },
    (context) => expireIfOpen(context, options.sessionId),
  );
}

type Completion =
  | { readonly ok: true; readonly changes: Partial<Stripe.Checkout.Session> }
  | { readonly ok: false; readonly code: string; readonly declineCode: string | undefined };

function complete(
  context: StripeContext,
  session: Stripe.Checkout.Session,
  customer: string,
  paymentMethod: string,
): Completion {
  const lines = context.tx.get<LineItemsRecord>(lineItemsType, lineItemsId(session.id));
  const { metadata, description, trial_period_days: trialDays } = lines?.made ?? {};
  const describedAs = description === undefined ? {} : { description };
  if (session.mode === 'payment') {
    const outcome = payOffSession(context, {
      customer,
      amount: session.amount_total ?? 0,
      currency: session.currency ?? 'usd',
      paymentMethod,
      metadata: { ...mergeMetadata({}, metadata) },
      ...describedAs,
    });
    if (!outcome.ok) return { ok: false, code: outcome.code, declineCode: outcome.declineCode };
    // A bank debit is still processing: the session completes unpaid, and is paid (or not) later.
    const paid = outcome.paymentIntent.status === 'processing' ? 'unpaid' : 'paid';
    return { ok: true, changes: { payment_intent: outcome.paymentIntent.id, payment_status: paid } };
  }
  const card = callEndpoint<Stripe.PaymentMethod>(
    context,
    'POST',
    `/v1/payment_methods/${paymentMethod}/attach`,
    { customer },
  );
  if (session.mode === 'setup') {
    const intent = setupIntent(context, {
      customer,
      paymentMethod: card.id,
      metadata: mergeMetadata({}, metadata),
    });
    return { ok: true, changes: { setup_intent: intent.id } };
  }
  const subscription = callEndpoint<Stripe.Subscription>(context, 'POST', '/v1/subscriptions', {
    customer,
    items: (lines?.items ?? []).map((item) => ({ price: item.price!.id, quantity: item.quantity ?? 1 })),
    default_payment_method: card.id,
    payment_behavior: 'error_if_incomplete',
    ...(metadata === undefined ? {} : { metadata }),
    ...describedAs,
    ...(trialDays === undefined ? {} : { trial_period_days: trialDays }),
  });
  const invoice = subscription.latest_invoice as string | null;
  // A trial's first invoice is for nothing: the customer only saved a card.
  const paid = subscription.status === 'trialing' ? 'no_payment_required' : 'paid';
  return { ok: true, changes: { subscription: subscription.id, invoice, payment_status: paid } };
}

function createCustomer(
  context: StripeContext,
  session: Stripe.Checkout.Session,
  email: string | undefined,
): string {
  const params = { email: session.customer_email ?? email ?? 'checkout-customer@example.com' };
  return callEndpoint<Stripe.Customer>(context, 'POST', '/v1/customers', params).id;
}

function setupIntent(
  context: StripeContext,
  made: { customer: string; paymentMethod: string; metadata: Stripe.Metadata },
): Stripe.SetupIntent {
  const { customer, paymentMethod, metadata } = made;
  const id = context.ids.stripe('seti_');
  const intent: Stripe.SetupIntent = {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${context.ids.custom('', 24)}`,
    created: context.nowSeconds,
    customer,
    description: null,
    excluded_payment_method_types: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: 'succeeded',
    usage: 'off_session',
  };
  context.tx.put(intent);
  context.emit('setup_intent.succeeded', intent);
  return intent;
}
