import type { PspName } from '../fakes/common/psp-core.ts';
import { testPaymentMethods } from '../scenarios/psp-views.ts';
import type { IntegrationPattern, Plan } from '../sut/contract.ts';

/** A class of currency by its minor-unit exponent: the bugs live in the exponent table. */
export type CurrencyClass = 'two' | 'zero' | 'three';

/** What one currency class is at one PSP, and the plan a customer paying in it gets. */
export interface CurrencyChoice {
  readonly code: string;
  /** Amounts must be multiples of this (card networks take whole tens of fils). */
  readonly stepMinor: number;
  readonly plan: Omit<Plan, 'interval'>;
}

/** A test card, named for what it does. */
export interface CardChoice {
  readonly token: string;
  /** How a step label says it: `a card that declines later`. */
  readonly label: string;
}

/** An API call a fault can aim at, as a fault rule's match. */
export interface FaultTarget {
  readonly psp: PspName;
  readonly label: string;
  readonly method: string;
  readonly path?: string;
}

/** A family of webhooks a fault can aim at, by event type (`*` within a segment). */
export interface EventFamily {
  readonly psp: PspName;
  readonly eventType: string;
  /** Whether dropping every attempt can be recovered from: only Stripe lets a service list its events. */
  readonly pollable: boolean;
}

/** What exploration may do for one pattern and PSP: the vocabulary's concrete words. */
export interface Vocabulary {
  readonly pattern: IntegrationPattern;
  readonly psp: PspName;
  readonly currencies: Readonly<Partial<Record<CurrencyClass, CurrencyChoice>>>;
  readonly cards: readonly CardChoice[];
  /** Real-time wallet patterns take top-ups. */
  readonly wallet: boolean;
  /** What `before` faults aim at. */
  readonly faultTargets: readonly FaultTarget[];
  /**
   * What lost answers (`after` faults) aim at: not a hybrid's Razorpay orders, which have no
   * idempotency key, so a lost top-up order is made again and the harness's customer pays both.
   */
  readonly lostAnswerTargets: readonly FaultTarget[];
  readonly eventFamilies: readonly EventFamily[];
  /** PSP-side actors only this PSP has. */
  readonly adyenModificationFailures: boolean;
  readonly razorpayActors: boolean;
  /**
   * A failed payment the bank authorises late. Not when Razorpay Subscriptions bill (the managed
   * pattern): there Razorpay's own retries are the dunning, and a late capture of an invoice's
   * failed attempt is outside what the fake models.
   */
  readonly razorpayLateCaptures: boolean;
}

const twoDecimal = (code: string): CurrencyChoice => ({
  code,
  stepMinor: 1,
  plan: { baseFeeMinor: 1000, unitPricesMinor: { tokens: 2 } },
});
const yen: CurrencyChoice = {
  code: 'jpy',
  stepMinor: 1,
  plan: { baseFeeMinor: 1500, unitPricesMinor: { tokens: 3 } },
};
const dinar: CurrencyChoice = {
  code: 'kwd',
  stepMinor: 10,
  plan: { baseFeeMinor: 3250, unitPricesMinor: { tokens: 10 } },
};

const currenciesOf: Readonly<Record<PspName, Vocabulary['currencies']>> = {
  stripe: { two: twoDecimal('usd'), zero: yen, three: dinar },
  adyen: { two: twoDecimal('eur'), zero: yen, three: dinar },
  razorpay: { two: twoDecimal('inr') },
};

const cardsOf: Readonly<Record<PspName, readonly CardChoice[]>> = {
  stripe: [
    { token: testPaymentMethods.stripe.ok, label: 'a good card' },
    { token: testPaymentMethods.stripe.declinesLater, label: 'a card that declines later' },
    { token: 'pm_card_refundFail', label: 'a card whose refunds bounce' },
    { token: 'pm_card_createDispute', label: 'a card whose charges are disputed' },
  ],
  adyen: [
    { token: testPaymentMethods.adyen.ok, label: 'a good card' },
    { token: testPaymentMethods.adyen.declinesLater, label: 'a card that declines later' },
  ],
  razorpay: [
    { token: testPaymentMethods.razorpay.ok, label: 'a good card' },
    { token: testPaymentMethods.razorpay.declinesLater, label: 'a card that declines later' },
  ],
};

