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
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new RangeError(`not representable in JSON: ${value}`);
    }
    return JSON.stringify(value);
  }
  // Plain loops and string appends: this runs for every journal record of every request.
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
  const keys = Object.keys(record).sort();
  let text = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${text}}`;
}

/**
 * A JSON-shaped value as a {@link JsonValue}: interfaces of plain data (a fault plan, an effect)
 * are JSON but carry no index signature, so TypeScript cannot see it. Only for values built from
 * strings, numbers, booleans, null, arrays and plain objects.
 */
export function asJson(value: object): JsonValue {
  return value as JsonValue;
}
