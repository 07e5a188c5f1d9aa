import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchMatcher } from '../../src/fakes/stripe/search/fields.ts';
import { parseSearchQuery, SearchQueryError } from '../../src/fakes/stripe/search/query.ts';

describe("Stripe's search query language", () => {
  it('reads quotes, escapes, metadata keys and the bare word null', () => {
    expect(parseSearchQuery(String.raw`-name:'O\'Brien' or metadata["a b"]:null OR amount>=10`)).toEqual({
      join: 'or',
      clauses: [
        { negated: true, field: 'name', op: ':', value: "O'Brien" },
        { negated: false, field: 'metadata', metadataKey: 'a b', op: ':', value: null },
        { negated: false, field: 'amount', op: '>=', value: '10' },
      ],
    });
  });

  it('parses any text or refuses it as a query error, never otherwise', () => {
    const pieces = fc.constantFrom(
      'email',
      'metadata',
      "['k']",
      ':',
      '~',
      '>=',
      '<',
      ' ',
      'AND ',
      'or ',
      '-',
      '"',
      "'",
      '\\',
      'null',
      'x',
      '12',
    );
    const texts = fc.oneof(
      fc.string(),
      fc.array(pieces, { maxLength: 16 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(texts, (text) => {
        try {
          const query = parseSearchQuery(text);
          expect(query.clauses.length).toBeGreaterThan(0);
          try {
            const matches = searchMatcher('customers', query);
            expect(typeof matches({ id: 'cus_1', email: 'a@b.co', metadata: { k: 'v' } })).toBe('boolean');
          } catch (error) {
            expect(error).toBeInstanceOf(SearchQueryError);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(SearchQueryError);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
