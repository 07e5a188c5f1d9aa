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
  if (Array.isArray(value)) {
    return `[${(value as readonly JsonValue[]).map(canonicalJson).join(',')}]`;
  }
  const record = value as { readonly [key: string]: JsonValue | undefined };
  const members = Object.keys(record)
    .sort()
    .flatMap((key) => {
      const member = record[key];
      return member === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(member)}`];
    });
  return `{${members.join(',')}}`;
}

/**
 * A JSON-shaped value as a {@link JsonValue}: interfaces of plain data (a fault plan, an effect)
 * are JSON but carry no index signature, so TypeScript cannot see it. Only for values built from
 * strings, numbers, booleans, null, arrays and plain objects.
 */
export function asJson(value: object): JsonValue {
  return value as JsonValue;
}
