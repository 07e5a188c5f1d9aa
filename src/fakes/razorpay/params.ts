import qs from 'qs';
import { fail, type RazorpayErrorKind } from './errors.ts';
import type { Notes } from './entities.ts';

/** A decoded request body or query: JSON (what razorpay-node's axios sends) or a form. */
export type Body = Readonly<Record<string, unknown>>;

/** Razorpay's limits on notes. */
export const notesKeysMax = 15;
const notesKeyLengthMax = 255;
const notesValueLengthMax = 512;

function decodeForm(text: string): Body {
  return qs.parse(text, {
    depth: 8,
    arrayLimit: 100,
    parameterLimit: 1_000,
    strictDepth: true,
    allowPrototypes: false,
  }) as Body;
}

/** A query string as Razorpay reads it: `count=10&skip=0`, `expand[expand]=card` and all. */
export function decodeQuery(query: string): Body {
  return decodeForm(query);
}

/**
 * A request body: JSON when it says so or looks so (razorpay-node sends `application/json`),
 * a form otherwise (curl's `-d`, Razorpay's older docs). GET and DELETE bodies are not read.
 */
export function decodeBody(
  method: string,
  rawBody: string,
  contentType: string | undefined,
): { readonly body: Body } | { readonly error: RazorpayErrorKind } {
  if (method === 'GET' || method === 'DELETE' || rawBody.trim() === '') return { body: {} };
  const json = contentType?.includes('json') === true || /^\s*[[{]/.test(rawBody);
  if (!json) return { body: decodeForm(rawBody) };
  try {
    const parsed: unknown = JSON.parse(rawBody);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return { error: { kind: 'body_malformed' } };
    return { body: parsed as Body };
  } catch {
    return { error: { kind: 'body_malformed' } };
  }
}

/** Refuses any field not in `allowed` (Razorpay's "… is/are not required and should not be sent"). */
export function allowOnly(body: Body, allowed: readonly string[]): void {
  for (const field of Object.keys(body)) if (!allowed.includes(field)) fail({ kind: 'field_extra', field });
}

const present = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** An integer field (a number, or digits in a form), or `undefined` when absent and optional. */
export function integerOf(
  body: Body,
  field: string,
  options: { readonly required?: boolean; readonly initiation?: boolean } = {},
): number | undefined {
  const value = body[field];
  const initiation = options.initiation === true ? { initiation: true } : {};
  if (!present(value)) {
    if (options.required === true) fail({ kind: 'field_required', field, ...initiation });
    return undefined;
  }
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number))
    fail({ kind: 'field_not_integer', field, ...initiation });
  return number;
}

/** A string field (numbers are taken as their digits, as PHP would), at most `lengthMax` long. */
export function stringOf(
  body: Body,
  field: string,
  options: { readonly required?: boolean; readonly lengthMax?: number; readonly initiation?: boolean } = {},
): string | undefined {
  const value = body[field];
  if (!present(value)) {
    if (options.required === true)
      fail({ kind: 'field_required', field, ...(options.initiation === true ? { initiation: true } : {}) });
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number') fail({ kind: 'field_not_string', field });
  const text = String(value);
  if (options.lengthMax !== undefined && text.length > options.lengthMax)
    fail({ kind: 'field_too_long', field, lengthMax: options.lengthMax });
  return text;
}

/** A boolean field: `true`/`false`, `1`/`0`, or their strings (PHP reads them all). */
export function booleanOf(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  return fail({ kind: 'field_not_boolean', field });
}

/** An email field, loosely checked (`x@y.z`). */
export function emailOf(
  body: Body,
  field: string,
  options: { readonly required?: boolean; readonly initiation?: boolean } = {},
): string | undefined {
  const email = stringOf(body, field, { ...options, lengthMax: 254 });
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    fail({ kind: 'email_invalid', field });
  return email;
}

/** A notes field: a dictionary of at most 15 scalar values; `[]` (PHP's empty notes) is none. */
export function notesOf(body: Body, field = 'notes'): Notes | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return {};
    return fail({ kind: 'notes_not_dictionary' });
  }
  if (typeof value !== 'object') return fail({ kind: 'notes_not_dictionary' });
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > notesKeysMax) fail({ kind: 'notes_too_many_keys' });
  // Built with fromEntries, so a key such as `__proto__` stays a plain key.
  return Object.fromEntries(
    entries.map(([key, entry]): [string, string | number] => {
      if (Array.isArray(entry) || (entry !== null && typeof entry === 'object'))
        fail({ kind: 'notes_value_array' });
      if (key.length > notesKeyLengthMax) fail({ kind: 'notes_key_too_long' });
      const text = entry === null || entry === undefined ? '' : String(entry);
      if (text.length > notesValueLengthMax) fail({ kind: 'notes_value_too_long' });
      return [key, typeof entry === 'number' ? entry : text];
    }),
  );
}

/** What `all()` asks for: razorpay-node always sends `count` and `skip`, `from`/`to` in seconds. */
export interface ListOptions {
  readonly count: number;
  readonly skip: number;
  readonly from: number | undefined;
  readonly to: number | undefined;
}

/** Most items one list page holds. */
export const listCountMax = 100;

/** Reads `count` (1–100, default 10), `skip`, `from` and `to` from a query. */
export function listOptionsOf(query: Body): ListOptions {
  const count = integerOf(query, 'count') ?? 10;
  if (count < 1) fail({ kind: 'field_at_least', field: 'count', min: 1 });
  if (count > listCountMax) fail({ kind: 'field_at_most', field: 'count', max: listCountMax });
  const skip = integerOf(query, 'skip') ?? 0;
  if (skip < 0) fail({ kind: 'field_at_least', field: 'skip', min: 0 });
  const from = integerOf(query, 'from');
  const to = integerOf(query, 'to');
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (value !== undefined && value < 0) fail({ kind: 'field_at_least', field, min: 0 });
  return { count, skip, from, to };
}

/**
 * One page of a list, newest first as Razorpay lists: `from`/`to` bound `created_at`
 * (inclusive), then `skip` and `count` apply.
 */
export function page<T>(
  items: readonly T[],
  createdAt: (item: T) => number,
  options: ListOptions,
): { entity: 'collection'; count: number; items: T[] } {
  const kept = items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => {
      const at = createdAt(item);
      return (
        (options.from === undefined || at >= options.from) && (options.to === undefined || at <= options.to)
      );
    })
    .sort((a, b) => createdAt(b.item) - createdAt(a.item) || b.index - a.index)
    .slice(options.skip, options.skip + options.count)
    .map(({ item }) => item);
  return { entity: 'collection', count: kept.length, items: kept };
}
