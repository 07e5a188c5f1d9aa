import { expect } from 'vitest';
import type { Break, BreakKind, ReconcileResult } from './breaks.ts';
import type { ReconcileInput } from './context.ts';
import { formatAmount } from './explain.ts';
import { reconcile } from './reconcile.ts';
import { renderText } from './render/text.ts';

/** What the matchers accept: a run to reconcile, or a result already reconciled. */
export type ReconcilableRun = ReconcileInput | ReconcileResult;

/** Fields a break must have for {@link fakepspMatchers.toHaveBreak}; all optional. */
export interface BreakPattern {
  readonly customer?: string | null;
  /** A PSP object id the break names (`ch_…`, a pspReference). */
  readonly pspObject?: string;
  /** A ledger transaction id the break names. */
  readonly ledgerTransaction?: string;
}

function resultOf(received: unknown): ReconcileResult {
  if (received !== null && typeof received === 'object') {
    if ('breaks' in received && 'ok' in received) return received as ReconcileResult;
    if ('ledger' in received && 'psps' in received) return reconcile(received as ReconcileInput);
  }
  throw new TypeError('expected a run ({ ledger, psps, journal }) or a reconcile result');
}

/** One line per break, the shape shown in a failing matcher's diff. */
function brief(item: Break): string {
  const objects = item.pspObjects.map((o) => o.id).join(',');
  return (
    `${item.kind} customer=${item.customer ?? '-'} psp=[${objects}] ledger=[${item.ledgerTransactions.join(',')}] ` +
    `expected=${formatAmount(item.expected)} actual=${formatAmount(item.actual)}`
  );
}

function matches(item: Break, kind: BreakKind, pattern: BreakPattern): boolean {
  return (
    item.kind === kind &&
    (pattern.customer === undefined || item.customer === pattern.customer) &&
    (pattern.pspObject === undefined || item.pspObjects.some((o) => o.id === pattern.pspObject)) &&
    (pattern.ledgerTransaction === undefined || item.ledgerTransactions.includes(pattern.ledgerTransaction))
  );
}

/**
 * The matchers, for `expect.extend`.
 *
 * @example
 * import { expect } from 'vitest';
 * const sim = createSimulation({ seed: 42 });
 * const stripe = createStripeFake(sim);
 * const ledger = await createReferenceBillingSystem().ledger();
 * expect.extend(fakepspMatchers);
 * expect({ ledger, psps: [recordsOfFake(stripe)], journal: sim.journal }).toBeReconciled();
 */
export const fakepspMatchers = {
  toBeReconciled(received: unknown) {
    const result = resultOf(received);
    return {
      pass: result.ok,
      message: () =>
        result.ok
          ? 'expected the run to have reconciliation breaks, but it reconciled'
          : `expected the run to reconcile, but:\n\n${renderText(result, { color: false })}`,
      actual: result.breaks.map(brief),
      expected: [],
    };
  },

  toHaveBreak(received: unknown, kind: BreakKind, pattern: BreakPattern = {}) {
    const result = resultOf(received);
    const found = result.breaks.some((item) => matches(item, kind, pattern));
    const wanted = `${kind}${Object.keys(pattern).length === 0 ? '' : ` ${JSON.stringify(pattern)}`}`;
    return {
      pass: found,
      message: () =>
        found
          ? `expected no ${wanted} break, but found one:\n\n${renderText(result, { color: false })}`
          : `expected a ${wanted} break; the breaks were:\n${result.breaks.map(brief).join('\n') || '(none)'}`,
    };
  },

  /** The set of break kinds reported is exactly `kinds` (order and counts ignored). */
  toHaveBreakKinds(received: unknown, kinds: readonly BreakKind[]) {
    const result = resultOf(received);
    const actual = [...new Set(result.breaks.map((item) => item.kind))].sort();
    const expected = [...new Set(kinds)].sort();
    const pass = actual.length === expected.length && actual.every((kind, index) => kind === expected[index]);
    return {
      pass,
      message: () =>
        pass
          ? `expected break kinds other than ${expected.join(', ')}`
          : `expected break kinds [${expected.join(', ')}], got [${actual.join(', ')}]:\n\n` +
            renderText(result, { color: false }),
      actual,
      expected,
    };
  },
};

/**
 * Registers the matchers with vitest's `expect`: call once, e.g. in a setup file.
 *
 * @example
 * // vitest.setup.ts
 * import { setupFakepspMatchers } from 'fakepsp/vitest';
 * setupFakepspMatchers();
 */
export function setupFakepspMatchers(): void {
  expect.extend(fakepspMatchers);
}

interface FakepspMatchers<R> {
  /** Passes when reconcile finds no break; the failure message is the full break report. */
  toBeReconciled(): R;
  /** Passes when a break of `kind` (and matching `pattern`) is reported. */
  toHaveBreak(kind: BreakKind, pattern?: BreakPattern): R;
  /** Passes when exactly these break kinds are reported. */
  toHaveBreakKinds(kinds: readonly BreakKind[]): R;
}

declare module 'vitest' {
  interface Matchers<R, T> extends FakepspMatchers<R> {}
}
