import type { SearchClause, SearchQuery } from './query.ts';
import { SearchQueryError } from './query.ts';

/**
 * How a field is searched: `string` exactly or by substring (`~`), `token` exactly, `number`
 * exactly or by comparison, `boolean` as `true`/`false`. Exact matches ignore case.
 */
type FieldKind = 'string' | 'token' | 'number' | 'boolean';

/** The fields Stripe documents for each searchable resource (besides `metadata`), by URL segment. */
const searchFields: Readonly<Record<string, Readonly<Record<string, FieldKind>>>> = {
  customers: { created: 'number', email: 'string', name: 'string', phone: 'string' },
  charges: {
    amount: 'number',
    'billing_details.address.postal_code': 'token',
    created: 'number',
    currency: 'token',
    customer: 'token',
    disputed: 'boolean',
    'payment_method_details.card.brand': 'token',
    'payment_method_details.card.exp_month': 'number',
    'payment_method_details.card.exp_year': 'number',
    'payment_method_details.card.fingerprint': 'token',
    'payment_method_details.card.last4': 'token',
    refunded: 'boolean',
    status: 'token',
  },
  invoices: {
    created: 'number',
    currency: 'token',
    customer: 'token',
    last_finalization_error_code: 'token',
    last_finalization_error_type: 'token',
    number: 'string',
    receipt_number: 'string',
    status: 'token',
    subscription: 'token',
    total: 'number',
  },
  payment_intents: {
    amount: 'number',
    created: 'number',
    currency: 'token',
    customer: 'token',
    status: 'token',
  },
  prices: { active: 'boolean', currency: 'token', lookup_key: 'token', product: 'token', type: 'token' },
  products: { active: 'boolean', description: 'string', name: 'string', shippable: 'boolean', url: 'string' },
  subscriptions: { created: 'number', status: 'token' },
};

/** The resources that have a `/search` endpoint. */
export const searchableResources = Object.keys(searchFields);

/** A value at a dotted path; an expanded object counts by its id. */
function valueAt(object: object, path: string): unknown {
  let value: unknown = object;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | null | undefined)?.[part];
  return typeof value === 'object' && value !== null && 'id' in value ? (value as { id: unknown }).id : value;
}

function compareNumbers(actual: unknown, op: SearchClause['op'], wanted: number): boolean {
  if (typeof actual !== 'number') return false;
  if (op === '>') return actual > wanted;
  if (op === '<') return actual < wanted;
  if (op === '>=') return actual >= wanted;
  if (op === '<=') return actual <= wanted;
  return actual === wanted;
}

/** Whether an object satisfies one clause, before its negation. */
function holds(object: object, clause: SearchClause, kind: FieldKind | 'metadata'): boolean {
  const { op, value } = clause;
  const actual =
    kind === 'metadata'
      ? (object as { metadata?: Record<string, string> | null }).metadata?.[clause.metadataKey!]
      : valueAt(object, clause.field);
  if (value === null) return actual === null || actual === undefined;
  if (kind === 'number') return compareNumbers(actual, op, Number(value));
  if (actual === null || actual === undefined) return false;
  const text = String(actual).toLowerCase();
  return op === '~' ? text.includes(value.toLowerCase()) : text === value.toLowerCase();
}

/** The kind of a clause's field on a resource, or the refusal Stripe gives. */
function kindOf(resource: string, clause: SearchClause): FieldKind | 'metadata' {
  if (clause.field === 'metadata') {
    if (clause.op !== ':') throw new SearchQueryError('metadata is matched exactly, with `:`');
    return 'metadata';
  }
  const kind = searchFields[resource]![clause.field];
  if (kind === undefined)
    throw new SearchQueryError(
      `Field \`${clause.field}\` is an unsupported search field for resource \`${resource}\`. See http://stripe.com/docs/search#query-fields-for-${resource.replaceAll('_', '-')} for a list of supported fields.`,
    );
  const numeric = clause.op !== ':' && clause.op !== '~';
  if (numeric && kind !== 'number')
    throw new SearchQueryError(`\`${clause.field}\` cannot be compared with ${clause.op}`);
  if (kind === 'number' && clause.value !== null && !Number.isFinite(Number(clause.value)))
    throw new SearchQueryError(`\`${clause.field}\` takes a number, not ${clause.value}`);
  if (clause.op === '~' && (kind !== 'string' || (clause.value ?? '').length < 3))
    throw new SearchQueryError(
      `\`${clause.field}\` takes a substring (~) of at least 3 characters on text fields only`,
    );
  return kind;
}

/** A predicate for a parsed query on a resource, checked against its fields first (throws {@link SearchQueryError}). */
export function searchMatcher(resource: string, query: SearchQuery): (object: object) => boolean {
  const checks = query.clauses.map((clause) => {
    const kind = kindOf(resource, clause);
    return (object: object) => holds(object, clause, kind) !== clause.negated;
  });
  return query.join === 'and'
    ? (object) => checks.every((check) => check(object))
    : (object) => checks.some((check) => check(object));
}
