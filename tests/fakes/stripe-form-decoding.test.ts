import fc from 'fast-check';
import qs from 'qs';
import { describe, expect, it } from 'vitest';
import { decodeForm } from '../../src/fakes/stripe/params.ts';

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
