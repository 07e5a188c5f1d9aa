/**
 * Stripe's search query language, parsed: clauses of a field, an operator and a value, joined by
 * spaces or `AND` (all must hold) or by `OR` (one must), never both; `-` negates a clause.
 *
 * @example
 * parseSearchQuery(`email~"rocket" AND -metadata['plan']:'free'`);
 * // { join: 'and', clauses: [{ field: 'email', op: '~', value: 'rocket', … }, { metadataKey: 'plan', negated: true, … }] }
 */

/** How a clause compares: `:` exact (or `null` for absent), `~` substring, the rest numeric. */
export type SearchOperator = ':' | '~' | '>' | '<' | '>=' | '<=' | '=';

export interface SearchClause {
  readonly negated: boolean;
  /** The field's path (`payment_method_details.card.last4`), or `metadata` with `metadataKey`. */
  readonly field: string;
  readonly metadataKey?: string;
  readonly op: SearchOperator;
  /** The value as written, unquoted; `null` for the bare word null. */
  readonly value: string | null;
}

export interface SearchQuery {
  readonly join: 'and' | 'or';
  readonly clauses: readonly SearchClause[];
}

/** A query Stripe would refuse, and why. */
export class SearchQueryError extends Error {}

/** Most clauses one query may hold. */
const clausesMax = 10;

const operators: readonly SearchOperator[] = ['>=', '<=', ':', '~', '>', '<', '='];

/** Reads one query at a time, left to right. */
class Reader {
  readonly text: string;
  #at = 0;

  constructor(text: string) {
    this.text = text;
  }

  get done(): boolean {
    this.#skipSpaces();
    return this.#at >= this.text.length;
  }

  #skipSpaces(): void {
    while (this.#at < this.text.length && /\s/.test(this.text[this.#at]!)) this.#at++;
  }

  /** The keyword `AND` or `OR` (any case) followed by a space, if it comes next. */
  keyword(): 'and' | 'or' | undefined {
    this.#skipSpaces();
    const match = /^(and|or)\s/i.exec(this.text.slice(this.#at));
    if (match === null) return undefined;
    this.#at += match[1]!.length;
    return match[1]!.toLowerCase() as 'and' | 'or';
  }

  clause(): SearchClause {
    this.#skipSpaces();
    const negated = this.text[this.#at] === '-';
    if (negated) this.#at++;
    const name = /^[a-z_][a-z0-9_.]*/i.exec(this.text.slice(this.#at))?.[0];
    if (name === undefined) throw new SearchQueryError(`expected a field at position ${this.#at}`);
    this.#at += name.length;
    const metadataKey = name === 'metadata' ? this.#metadataKey() : undefined;
    const op = operators.find((candidate) => this.text.startsWith(candidate, this.#at));
    if (op === undefined) throw new SearchQueryError(`expected an operator after \`${name}\``);
    this.#at += op.length;
    return {
      negated,
      field: name,
      ...(metadataKey === undefined ? {} : { metadataKey }),
      op,
      value: this.#value(),
    };
  }

  #metadataKey(): string {
    if (this.text[this.#at] !== '[') throw new SearchQueryError('metadata needs a key: metadata["key"]');
    this.#at++;
    const key = this.#quoted();
    if (this.text[this.#at] !== ']') throw new SearchQueryError('expected `]` after the metadata key');
    this.#at++;
    return key;
  }

  #value(): string | null {
    const next = this.text[this.#at];
    if (next === '"' || next === "'") return this.#quoted();
    const bare = /^[^\s"']+/.exec(this.text.slice(this.#at))?.[0];
    if (bare === undefined) throw new SearchQueryError(`expected a value at position ${this.#at}`);
    this.#at += bare.length;
    return bare === 'null' ? null : bare;
  }

  /** A string in single or double quotes; a backslash escapes the next character. */
  #quoted(): string {
    const quote = this.text[this.#at];
    if (quote !== '"' && quote !== "'")
      throw new SearchQueryError(`expected a quoted string at position ${this.#at}`);
    let value = '';
    for (this.#at++; this.#at < this.text.length; this.#at++) {
      const char = this.text[this.#at]!;
      if (char === quote) {
        this.#at++;
        return value;
      }
      value += char === '\\' ? (this.text[++this.#at] ?? '') : char;
    }
    throw new SearchQueryError('a quoted string is not closed');
  }
}

/** Parses a query, or throws {@link SearchQueryError} with what is wrong. */
export function parseSearchQuery(text: string): SearchQuery {
  const reader = new Reader(text);
  if (reader.done) throw new SearchQueryError('the query is empty');
  const clauses: SearchClause[] = [reader.clause()];
  let join: 'and' | 'or' | undefined;
  while (!reader.done) {
    const keyword = reader.keyword() ?? 'and';
    if (join !== undefined && keyword !== join) throw new SearchQueryError('AND and OR cannot be combined');
    join = keyword;
    clauses.push(reader.clause());
  }
  if (clauses.length > clausesMax) throw new SearchQueryError(`at most ${clausesMax} clauses are allowed`);
  return { join: join ?? 'and', clauses };
}
