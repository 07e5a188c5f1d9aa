/** A lowercase ISO 4217 code (`usd`, `jpy`, `kwd`), the form Stripe and our ledger use. */
export type Currency = string & { readonly __brand: 'Currency' };

/** A safe integer count of a currency's minor units (cents, yen, fils). */
export type MinorUnits = number & { readonly __brand: 'MinorUnits' };

/** An amount of money: integer minor units with their currency. Never a float. */
export interface Money {
  readonly amountMinor: MinorUnits;
  readonly currency: Currency;
}

// ISO 4217 exponents that differ from 2; every other currency has two decimals.
const exponents: Readonly<Record<string, 0 | 3>> = {
  bif: 0,
  clp: 0,
  djf: 0,
  gnf: 0,
  isk: 0,
  jpy: 0,
  kmf: 0,
  krw: 0,
  pyg: 0,
  rwf: 0,
  ugx: 0,
  uyi: 0,
  vnd: 0,
  vuv: 0,
  xaf: 0,
  xof: 0,
  xpf: 0,
  bhd: 3,
  iqd: 3,
  jod: 3,
  kwd: 3,
  lyd: 3,
  omr: 3,
  tnd: 3,
};

/** Validates and normalises a currency code (`'USD'` → `'usd'`). */
export function currency(code: string): Currency {
  const lower = code.toLowerCase();
  if (!/^[a-z]{3}$/.test(lower)) throw new RangeError(`not an ISO 4217 currency code: '${code}'`);
  return lower as Currency;
}

/** How many decimal places the currency's minor unit has: JPY 0, USD 2, KWD 3. */
export function currencyExponent(code: Currency | string): 0 | 2 | 3 {
  return exponents[currency(code)] ?? 2;
}

/** Refuses floats, NaN and integers beyond 2^53, the classic ways money goes wrong. */
export function minorUnits(value: number): MinorUnits {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`money is a safe integer of minor units, got ${value}`);
  }
  return value as MinorUnits;
}

/**
 * Builds money from integer minor units.
 *
 * @example
 * money(1999, 'usd'); // $19.99
 * money(500, 'JPY');  // ¥500 (zero-decimal)
 */
export function money(amountMinor: number, code: string): Money {
  return { amountMinor: minorUnits(amountMinor), currency: currency(code) };
}

/** Adds two amounts of the same currency; the sum must stay a safe integer. */
export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b, 'add');
  return { amountMinor: minorUnits(a.amountMinor + b.amountMinor), currency: a.currency };
}

/** Subtracts `b` from `a` (same currency). */
export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b, 'subtract');
  return { amountMinor: minorUnits(a.amountMinor - b.amountMinor), currency: a.currency };
}

/** Multiplies by an integer factor (a quantity), e.g. unit price × units. */
export function multiplyMoney(amount: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) throw new RangeError(`factor must be an integer: ${factor}`);
  return { amountMinor: minorUnits(amount.amountMinor * factor), currency: amount.currency };
}

/**
 * `amount × part ÷ whole` in minor units, rounded half away from zero: a proration's share of a
 * period, a refund's share of a transfer or fee.
 */
export function proportionalShare(amount: number, part: number, whole: number): number {
  return Math.sign(amount) * Math.round((Math.abs(amount) * part) / whole);
}

/** The same amount with the opposite sign. */
export function negateMoney(amount: Money): Money {
  return { amountMinor: minorUnits(-amount.amountMinor || 0), currency: amount.currency };
}

/** Compares two amounts of the same currency: negative, zero or positive. */
export function compareMoney(a: Money, b: Money): number {
  sameCurrency(a, b, 'compare');
  return a.amountMinor - b.amountMinor;
}

/** Sums amounts of one currency; an empty list sums to zero of `code`. */
export function sumMoney(amounts: readonly Money[], code: string): Money {
  return amounts.reduce((total, next) => addMoney(total, next), money(0, code));
}

/** Formats with the currency's own exponent, by string arithmetic: `1999 usd` → `19.99 USD`. */
export function formatMoney(amount: Money): string {
  const exponent = currencyExponent(amount.currency);
  const digits = Math.abs(amount.amountMinor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(digits.length - exponent)}`;
  const sign = amount.amountMinor < 0 ? '-' : '';
  return `${sign}${whole}${fraction} ${amount.currency.toUpperCase()}`;
}

/** Parses a decimal string in major units (`'19.99'`, `'500'`) exactly, without floats. */
export function parseMajorUnits(text: string, code: string): Money {
  const exponent = currencyExponent(code);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal amount: '${text}'`);
  const [, sign = '', whole = '0', fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new RangeError(`${code.toUpperCase()} has ${exponent} decimals; '${text}' has more`);
  }
  const minor = Number(whole + fraction.padEnd(exponent, '0'));
  return money(sign === '-' ? -minor : minor, code);
}

function sameCurrency(a: Money, b: Money, operation: string): void {
  if (a.currency !== b.currency) {
    throw new RangeError(`cannot ${operation} ${a.currency} and ${b.currency}`);
  }
}
