import { fail } from './errors.ts';
import type { AdyenContext } from './runtime.ts';
import { objectAt, type AdyenAmount, type Body } from './wire.ts';

/** Most `metadata` entries Adyen accepts on a payment. */
export const metadataEntriesMax = 20;

/** Most hours a capture may be delayed (28 days). */
export const captureDelayHoursMax = 672;

/**
 * The request's `amount`: `{value, currency}` with an integer value ≥ 0 in minor units and an
 * upper-case ISO 4217 code.
 */
export function readAmount(body: Body): AdyenAmount {
  const amount = objectAt(body, 'amount');
  if (amount === undefined) fail({ kind: 'amount_missing' });
  const { value, currency } = amount;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    fail({ kind: 'amount_invalid' });
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) fail({ kind: 'currency_invalid' });
  return { value, currency };
}

/**
 * The `merchantAccount` of a body or query, refused with 403 901 when missing, unknown to the
 * account, or one the request's API key has no role for.
 */
export function readMerchantAccount(context: AdyenContext, value: unknown): string {
  const allowed = context.runtime.merchantAccounts;
  const ofKey = context.merchantAccounts;
  if (typeof value !== 'string' || value.trim() === '') fail({ kind: 'merchant_invalid' });
  if (allowed !== undefined && !allowed.includes(value)) fail({ kind: 'merchant_invalid' });
  if (ofKey !== undefined && !ofKey.includes(value)) fail({ kind: 'merchant_invalid' });
  return value;
}

/** An optional string field; another type is a validation error. */
export function optionalString(body: Body, field: string): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail({ kind: 'field_invalid', field });
  return value;
}

/** `metadata`: string values only, at most {@link metadataEntriesMax} entries. */
export function readMetadata(body: Body): Record<string, string> {
  const metadata = objectAt(body, 'metadata');
  if (metadata === undefined) {
    if (body.metadata !== undefined && body.metadata !== null)
      fail({ kind: 'field_invalid', field: 'metadata' });
    return {};
  }
  const entries = Object.entries(metadata);
  if (entries.length > metadataEntriesMax) fail({ kind: 'metadata_too_large' });
  const result: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (typeof value !== 'string') fail({ kind: 'field_invalid', field: `metadata.${key}` });
    result[key] = value;
  }
  return result;
}

/** `additionalData` as Adyen reads it: a map of strings. */
export function readAdditionalData(body: Body): Readonly<Record<string, string>> {
  const data = objectAt(body, 'additionalData') ?? {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      result[key] = String(value);
  }
  return result;
}

/** `captureDelayHours`: an integer from 0 to {@link captureDelayHoursMax}, if given. */
export function readCaptureDelayHours(body: Body): number | null {
  const value = body.captureDelayHours;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > captureDelayHoursMax)
    fail({ kind: 'field_invalid', field: 'captureDelayHours' });
  return value;
}

export { recurringModels, type RecurringModel } from './wire.ts';

/** An optional field that must be one of `allowed`. */
export function optionalEnum<T extends string>(body: Body, field: string, allowed: readonly T[]): T | null {
  const value = optionalString(body, field);
  if (value === null) return null;
  const known = allowed.find((candidate) => candidate === value);
  if (known === undefined) fail({ kind: 'field_invalid', field });
  return known;
}

/** The optional modification `reference`. */
export function readModificationReference(body: Body): string | null {
  return optionalString(body, 'reference');
}
