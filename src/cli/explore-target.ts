import type { PspName } from '../fakes/common/psp-core.ts';
import { durationMs } from '../sim/clock.ts';
import { integrationPatterns, type IntegrationPattern } from '../sut/contract.ts';
import { UsageError } from './usage-error.ts';

// What `fakepsp explore` is asked to explore, checked before anything starts: one line each.

/** Which PSPs each pattern's customers can be at. */
export const pspsOfPattern: Readonly<Record<IntegrationPattern, readonly PspName[]>> = {
  'byo-stripe': ['stripe'],
  'managed-stripe': ['stripe'],
  'embedded-stripe': ['stripe'],
  hybrid: ['stripe', 'razorpay'],
  'managed-razorpay': ['razorpay'],
  'multi-psp': ['stripe', 'adyen', 'razorpay'],
};

/** Parses `--time`: `60s`, `2m`, `1h`, or a number of seconds. */
export function parseTime(text: string): number {
  const trimmed = text.trim();
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : durationOrNaN(trimmed);
  if (!Number.isFinite(ms) || ms <= 0)
    throw new UsageError(`--time takes a duration such as 60s or 5m, got '${text}'`);
  return ms;
}

const durationOrNaN = (text: string) => {
  try {
    return durationMs(text);
  } catch {
    return Number.NaN;
  }
};

export function checkedTarget(options: {
  readonly pattern?: string;
  readonly psp?: string;
  readonly runs?: number;
  readonly maxSteps?: number;
  readonly shrinkRuns?: number;
  readonly path?: string;
}): {
  pattern: IntegrationPattern;
  psp: PspName;
} {
  const { pattern, psp } = options;
  if (pattern === undefined)
    throw new UsageError(`--pattern is required (one of ${integrationPatterns.join(', ')})`);
  if (!integrationPatterns.includes(pattern as IntegrationPattern))
    throw new UsageError(`no pattern '${pattern}' (known: ${integrationPatterns.join(', ')})`);
  const allowed = pspsOfPattern[pattern as IntegrationPattern];
  if (psp === undefined) throw new UsageError(`--psp is required (${pattern}: ${allowed.join(', ')})`);
  if (!allowed.includes(psp as PspName))
    throw new UsageError(`pattern ${pattern} has no customers at '${psp}' (use ${allowed.join(', ')})`);
  for (const [flag, value, least] of [
    ['--runs', options.runs, 1],
    ['--max-steps', options.maxSteps, 1],
    ['--shrink-runs', options.shrinkRuns, 0],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= least))
      throw new UsageError(`${flag} takes an integer of at least ${least}, got ${value}`);
  }
  if (options.path !== undefined && !/^\d+(:\d+)*$/.test(options.path))
    throw new UsageError(
      `--path takes a fast-check counterexample path such as 12:0:3, got '${options.path}'`,
    );
  return { pattern: pattern as IntegrationPattern, psp: psp as PspName };
}
