import { bug, type Runtime } from './context.ts';

// Stripe's zero-decimal currencies: the minor unit is the major unit.
const zeroDecimal = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

/** Whether a currency has no minor unit. */
export function isZeroDecimal(currency: string): boolean {
  return zeroDecimal.has(currency.toLowerCase());
}

/**
 * The amount the PSP is asked for. Amounts are integer minor units end to end, so this is the
 * identity — except under the seeded bug that treats every currency as having cents.
 */
export function pspAmount(runtime: Runtime, amountMinor: number, currency: string): number {
  if (bug(runtime, 'zeroDecimalTimes100') && isZeroDecimal(currency)) return amountMinor * 100;
  return amountMinor;
}

export { periodEndMs } from '../sut/plan-periods.ts';

/** Parses an ISO 8601 instant, or throws naming the field. */
export function parseInstant(value: unknown, field: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`${field} must be an ISO 8601 instant`);
  return ms;
}
