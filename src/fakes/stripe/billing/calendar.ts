/** A recurring price's interval, as Stripe names it. */
export type BillingInterval = 'day' | 'week' | 'month' | 'year';

const daySeconds = 86_400;

// Bounds the search for a period boundary: a century of daily periods is far past any test.
const boundariesMax = 40_000;

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * The instant `count` intervals after `anchorSeconds`. Months and years keep the anchor's day
 * of month, clamped to the month's last day (Jan 31 → Feb 28 → Mar 31), as Stripe bills.
 */
export function addIntervals(anchorSeconds: number, interval: BillingInterval, count: number): number {
  if (interval === 'day') return anchorSeconds + count * daySeconds;
  if (interval === 'week') return anchorSeconds + count * 7 * daySeconds;
  const anchor = new Date(anchorSeconds * 1000);
  const months = interval === 'year' ? count * 12 : count;
  const total = anchor.getUTCMonth() + months;
  const year = anchor.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, month));
  const ms = Date.UTC(year, month, day, anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds());
  return Math.floor(ms / 1000);
}

/** The first period boundary of a cycle anchored at `anchorSeconds` that lies after `afterSeconds`. */
export function boundaryAfter(
  anchorSeconds: number,
  interval: BillingInterval,
  intervalCount: number,
  afterSeconds: number,
): number {
  for (let index = 0; index < boundariesMax; index++) {
    const boundary = addIntervals(anchorSeconds, interval, index * intervalCount);
    if (boundary > afterSeconds) return boundary;
  }
  throw new RangeError(`no period boundary within ${boundariesMax} intervals (boundariesMax)`);
}

/** The boundary one cycle before `endSeconds` on the same anchor: the start of the period ending there. */
export function boundaryBefore(
  anchorSeconds: number,
  interval: BillingInterval,
  intervalCount: number,
  endSeconds: number,
): number {
  let previous = anchorSeconds;
  for (let index = 0; index < boundariesMax; index++) {
    const boundary = addIntervals(anchorSeconds, interval, index * intervalCount);
    if (boundary >= endSeconds)
      return index === 0 ? addIntervals(anchorSeconds, interval, -intervalCount) : previous;
    previous = boundary;
  }
  throw new RangeError(`no period boundary within ${boundariesMax} intervals (boundariesMax)`);
}
