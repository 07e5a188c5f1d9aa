import { fail } from './errors.ts';
import type { Transaction } from './transaction.ts';

/** Stripe expands at most four levels deep. */
export const expandDepthMax = 4;

/**
 * Replaces id strings at the requested paths with the objects they name (`customer`,
 * `latest_charge.balance_transaction`, `data.customer` on lists), as `expand[]` asks.
 */
export function expandPaths(body: unknown, paths: readonly string[], tx: Transaction): unknown {
  let result = structuredClone(body);
  for (const path of paths) {
    const parts = path.split('.');
    if (parts.length > expandDepthMax) {
      fail({
        kind: 'invalid_request',
        param: 'expand',
        message: `You cannot expand more than ${expandDepthMax} levels of a property. Property: ${path}`,
      });
    }
    result = expandAt(result, parts, tx, path);
  }
  return result;
}

function expandAt(node: unknown, parts: readonly string[], tx: Transaction, path: string): unknown {
  if (parts.length === 0) return node;
  if (Array.isArray(node)) return node.map((item) => expandAt(item, parts, tx, path));
  if (typeof node !== 'object' || node === null) return node;
  const [head, ...rest] = parts as [string, ...string[]];
  const record = node as Record<string, unknown>;
  if (!(head in record)) {
    fail({
      kind: 'invalid_request',
      param: 'expand',
      message: `This property cannot be expanded (${path}).`,
    });
  }
  let value = record[head];
  if (typeof value === 'string') {
    const found = tx.find(value);
    if (found === undefined) {
      fail({
        kind: 'invalid_request',
        param: 'expand',
        message: `This property cannot be expanded (${path}).`,
      });
    }
    value = structuredClone(found);
  }
  return { ...record, [head]: expandAt(value, rest, tx, path) };
}
