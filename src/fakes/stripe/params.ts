import qs from 'qs';
import * as z from 'zod';
import { fail, type StripeErrorKind } from './errors.ts';
import { plainForm, type Params } from './plain-form.ts';

export type { Params } from './plain-form.ts';

// Bracket nesting deeper than this, or more array items, is refused rather than mangled.
const depthMax = 12;
const arrayItemsMax = 1_000;
// Parameters past this many are ignored (qs's limit).
const parameterLimit = 10_000;

/** Decodes `a[b][0]=x&a[c][]=y` (both index styles) into nested objects and arrays. */
export function decodeForm(text: string): Params {
  return (
    plainForm(text, parameterLimit) ??
    (qs.parse(text, {
      depth: depthMax,
      arrayLimit: arrayItemsMax,
      parameterLimit,
      strictDepth: true,
      allowPrototypes: false,
    }) as Params)
  );
}

/** Decodes a request body by its content type: form for v1, JSON for v2. */
export function decodeBody(rawBody: string, contentType: string | undefined): Params {
  if (rawBody.trim() === '') return {};
  if (contentType?.includes('application/json') === true) {
    const parsed: unknown = JSON.parse(rawBody);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new SyntaxError('the JSON body must be an object');
    }
    return parsed as Params;
  }
  return decodeForm(rawBody);
}

/** Renders a parameter path the way Stripe names it: `items[0][price]`. */
export function paramName(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (index === 0 ? String(part) : `[${String(part)}]`)).join('');
}

/** Validates params against a schema, turning the first problem into Stripe's own error. */
export function parseParams<T>(schema: z.ZodType<T>, params: Params): T {
  const result = schema.safeParse(params, { reportInput: true });
  if (result.success) return result.data;
  fail(toStripeError(result.error.issues));
}

function toStripeError(issues: readonly z.core.$ZodIssue[]): StripeErrorKind {
  const unknown = issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown !== undefined && unknown.code === 'unrecognized_keys') {
    return { kind: 'parameter_unknown', param: paramName([...unknown.path, unknown.keys[0]!]) };
  }
  // A required field that is absent: a plain type error, or a union (int, bool) that got nothing.
  const missing = issues.find(
    (issue) => (issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined,
  );
  if (missing !== undefined) return { kind: 'parameter_missing', param: paramName(missing.path) };
  const first = issues[0]!;
  const param = paramName(first.path);
  const message =
    first.message.startsWith('Invalid input') || first.message.startsWith('Too')
      ? `Invalid ${param}: ${describe(first.input)}`
      : first.message;
  return { kind: 'parameter_invalid', param, message, code: 'parameter_invalid' };
}

function describe(input: unknown): string {
  if (typeof input === 'string') return input === '' ? 'must not be empty' : `'${input}'`;
  if (Array.isArray(input)) return 'must be a string, not an array';
  if (typeof input === 'object' && input !== null) return 'must be a string, not a hash';
  return String(input);
}

/** An integer sent as a form string (or a JSON number). */
export function int(bounds: { readonly min?: number; readonly max?: number } = {}) {
  return z.union([z.string(), z.number()]).transform((value, context) => {
    const text = String(value);
    const parsed = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(parsed)) {
      context.addIssue({ code: 'custom', message: `Invalid integer: ${text}`, input: value });
      return z.NEVER;
    }
    if (
      (bounds.min !== undefined && parsed < bounds.min) ||
      (bounds.max !== undefined && parsed > bounds.max)
    ) {
      const range = `${bounds.min ?? '-∞'} and ${bounds.max ?? '∞'}`;
      context.addIssue({ code: 'custom', message: `This value must be between ${range}.`, input: value });
      return z.NEVER;
    }
    return parsed;
  });
}

/** A boolean sent as `true`/`false`. */
export function bool() {
  return z.union([z.boolean(), z.string()]).transform((value, context) => {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    context.addIssue({ code: 'custom', message: `Invalid boolean: ${String(value)}`, input: value });
    return z.NEVER;
  });
}

/** One of a fixed set of strings, with Stripe's "must be one of" message. */
export function oneOf<const T extends readonly [string, ...string[]]>(name: string, values: T) {
  const list = values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values.at(-1)}` : values[0];
  return z.enum(values, { error: () => `Invalid ${name}: must be one of ${list}` });
}

/** A non-empty string. */
export function text() {
  return z.string();
}

/** Metadata: string values, or `""` to clear it all; a member set to `""` is deleted. */
export const metadata = z.union([z.literal(''), z.record(z.string().max(40), z.string().max(500))]);

/** The `expand` list: `expand[]=a` and `expand[0]=a` both decode to an array. */
export const expand = z.array(z.string()).optional();

/** A timestamp filter as lists take it (`created`), in Unix seconds: every bound given must hold. */
export interface TimestampRange {
  readonly gt?: number | undefined;
  readonly gte?: number | undefined;
  readonly lt?: number | undefined;
  readonly lte?: number | undefined;
}

const rangeBounds = z.strictObject({
  gt: int().optional(),
  gte: int().optional(),
  lt: int().optional(),
  lte: int().optional(),
});

/**
 * `created=1700000000` (that very second) or `created[gte]=…&created[lt]=…`, each bound an
 * integer. A zod union would report a bad bound as the whole hash being wrong; this names it.
 */
const timestampRange = z
  .union([z.string(), z.number(), z.record(z.string(), z.unknown())])
  .transform((value, context): TimestampRange => {
    const bounds = typeof value === 'object';
    const parsed = bounds ? rangeBounds.safeParse(value, { reportInput: true }) : int().safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const { path, message, input } = issue;
        if (issue.code !== 'unrecognized_keys') context.addIssue({ code: 'custom', path, message, input });
        else context.addIssue({ code: 'unrecognized_keys', path, keys: issue.keys, input: value as Params });
      }
      return z.NEVER;
    }
    return typeof parsed.data === 'number' ? { gte: parsed.data, lte: parsed.data } : parsed.data;
  });

/** The pagination params every list endpoint takes. */
export const listParams = {
  limit: int({ min: 1, max: 100 }).optional(),
  starting_after: z.string().optional(),
  ending_before: z.string().optional(),
  expand,
  created: timestampRange.optional(),
};

// Schemas are built once, at load: zod compiles an object schema on its first parse, which a
// schema built per request would pay on every request.

/** A retrieve's params: `expand` and nothing else. */
export const expandOnly = z.strictObject({ expand });

/** A plain list's params: pagination and nothing else. */
export const listOnly = z.strictObject(listParams);

/** An update that may only change metadata. */
export const metadataOnly = z.strictObject({ metadata: metadata.optional(), expand });

// Most objects never get metadata: they all share this one empty, frozen object (state is immutable).
const noMetadata: Readonly<Record<string, string>> = Object.freeze({});

/** Merges a metadata update into existing metadata as Stripe does: merge, and `""` deletes. */
export function mergeMetadata(
  existing: Readonly<Record<string, string>>,
  update: string | Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> {
  if (update === undefined) return Object.keys(existing).length === 0 ? noMetadata : existing;
  if (update === '') return noMetadata;
  const merged: Record<string, string> = { ...existing };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