const targetsOf: Readonly<Record<PspName, readonly Omit<FaultTarget, 'psp'>[]>> = {
  stripe: [
    { label: 'Stripe write', method: 'POST' },
    { label: 'Stripe read', method: 'GET' },
    { label: 'Stripe charge', method: 'POST', path: '/v1/payment_intents' },
    { label: 'Stripe refund', method: 'POST', path: '/v1/refunds' },
    { label: 'Stripe customer', method: 'POST', path: '/v1/customers' },
    { label: 'Stripe event poll', method: 'GET', path: '/v1/events' },
  ],
  adyen: [
    { label: 'Adyen write', method: 'POST' },
    { label: 'Adyen payment', method: 'POST', path: '/*/payments' },
    { label: 'Adyen capture', method: 'POST', path: '/*/payments/*/captures' },
    { label: 'Adyen refund', method: 'POST', path: '/*/payments/*/refunds' },
  ],
  razorpay: [
    { label: 'Razorpay write', method: 'POST' },
    { label: 'Razorpay read', method: 'GET' },
    { label: 'Razorpay recurring payment', method: 'POST', path: '/v1/payments/create/recurring' },
    { label: 'Razorpay order', method: 'POST', path: '/v1/orders' },
    { label: 'Razorpay refund', method: 'POST', path: '/v1/payments/*/refund' },
  ],
};

const familiesOf: Readonly<Record<PspName, readonly string[]>> = {
  stripe: ['*', 'payment_intent.*', 'charge.*', 'charge.dispute.*', 'refund.*', 'invoice.*'],
  adyen: ['*', 'AUTHORISATION', 'CAPTURE*', 'REFUND*', '*CHARGEBACK*'],
  razorpay: ['*', 'payment.*', 'refund.*', 'order.*', 'payment.dispute.*'],
};

/** Razorpay's own billing (Subscriptions) speaks in these too. */
const razorpayBillingFamilies = ['invoice.*', 'subscription.*'];

/** The PSPs a run of the pattern talks to when its customers are at `psp`. */
export function pspsInPlay(pattern: IntegrationPattern, psp: PspName): PspName[] {
  if (pattern === 'multi-psp') return [psp];
  if (pattern === 'hybrid') return psp === 'stripe' ? ['stripe'] : ['stripe', psp];
  return pattern === 'managed-razorpay' ? ['razorpay'] : ['stripe'];
}

/** The exploration vocabulary of one pattern × PSP. */
export function vocabularyOf(pattern: IntegrationPattern, psp: PspName): Vocabulary {
  const psps = pspsInPlay(pattern, psp);
  // In the hybrid pattern the subscription is Stripe's, whichever PSP takes the top-ups.
  const billedAt = pattern === 'hybrid' ? 'stripe' : psp;
  const targets = psps.flatMap((name) => targetsOf[name].map((target) => ({ psp: name, ...target })));
  return {
    pattern,
    psp,
    currencies: pattern === 'hybrid' && psp !== 'stripe' ? currenciesOf[psp] : currenciesOf[billedAt],
    cards: cardsOf[billedAt],
    wallet: pattern === 'embedded-stripe' || pattern === 'hybrid',
    faultTargets: targets,
    lostAnswerTargets: targets.filter(
      (target) =>
        !(pattern === 'hybrid' && target.psp === 'razorpay' && target.path !== '/v1/payments/*/refund'),
    ),
    eventFamilies: psps.flatMap((name) =>
      [...familiesOf[name], ...(pattern === 'managed-razorpay' ? razorpayBillingFamilies : [])].map(
        (eventType) => ({ psp: name, eventType, pollable: name === 'stripe' }),
      ),
    ),
    adyenModificationFailures: psp === 'adyen',
    razorpayActors: psp === 'razorpay',
    razorpayLateCaptures: psp === 'razorpay' && pattern !== 'managed-razorpay',
  };
}
