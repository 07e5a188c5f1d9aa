import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { mergeMetadata } from '../params.ts';

/** Where a session's line items are kept (the session renders them only when expanded). */
export const lineItemsType = 'fakepsp.checkout_line_items';

/** Ids are unique across a scope, so the line items live under an id of their own. */
export function lineItemsId(sessionId: string): string {
  return `${sessionId}:line_items`;
}

export interface LineItemsRecord {
  readonly id: string;
  readonly object: typeof lineItemsType;
  readonly items: readonly Stripe.LineItem[];
  /** What the session's payment, subscription or setup is made with (`*_data`): not on its object. */
  readonly made?: MadeWith | undefined;
}

/** The part of `payment_intent_data`, `subscription_data` or `setup_intent_data` the fake applies. */
export interface MadeWith {
  readonly metadata?: string | Readonly<Record<string, string>> | undefined;
  readonly description?: string | undefined;
  readonly trial_period_days?: number | undefined;
}

/** The create params the object needs (already validated). */
export interface SessionParams {
  readonly mode: 'payment' | 'setup' | 'subscription';
  readonly customer?: string | undefined;
  readonly customer_email?: string | undefined;
  readonly customer_creation?: 'always' | 'if_required' | undefined;
  readonly client_reference_id?: string | undefined;
  readonly success_url?: string | undefined;
  readonly cancel_url?: string | undefined;
  readonly return_url?: string | undefined;
  readonly ui_mode?: 'custom' | 'embedded' | 'hosted' | undefined;
  readonly metadata?: string | Record<string, string> | undefined;
  readonly payment_method_types?: string[] | undefined;
  readonly allow_promotion_codes?: boolean | undefined;
}

/** A new, open Checkout Session in Stripe's shape. */
export function checkoutSession(
  context: StripeContext,
  options: {
    readonly id: string;
    readonly params: SessionParams;
    readonly items: readonly Stripe.LineItem[];
    readonly expiresAt: number;
    readonly currency: string | null;
  },
): Stripe.Checkout.Session {
  const { id, params, items } = options;
  const total = items.reduce((sum, item) => sum + item.amount_total, 0);
  const hosted = (params.ui_mode ?? 'hosted') === 'hosted';
  const session: Stripe.Checkout.Session = {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: params.allow_promotion_codes ?? null,
    allowed_payment_method_types: null,
    amount_subtotal: params.mode === 'setup' ? null : total,
    amount_total: params.mode === 'setup' ? null : total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: params.cancel_url ?? null,
    client_reference_id: params.client_reference_id ?? null,
    client_secret: hosted ? null : `${id}_secret_${context.ids.custom('', 24)}`,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: context.nowSeconds,
    currency: options.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: params.customer ?? null,
    customer_account: null,
    customer_creation: params.customer === undefined ? (params.customer_creation ?? 'if_required') : null,
    customer_details: params.customer_email === undefined ? null : customerDetails(params.customer_email),
    customer_email: params.customer_email ?? null,
    discounts: [],
    expires_at: options.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: mergeMetadata({}, params.metadata),
    mode: params.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: params.mode === 'payment' ? null : 'always',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: params.payment_method_types ?? ['card'],
    payment_status: params.mode === 'setup' ? 'no_payment_required' : 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: params.success_url ?? null,
    total_details: params.mode === 'setup' ? null : { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: params.ui_mode ?? 'hosted',
    url: hosted ? `https://checkout.stripe.com/c/pay/${id}` : null,
    wallet_options: null,
  };
  return session;
}

/** What Checkout collects from the customer who completes it. */
export function customerDetails(email: string | null): Stripe.Checkout.Session.CustomerDetails {
  const details: Stripe.Checkout.Session.CustomerDetails = {
    address: null,
    business_name: null,
    email,
    individual_name: null,
    name: null,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  return details;
}
