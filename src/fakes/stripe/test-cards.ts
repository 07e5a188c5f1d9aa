import { createHash } from 'node:crypto';

/** What a card does when it is charged (or attached), as Stripe's test cards do. */
export type CardBehaviour =
  | { readonly kind: 'success' }
  /** Succeeds, and the funds are available at once rather than after the usual delay. */
  | { readonly kind: 'bypass_pending' }
  /** Declined at every charge, and at attach (Stripe checks the card when it is saved). */
  | { readonly kind: 'decline'; readonly decline: Decline }
  /** Attaching succeeds, every charge is declined (`pm_card_chargeCustomerFail`). */
  | { readonly kind: 'decline_on_charge'; readonly decline: Decline }
  /** 3DS on every payment; off-session payments decline with `authentication_required`. */
  | { readonly kind: 'three_ds_always' }
  /** 3DS unless the card was saved first; saved-card off-session payments succeed. */
  | { readonly kind: 'three_ds_on_setup' }
  | { readonly kind: 'dispute' }
  /** The charge succeeds and an inquiry (`warning_needs_response`) is opened on it. */
  | { readonly kind: 'dispute_inquiry' }
  /** The charge succeeds; its refunds succeed and then fail (funds come back). */
  | { readonly kind: 'refund_fails' }
  /** The charge succeeds; its refunds stay `pending`, then succeed. */
  | { readonly kind: 'refund_pending' };

/** A Stripe card error as the card network would give it. */
export interface Decline {
  readonly code: string;
  readonly declineCode: string;
  readonly message: string;
}

/** A test card: its number, brand and behaviour, plus the magic ids and tokens that name it. */
export interface TestCard {
  readonly number: string;
  readonly brand: string;
  readonly funding: string;
  readonly behaviour: CardBehaviour;
  readonly paymentMethods: readonly string[];
  readonly tokens: readonly string[];
}

const declined = 'Your card was declined.';
const decline = (code: string, declineCode: string, message = declined): Decline => ({
  code,
  declineCode,
  message,
});
const success: CardBehaviour = { kind: 'success' };

