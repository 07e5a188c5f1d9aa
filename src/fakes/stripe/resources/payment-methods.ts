import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import { expandOnly, mergeMetadata, parseParams } from '../params.ts';
import {
  behaviourOf,
  brandOf,
  cardFingerprint,
  cardForMagicPaymentMethod,
  cardForNumber,
  cardForToken,
  luhnValid,
  type TestCard,
} from '../test-cards.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';
import { buildNonCardMethod } from './payment-method-kinds.ts';
import {
  attachSchema,
  createSchema,
  listOfCustomerParams,
  listSchema,
  updateSchema,
} from './payment-methods-params.ts';

/** What identifies a card when a payment method is made. */
interface CardSource {
  readonly number: string;
  readonly brand: string;
  readonly funding: string;
  readonly expMonth: number;
  readonly expYear: number;
}

function fromTestCard(context: StripeContext, entry: TestCard): CardSource {
  const year = new Date(context.nowSeconds * 1000).getUTCFullYear();
  return {
    number: entry.number,
    brand: entry.brand,
    funding: entry.funding,
    expMonth: 12,
    expYear: year + 1,
  };
}

function buildPaymentMethod(
  context: StripeContext,
  source: CardSource,
  extra: {
    customer?: string | null;
    metadata?: Record<string, string>;
    billing?: Stripe.PaymentMethod.BillingDetails;
  },
): Stripe.PaymentMethod {
  const paymentMethod: Stripe.PaymentMethod = {
    id: context.ids.stripe('pm_'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: extra.billing ?? { address: null, email: null, name: null, phone: null, tax_id: null },
    card: {
      brand: source.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      display_brand: source.brand,
      exp_month: source.expMonth,
      exp_year: source.expYear,
      fingerprint: cardFingerprint(source.number),
      funding: source.funding,
      generated_from: null,
      last4: source.number.slice(-4),
      networks: { available: [source.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: context.nowFor(extra.customer),
    customer: extra.customer ?? null,
    customer_account: null,
    livemode: false,
    metadata: extra.metadata ?? {},
    type: 'card',
  };
  return paymentMethod;
}

/** Loads a payment method of the current account, or fails with Stripe's 404. */
export function requirePaymentMethod(context: StripeContext, id: string, param = 'id'): Stripe.PaymentMethod {
  const found = context.tx.get<Stripe.PaymentMethod>('payment_method', id);
  if (found === undefined) fail({ kind: 'resource_missing', objectName: 'PaymentMethod', id, param });
  return found;
}

/**
 * The payment method an id names: a stored one, or — for a magic `pm_card_*` id — a fresh
 * clone of that test card, as Stripe makes one each time a magic id is used.
 */
export function resolvePaymentMethod(
  context: StripeContext,
  id: string,
  param: string,
): Stripe.PaymentMethod {
  const magic = cardForMagicPaymentMethod(id);
  const entry = magic ?? (id.startsWith('tok_') ? cardForToken(id) : undefined);
  if (entry !== undefined)
    return context.tx.put(buildPaymentMethod(context, fromTestCard(context, entry), {}));
  return requirePaymentMethod(context, id, param);
}

const incorrectNumber = () =>
  fail({ kind: 'card_declined', code: 'incorrect_number', message: 'Your card number is incorrect.' });

function cardSourceOf(context: StripeContext, params: z.infer<typeof createSchema>): CardSource {
  const card = params.card;
  if (card === undefined) fail({ kind: 'parameter_missing', param: 'card' });
  if (card.token !== undefined) {
    const entry = cardForToken(card.token);
    if (entry === undefined)
      fail({ kind: 'resource_missing', objectName: 'token', id: card.token, param: 'card[token]' });
    return fromTestCard(context, entry);
  }
  if (card.number === undefined) fail({ kind: 'parameter_missing', param: 'card[number]' });
  if (card.exp_month === undefined) fail({ kind: 'parameter_missing', param: 'card[exp_month]' });
  if (card.exp_year === undefined) fail({ kind: 'parameter_missing', param: 'card[exp_year]' });
  const number = card.number.replaceAll(' ', '');
  if (!luhnValid(number)) incorrectNumber();
  const year = card.exp_year < 100 ? 2000 + card.exp_year : card.exp_year;
  const known = cardForNumber(number);
  return {
    number,
    brand: known?.brand ?? brandOf(number),
    funding: known?.funding ?? 'credit',
    expMonth: card.exp_month,
    expYear: year,
  };
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const billing = params.billing_details;
  if (params.type !== 'card') {
    const details = {
      address: null,
      email: billing?.email ?? null,
      name: billing?.name ?? null,
      phone: billing?.phone ?? null,
      tax_id: null,
    };
    const input = {
      type: params.type,
      sepa_debit: params.sepa_debit,
      billing_details: details,
      metadata: mergeMetadata({}, params.metadata),
    };
    return context.tx.put(buildNonCardMethod(context, input));
  }
  const source = cardSourceOf(context, params);
  const built = buildPaymentMethod(context, source, {
    metadata: mergeMetadata({}, params.metadata),
    billing: {
      address: null,
      email: billing?.email ?? null,
      name: billing?.name ?? null,
      phone: billing?.phone ?? null,
      tax_id: null,
    },
  });
  return context.tx.put(built);
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const magic = cardForMagicPaymentMethod(path.id!);
  // A magic id can be retrieved: Stripe answers with a fresh clone, nothing is kept.
  if (magic !== undefined)
    return { ...buildPaymentMethod(context, fromTestCard(context, magic), {}), id: path.id! };
  return requirePaymentMethod(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requirePaymentMethod(context, path.id!);
  const billing = params.billing_details;
  const updated: Stripe.PaymentMethod = {
    ...existing,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
    billing_details: {
      ...existing.billing_details,
      ...(billing?.email === undefined ? {} : { email: billing.email || null }),
      ...(billing?.name === undefined ? {} : { name: billing.name || null }),
      ...(billing?.phone === undefined ? {} : { phone: billing.phone || null }),
    },
  };
  context.tx.put(updated);
  context.emit('payment_method.updated', updated, changedAttributes(existing, updated));
  return updated;
};

/**
 * Attaches a payment method to a customer. Stripe verifies the card when it is saved, so a
 * card that declines every charge cannot be attached (`pm_card_chargeCustomerFail` can).
 */
export function attachPaymentMethod(
  context: StripeContext,
  id: string,
  customerId: string,
): Stripe.PaymentMethod {
  const customer = requireCustomer(context, customerId, 'customer');
  const existing = resolvePaymentMethod(context, id, 'payment_method');
  if (existing.customer !== null && existing.customer !== customer.id) {
    fail({
      kind: 'invalid_request',
      message:
        'The payment method you provided has already been attached to a customer. To use this PaymentMethod, detach it first.',
      code: 'payment_method_unexpected_state',
    });
  }
  if (existing.customer === customer.id) return existing;
  const behaviour = behaviourOf(existing.card?.fingerprint);
  if (behaviour.kind === 'decline') {
    fail({
      kind: 'card_declined',
      code: behaviour.decline.code,
      declineCode: behaviour.decline.declineCode,
      message: behaviour.decline.message,
    });
  }
  const attached: Stripe.PaymentMethod = { ...existing, customer: customer.id };
  context.tx.put(attached);
  context.emit('payment_method.attached', attached);
  return attached;
}

const attach: StripeHandler = (context, path) => {
  const params = parseParams(attachSchema, context.params);
  return attachPaymentMethod(context, path.id!, params.customer);
};

const detach: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const existing = requirePaymentMethod(context, path.id!);
  if (existing.customer === null) {
    fail({
      kind: 'invalid_request',
      message: 'The payment method you provided is not attached to a customer so detachment is impossible.',
      code: 'payment_method_unexpected_state',
    });
  }
  const detached: Stripe.PaymentMethod = { ...existing, customer: null };
  context.tx.put(detached);
  context.emit('payment_method.detached', detached, { customer: existing.customer });
  return detached;
};

function listFor(context: StripeContext, customer: string | undefined, type: string | undefined) {
  if (customer !== undefined) requireCustomer(context, customer, 'customer');
  const methods =
    customer === undefined
      ? context.tx.values<Stripe.PaymentMethod>('payment_method')
      : context.tx.where<Stripe.PaymentMethod>('payment_method', 'customer', customer);
  return methods
    .filter((method) => (customer === undefined ? method.customer !== null : method.customer === customer))
    .filter((method) => type === undefined || method.type === type);
}

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  return paginate(params, listFor(context, params.customer, params.type), '/v1/payment_methods');
};

const listOfCustomer: StripeHandler = (context, path) => {
  const params = parseParams(listOfCustomerParams, context.params);
  const url = `/v1/customers/${path.id!}/payment_methods`;
  return paginate(params, listFor(context, path.id!, params.type), url);
};

const retrieveOfCustomer: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  requireCustomer(context, path.customer!);
  const found = requirePaymentMethod(context, path.id!);
  if (found.customer !== path.customer) {
    fail({ kind: 'resource_missing', objectName: 'PaymentMethod', id: path.id! });
  }
  return found;
};

export const paymentMethodsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/payment_methods', handler: create },
  { method: 'GET', pattern: '/v1/payment_methods', handler: list },
  { method: 'GET', pattern: '/v1/payment_methods/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/payment_methods/:id', handler: update },
  { method: 'POST', pattern: '/v1/payment_methods/:id/attach', handler: attach },
  { method: 'POST', pattern: '/v1/payment_methods/:id/detach', handler: detach },
  { method: 'GET', pattern: '/v1/customers/:id/payment_methods', handler: listOfCustomer },
  { method: 'GET', pattern: '/v1/customers/:customer/payment_methods/:id', handler: retrieveOfCustomer },
];
