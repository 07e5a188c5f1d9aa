import { fail } from './errors.ts';
import type { CardSummary } from './store.ts';
import { stringAt, textAt, type Body } from './wire.ts';

/** What the test acquirer answers: Adyen's `resultCode` and, unless authorised, why. */
export interface TestOutcome {
  readonly resultCode: 'Authorised' | 'Refused' | 'Error' | 'Received';
  readonly refusalReason: string | null;
  /** `RequestedTestAcquirerResponseCode`, sent back as `refusalReasonCode`. */
  readonly code: number;
}

const refused = (refusalReason: string, code: number): TestOutcome => ({
  resultCode: 'Refused',
  refusalReason,
  code,
});

/**
 * Adyen's test triggers (docs.adyen.com/development-resources/testing/result-codes): set
 * `paymentMethod.holderName` to a key, or `additionalData.RequestedTestAcquirerResponseCode` to
 * its code. The same names work against Adyen's real test environment.
 */
export const holderNameOutcomes: Readonly<Record<string, TestOutcome>> = {
  UNKNOWN: { resultCode: 'Error', refusalReason: 'Unknown', code: 0 },
  APPROVED: { resultCode: 'Authorised', refusalReason: null, code: 1 },
  DECLINED: refused('Refused', 2),
  REFERRAL: refused('Referral', 3),
  ERROR: { resultCode: 'Error', refusalReason: 'Acquirer Error', code: 4 },
  BLOCK_CARD: refused('Blocked Card', 5),
  CARD_EXPIRED: refused('Expired Card', 6),
  INVALID_AMOUNT: refused('Invalid Amount', 7),
  INVALID_CARD_NUMBER: refused('Invalid Card Number', 8),
  ISSUER_UNAVAILABLE: refused('Issuer Unavailable', 9),
  NOT_SUPPORTED: refused('Not supported', 10),
  NOT_3D_AUTHENTICATED: refused('3D Not Authenticated', 11),
  NOT_ENOUGH_BALANCE: refused('Not enough balance', 12),
  PENDING: { resultCode: 'Received', refusalReason: null, code: 13 },
  ACQUIRER_FRAUD: refused('Acquirer Fraud', 14),
  CANCELLED: refused('Cancelled', 15),
  SHOPPER_CANCELLED: refused('Shopper Cancelled', 16),
  INVALID_PIN: refused('Invalid Pin', 17),
  PIN_TRIES_EXCEEDED: refused('Pin tries exceeded', 18),
  PIN_VALIDATION_NOT_POSSIBLE: refused('Pin validation not possible', 19),
  FRAUD: refused('FRAUD', 20),
  NOT_SUBMITTED: refused('Not Submitted', 21),
  'FRAUD-CANCELLED': refused('FRAUD-CANCELLED', 22),
  TRANSACTION_NOT_PERMITTED: refused('Transaction Not Permitted', 23),
  CVC_DECLINED: refused('CVC Declined', 24),
  RESTRICTED_CARD: refused('Restricted Card', 25),
  REVOCATION_OF_AUTH: refused('Revocation Of Auth', 26),
  DECLINED_NON_GENERIC: refused('Declined Non Generic', 27),
  WITHDRAWAL_AMOUNT_EXCEEDED: refused('Withdrawal amount exceeded', 28),
  WITHDRAWAL_COUNT_EXCEEDED: refused('Withdrawal count exceeded', 29),
  ISSUER_SUSPECTED_FRAUD: refused('Issuer Suspected Fraud', 31),
  AVS_DECLINED: refused('AVS Declined', 32),
  CARD_REQUIRES_ONLINE_PIN: refused('Card requires online pin', 33),
  AUTHENTICATION_REQUIRED: refused('Authentication required', 38),
};

const approved = holderNameOutcomes.APPROVED!;

/** The trigger a holder name or acquirer code names, if any (APPROVED is a trigger too). */
export function triggerOf(
  holderName: string | null,
  acquirerCode: string | undefined,
): TestOutcome | undefined {
  if (acquirerCode !== undefined) {
    const byCode = Object.values(holderNameOutcomes).find((outcome) => String(outcome.code) === acquirerCode);
    if (byCode !== undefined) return byCode;
  }
  return holderName === null ? undefined : holderNameOutcomes[holderName.trim().toUpperCase()];
}

/** The outcome of a charge: the trigger, else an expired card is refused, else authorised. */
export function outcomeOf(trigger: TestOutcome | undefined, card: CardSummary, nowMs: number): TestOutcome {
  if (trigger !== undefined) return trigger;
  if (isExpired(card, nowMs)) return holderNameOutcomes.CARD_EXPIRED!;
  return approved;
}

function isExpired(card: CardSummary, nowMs: number): boolean {
  const month = Number(card.expiryMonth);
  const year = Number(card.expiryYear);
  if (!Number.isInteger(month) || !Number.isInteger(year) || month < 1 || month > 12) return false;
  // A card is valid through the last day of its expiry month.
  return nowMs >= Date.UTC(year < 100 ? 2000 + year : year, month, 1);
}

/** What identifies a card across stores: a second store of it is `alreadyExisting`. */
export function cardFingerprint(card: CardSummary): string {
  return `${card.brand}:${card.lastFour}:${card.expiryMonth ?? ''}/${card.expiryYear ?? ''}`;
}

/** Luhn's checksum, as card networks use it. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The brand Adyen reports for a card number (`visa`, `mc`, `amex`…). */
export function brandOf(digits: string): string {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) return 'mc';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'discover';
  if (/^35/.test(digits)) return 'jcb';
  if (/^3(0[0-5]|[689])/.test(digits)) return 'diners';
  return 'visa';
}

// Adyen's test placeholders for client-side encrypted fields: `test_4111111111111111`.
function decrypted(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!value.startsWith('test_')) fail({ kind: 'decrypt_failed' });
  return value.slice('test_'.length);
}

/**
 * Reads a raw card from `paymentMethod` (`encryptedCardNumber` test placeholders or plain
 * `number`) and checks it as Adyen does: a Luhn-valid number of 12 to 19 digits.
 */
export function readCard(method: Body): CardSummary {
  const number = decrypted(stringAt(method, 'encryptedCardNumber')) ?? textAt(method, 'number');
  if (number === undefined) fail({ kind: 'card_number_invalid' });
  const digits = number.replace(/\s/g, '');
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) fail({ kind: 'card_number_invalid' });
  const month = decrypted(stringAt(method, 'encryptedExpiryMonth')) ?? textAt(method, 'expiryMonth') ?? null;
  const year = decrypted(stringAt(method, 'encryptedExpiryYear')) ?? textAt(method, 'expiryYear') ?? null;
  decrypted(stringAt(method, 'encryptedSecurityCode'));
  return {
    type: 'scheme',
    brand: stringAt(method, 'brand') ?? brandOf(digits),
    lastFour: digits.slice(-4),
    expiryMonth: month === null ? null : month.padStart(2, '0'),
    expiryYear: year,
    holderName: stringAt(method, 'holderName') ?? null,
  };
}
