import type { ReconcileResult } from '../breaks.ts';

/**
 * The result as JSON, for CI artifacts and other tools: integer minor units, journal witnesses
 * included.
 *
 * @example
 * writeFileSync('reconcile.json', renderJson(result));
 */
export function renderJson(result: ReconcileResult, indent = 2): string {
  return `${JSON.stringify(
    {
      ok: result.ok,
      summary: result.summary,
      breaks: result.breaks,
    },
    null,
    indent,
  )}\n`;
}
