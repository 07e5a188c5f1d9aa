/**
 * A value as TypeScript source, the way a person writes it: single-quoted strings, unquoted keys
 * where they are identifiers, `{ a: 1 }` spacing. For the scenario files exploration writes.
 *
 * @example
 * literal({ customerId: 'c_1', plan: { interval: 'month' } }) // "{ customerId: 'c_1', plan: { interval: 'month' } }"
 */
export function literal(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, entry]) => entry !== undefined);
  if (entries.length === 0) return '{}';
  const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name));
  return `{ ${entries.map(([name, entry]) => `${key(name)}: ${literal(entry)}`).join(', ')} }`;
}

/** A single-quoted string literal. */
export function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
}
