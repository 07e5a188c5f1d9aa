import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonValue } from '../../src/sim/canonical-json.ts';

/** The definition, written the slow and obvious way: sort every object's keys, drop undefined members. */
function reference(value: JsonValue | undefined): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((item: JsonValue | undefined) => reference(item)).join(',')}]`;
  const record = value as { readonly [key: string]: JsonValue | undefined };
  const members = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`);
  return `{${members.join(',')}}`;
}

// Keys that sort differently from how objects enumerate them (integer-like keys come first),
// keys already in order, unicode and lone surrogates.
const key = fc.oneof(
  fc.constantFrom('a', 'b', 'id', 'object', '10', '9', '0', 'Z', '_', 'é', '\ud800', ''),
  fc.string({ maxLength: 4 }),
);
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, undefined, 0, -0, 1.5, -20, 1e21, 2 ** 53),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('tree')), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
  ),
}));

describe('canonical JSON', () => {
  it('equals the sorted-keys definition, whether or not the keys came in order', () => {
    fc.assert(
      fc.property(
        tree.filter((value) => value !== undefined),
        (value) => {
          expect(canonicalJson(value as JsonValue)).toBe(reference(value as JsonValue));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('refuses a number JSON cannot hold, however deep and however ordered', () => {
    expect(() => canonicalJson({ a: 1, b: [{ c: Number.NaN }] })).toThrow(RangeError);
    expect(() => canonicalJson({ b: Number.POSITIVE_INFINITY, a: 1 })).toThrow(RangeError);
  });

  it('writes an object with a toJSON as its members, as JSON values are written', () => {
    const dated = { at: new Date(0) } as unknown as JsonValue;
    expect(canonicalJson(dated)).toBe('{"at":{}}');
  });
});
