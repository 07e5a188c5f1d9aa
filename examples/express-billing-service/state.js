import { Ledger } from './ledger.js';

/**
 * @typedef {{ baseFeeMinor: number, unitPricesMinor: Record<string, number>,
 *   interval: 'day' | 'week' | 'month' | 'year' }} Plan
 * @typedef {{ meter: string, quantity: number, atMs: number }} UsageEvent
 * @typedef {object} Customer
 * @property {string} id            the billing service's own customer id
 * @property {string} currency      lowercase ISO 4217; every amount is in its minor unit
 * @property {Plan} plan
 * @property {string} stripeCustomerId
 * @property {string} paymentMethodId
 * @property {number} periodStartMs start of the period not billed yet (periods run from sign-up)
 * @property {number} periodsBilled
 * @property {Map<string, UsageEvent>} usage  by eventId: a repeated eventId is the same event
 * @property {Set<string>} billedEventIds
 *
 * @typedef {object} Obligation  an invoice to collect
 * @property {string} id
 * @property {string} customerId
 * @property {number} amount
 * @property {string} currency
 * @property {'due' | 'unknown' | 'pending' | 'failed' | 'paid'} status  `unknown`: Stripe's answer was lost
 * @property {number} attempts      each attempt is one PaymentIntent, keyed by (obligation, attempt)
 * @property {number} lastAttemptMs
 */

/** Everything the service knows, for one run: replaced as a whole by `POST /fakepsp/setup`. */
export function newState({ runId, nowMs, stripe, webhookSecret }) {
  return {
    /** @type {string} */ runId,
    /** The service's clock: `setup.now`, then each `POST /fakepsp/clock`. Never the wall clock. */
    nowMs,
    /** @type {import('stripe').Stripe} */ stripe,
    /** @type {string} */ webhookSecret,
    /** @type {Map<string, Customer>} */ customers: new Map(),
    /** Stripe customer id → our customer id. @type {Map<string, string>} */ stripeCustomers: new Map(),
    /** @type {Map<string, Obligation>} */ obligations: new Map(),
    /** Charges booked so far → their customer id. @type {Map<string, string>} */ charges: new Map(),
    /** Stripe event ids already handled. @type {Set<string>} */ seenEvents: new Set(),
    /** Refund requestId → the Stripe refund made for it. @type {Map<string, string>} */
    refundRequests: new Map(),
    /** Webhook handling still running, for `settle`. @type {Set<Promise<unknown>>} */
    inFlight: new Set(),
    ledger: new Ledger(),
  };
}

/** @typedef {ReturnType<typeof newState>} State */

let current = /** @type {State | undefined} */ (undefined);

/** The one state of the service (undefined before the first setup). */
export const currentState = () => current;

/** @param {State} state */
export function replaceState(state) {
  current = state;
}

/** A request the service refuses: the binding answers 400 with its message. */
export class InputError extends Error {
  status = 400;
}

/** @param {State} state */
export const nowIso = (state) => new Date(state.nowMs).toISOString();

/** @param {State} state @param {string} customerId */
export function customerOf(state, customerId) {
  const customer = state.customers.get(customerId);
  if (customer === undefined) throw new InputError(`customerId: unknown customer ${customerId}`);
  return customer;
}

/** Runs `work` as in-flight work of `state`, so `settle` waits for it. */
export function track(state, work) {
  state.inFlight.add(work);
  return work.finally(() => state.inFlight.delete(work));
}

/** The id of an expandable Stripe field (an id, an object, or null). */
export const idOf = (value) => (typeof value === 'string' ? value : (value?.id ?? undefined));
