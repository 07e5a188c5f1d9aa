/** A value that survives JSON: what journal records and PSP bodies are made of. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

/**
 * JSON with object keys sorted and `undefined` members dropped, so equal values always
 * serialise to equal bytes, whatever order their keys were inserted in.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: JsonValue): string {
  // Most records are built with their keys in order already: then JSON.stringify writes the
  // same bytes, natively and in one flat string.
  return isCanonical(value) ? JSON.stringify(value) : writeCanonical(value);
}

/**
 * Whether JSON.stringify writes `value` canonically: every object's keys already in code-unit
 * order, every number finite, nothing with a `toJSON` (a Date would become a string).
 */
function isCanonical(value: JsonValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) {
    const items = value as readonly JsonValue[];
    for (let index = 0; index < items.length; index++) if (!isCanonical(items[index])) return false;
    return true;
  }
  const record = value as { readonly [key: string]: JsonValue | undefined };
  const keys = Object.keys(record);
  for (let index = 0; index < keys.length; index++) {
    if (index > 0 && keys[index - 1]! > keys[index]!) return false;
    if (!isCanonical(record[keys[index]!])) return false;
  }
  return true;
}

/** The canonical JSON of a value with unsorted keys somewhere (or nothing JSON can write). */
function writeCanonical(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new RangeError(`not representable in JSON: ${value}`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    const items = value as readonly JsonValue[];
    let text = '[';
    for (let index = 0; index < items.length; index++) {
      if (index > 0) text += ',';
      // JSON writes a missing array element as null.
      text += items[index] === undefined ? 'null' : canonicalJson(items[index]!);
    }
    return `${text}]`;
  }
  const record = value as { readonly [key: string]: JsonValue | undefined };
  const keys = sortedKeys(record);
  let text = '{';
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const member = record[key];
    if (member === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${quoted(key)}:${canonicalJson(member)}`;
  }
  return `${text}}`;
}

// Records repeat the same few keys: each is quoted once (the cache is capped, keys are not).
const quotedKeys = new Map<string, string>();
const quotedKeysMax = 10_000;

function quoted(key: string): string {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quotedKeys.size < quotedKeysMax) quotedKeys.set(key, text);
  }
  return text;
}

/** The keys in code-unit order; most objects are built in that order already, so check before sorting. */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  for (let index = 1; index < keys.length; index++) if (keys[index - 1]! > keys[index]!) return keys.sort();
  return keys;
}

/**
 * A JSON-shaped value as a {@link JsonValue}: interfaces of plain data (a fault plan, an effect)
 * are JSON but carry no index signature, so TypeScript cannot see it. Only for values built from
 * strings, numbers, booleans, null, arrays and plain objects.
 */
export function asJson(value: object): JsonValue {
  return value as JsonValue;
}