/** Stripe's documented test cards (docs.stripe.com/testing) that the fake reproduces. */
export const testCards: readonly TestCard[] = [
  card('4242424242424242', 'visa', success, ['pm_card_visa'], ['tok_visa']),
  card('4000056655665556', 'visa', success, ['pm_card_visa_debit'], ['tok_visa_debit'], 'debit'),
  card('5555555555554444', 'mastercard', success, ['pm_card_mastercard'], ['tok_mastercard']),
  card('378282246310005', 'amex', success, ['pm_card_amex'], ['tok_amex']),
  card(
    '4000000000000077',
    'visa',
    { kind: 'bypass_pending' },
    ['pm_card_bypassPending'],
    ['tok_bypassPending'],
  ),
  card(
    '4000000000000002',
    'visa',
    { kind: 'decline', decline: decline('card_declined', 'generic_decline') },
    ['pm_card_visa_chargeDeclined', 'pm_card_chargeDeclined'],
    ['tok_chargeDeclined', 'tok_visa_chargeDeclined'],
  ),
  card(
    '4000000000009995',
    'visa',
    {
      kind: 'decline',
      decline: decline('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
    },
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'pm_card_chargeDeclinedInsufficientFunds'],
    ['tok_chargeDeclinedInsufficientFunds', 'tok_visa_chargeDeclinedInsufficientFunds'],
  ),
  card(
    '4000000000009987',
    'visa',
    { kind: 'decline', decline: decline('card_declined', 'lost_card') },
    ['pm_card_visa_chargeDeclinedLostCard', 'pm_card_chargeDeclinedLostCard'],
    ['tok_chargeDeclinedLostCard', 'tok_visa_chargeDeclinedLostCard'],
  ),
  card(
    '4000000000009979',
    'visa',
    { kind: 'decline', decline: decline('card_declined', 'stolen_card') },
    ['pm_card_visa_chargeDeclinedStolenCard', 'pm_card_chargeDeclinedStolenCard'],
    ['tok_chargeDeclinedStolenCard', 'tok_visa_chargeDeclinedStolenCard'],
  ),
  card(
    '4000000000006975',
    'visa',
    { kind: 'decline', decline: decline('card_declined', 'card_velocity_exceeded') },
    ['pm_card_visa_chargeDeclinedVelocityLimitExceeded', 'pm_card_chargeDeclinedVelocityLimitExceeded'],
    ['tok_chargeDeclinedVelocityLimitExceeded', 'tok_visa_chargeDeclinedVelocityLimitExceeded'],
  ),
  card(
    '4000000000000069',
    'visa',
    { kind: 'decline', decline: decline('expired_card', 'expired_card', 'Your card has expired.') },
    ['pm_card_chargeDeclinedExpiredCard'],
    ['tok_chargeDeclinedExpiredCard'],
  ),
  card(
    '4000000000000127',
    'visa',
    {
      kind: 'decline',
      decline: decline('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."),
    },
    ['pm_card_chargeDeclinedIncorrectCvc'],
    ['tok_chargeDeclinedIncorrectCvc'],
  ),
  card(
    '4000000000000119',
    'visa',
    {
      kind: 'decline',
      decline: decline(
        'processing_error',
        'processing_error',
        'An error occurred while processing your card. Try again in a little bit.',
      ),
    },
    ['pm_card_chargeDeclinedProcessingError'],
    ['tok_chargeDeclinedProcessingError'],
  ),
  card(
    '4000000000000341',
    'visa',
    { kind: 'decline_on_charge', decline: decline('card_declined', 'generic_decline') },
    ['pm_card_chargeCustomerFail'],
    ['tok_chargeCustomerFail'],
  ),
  card(
    '4000002760003184',
    'visa',
    { kind: 'three_ds_always' },
    ['pm_card_authenticationRequired'],
    ['tok_authenticationRequired'],
  ),
  card(
    '4000002500003155',
    'visa',
    { kind: 'three_ds_on_setup' },
    ['pm_card_authenticationRequiredOnSetup'],
    ['tok_authenticationRequiredOnSetup'],
  ),
  card(
    '4000000000003220',
    'visa',
    { kind: 'three_ds_always' },
    ['pm_card_threeDSecure2Required'],
    ['tok_threeDSecure2Required'],
  ),
  card('4000000000000259', 'visa', { kind: 'dispute' }, ['pm_card_createDispute'], ['tok_createDispute']),
  card(
    '4000000000001976',
    'visa',
    { kind: 'dispute_inquiry' },
    ['pm_card_createDisputeInquiry'],
    ['tok_createDisputeInquiry'],
  ),
  card('4000000000005126', 'visa', { kind: 'refund_fails' }, ['pm_card_refundFail'], ['tok_refundFail']),
  card(
    '4000000000007726',
    'visa',
    { kind: 'refund_pending' },
    ['pm_card_pendingRefund'],
    ['tok_pendingRefund'],
  ),
];

function card(
  number: string,
  brand: string,
  behaviour: CardBehaviour,
  paymentMethods: readonly string[],
  tokens: readonly string[],
  funding = 'credit',
): TestCard {
  return { number, brand, funding, behaviour, paymentMethods, tokens };
}

/** The card a magic `pm_card_*` id names, if any. */
export function cardForMagicPaymentMethod(id: string): TestCard | undefined {
  return testCards.find((candidate) => candidate.paymentMethods.includes(id));
}

/** The card a `tok_*` test token names, if any. */
export function cardForToken(token: string): TestCard | undefined {
  return testCards.find((candidate) => candidate.tokens.includes(token));
}

/** The table entry of a card number, if it is one of Stripe's test cards. */
export function cardForNumber(number: string): TestCard | undefined {
  return testCards.find((candidate) => candidate.number === number);
}

/**
 * A stable fingerprint of a card number. The stored payment method carries only this (as
 * Stripe's does), so the card's behaviour is found again from the fingerprint.
 */
export function cardFingerprint(number: string): string {
  return testCardFingerprints.get(number) ?? hashedFingerprint(number);
}

function hashedFingerprint(number: string): string {
  return createHash('sha256').update(`fakepsp-card:${number}`).digest('base64url').slice(0, 16);
}

// The test cards' fingerprints, made once: nearly every payment uses one of them.
const testCardFingerprints = new Map(
  testCards.map((entry) => [entry.number, hashedFingerprint(entry.number)]),
);

const byFingerprint = new Map(testCards.map((entry) => [testCardFingerprints.get(entry.number)!, entry]));

/** How a card with this fingerprint behaves: any number outside the table simply succeeds. */
export function behaviourOf(fingerprint: string | null | undefined): CardBehaviour {
  return (
    (fingerprint === null || fingerprint === undefined ? undefined : byFingerprint.get(fingerprint))
      ?.behaviour ?? success
  );
}

/** Luhn check, as card networks validate numbers. */
export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let index = 0; index < number.length; index++) {
    let digit = Number(number[number.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The brand of a number outside the table, by its leading digits. */
export function brandOf(number: string): string {
  if (number.startsWith('4')) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^6(011|5)/.test(number)) return 'discover';
  return 'unknown';
}
