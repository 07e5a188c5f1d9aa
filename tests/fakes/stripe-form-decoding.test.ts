import fc from 'fast-check';
import qs from 'qs';
import { describe, expect, it } from 'vitest';
import { decodeForm } from '../../src/fakes/stripe/params.ts';
import { plainForm } from '../../src/fakes/stripe/plain-form.ts';

// What qs alone makes of a form, with the options the fake Stripe gives it.
const byQs = (text: string) =>
  qs.parse(text, {
    depth: 12,
    arrayLimit: 1_000,
    parameterLimit: 10_000,
    strictDepth: true,
    allowPrototypes: false,
  });

// Pieces that exercise every rule of form decoding: separators, `+`, good and broken escapes,
// brackets plain and encoded, prototype names, non-ASCII text.
const piece = fc.constantFrom(
  'a',
  'email',
  'name',
  '=',
  '&',
  '+',
  '%20',
  '%2B',
  '%26',
  '%3D',
  '%E2%82%AC',
  '%E0%A4%A',
  '%',
  '%zz',
  '[',
  ']',
  '%5B',
  '%5d',
  '[0]',
  '[]',
  '.',
  'é',
  '0',
  'toString',
  '__proto__',
  'constructor',
);
const form = fc.array(piece, { maxLength: 14 }).map((pieces) => pieces.join(''));

// Forms as the SDKs write them — names with up to four bracket segments — mixed with every way
// to break the pattern: repeated keys, indexes out of order or too large, one name used two
// ways, prototype names, a `[]` before the end, odd values.
const name = fc.constantFrom('a', 'metadata', 'items', 'expand', 'b_2', 'toString', '0');
const segment = fc.constantFrom(
  '[x]',
  '[y]',
  '[0]',
  '[1]',
  '[2]',
  '[]',
  '[]',
  '[toString]',
  '[1a]',
  '[05]',
  '[x',
);
const value = fc.constantFrom('1', 'x', '', '%20', 'a+b', '[', ']', '=', 'x]=y', '%E0%A4%A', '%5B');
const parameter = fc
  .tuple(name, fc.array(segment, { maxLength: 4 }), fc.option(value, { nil: undefined }))
  .map(([key, segments, text]) => `${key}${segments.join('')}${text === undefined ? '' : `=${text}`}`);
const nestedForm = fc.array(parameter, { maxLength: 8 }).map((parameters) => parameters.join('&'));

describe('Stripe form decoding', () => {
  it('decodes every form exactly as qs does, keys in the same order', () => {
    fc.assert(
      fc.property(form, (text) => {
        const decoded = decodeForm(text);
        expect(decoded).toEqual(byQs(text));
        expect(Object.keys(decoded)).toEqual(Object.keys(byQs(text)));
      }),
      { numRuns: 3_000 },
    );
  });

  it('decodes nested forms exactly as qs does, every key in the same order at every depth', () => {
    fc.assert(
      fc.property(nestedForm, (text) => {
        expect(JSON.stringify(decodeForm(text))).toBe(JSON.stringify(byQs(text)));
      }),
      { numRuns: 5_000 },
    );
  });

  it("reads the SDKs' plainly nested forms itself, and leaves qs the rest", () => {
    const sdkForm =
      'email=a%40b.c&metadata[plan]=pro&items[0][price]=p&items[0][quantity]=2&items[1][price]=q&expand[]=customer&expand[]=invoice';
    expect(plainForm(sdkForm, 10_000)).toEqual(byQs(sdkForm));
    expect(plainForm(sdkForm, 10_000)).toEqual({
      email: 'a@b.c',
      metadata: { plan: 'pro' },
      items: [{ price: 'p', quantity: '2' }, { price: 'q' }],
      expand: ['customer', 'invoice'],
    });
    for (const handedOver of [
      'a[1]=x',
      'a[x]=1&a[x]=2',
      'a=1&a[x]=2',
      'a[][b]=1',
      'a%5Bb%5D=1',
      'a[toString]=1',
    ])
      expect(plainForm(handedOver, 10_000), handedOver).toBeUndefined();
  });

  it('decodes flat forms, nested forms and their edge cases as Stripe reads them', () => {
    expect(decodeForm('email=jenny.rosen%40example.com&name=Jenny+Rosen&description=')).toEqual({
      email: 'jenny.rosen@example.com',
      name: 'Jenny Rosen',
      description: '',
    });
    expect(decodeForm('flag&=x&&bad=%E0%A4%A')).toEqual({ flag: '', bad: '%E0%A4%A' });
    expect(decodeForm('metadata[a]=1&items[0][price]=p')).toEqual({
      metadata: { a: '1' },
      items: [{ price: 'p' }],
    });
    expect(decodeForm('expand=a&expand=b')).toEqual({ expand: ['a', 'b'] });
    expect(Object.getPrototypeOf(decodeForm('__proto__=x&toString=y'))).toBe(Object.prototype);
  });
});
