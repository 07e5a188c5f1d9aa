import type { Plan } from './contract.ts';

/**
 * The end of a billing period of a plan that starts at `startMs`: what the contract's `interval`
 * means (days and weeks exactly, calendar months and years in UTC). The reference service bills
 * by it and the checker bounds what a plan owes by it.
 */
export function periodEndMs(startMs: number, interval: Plan['interval']): number {
  const date = new Date(startMs);
  switch (interval) {
    case 'day':
      return startMs + 86_400_000;
    case 'week':
      return startMs + 7 * 86_400_000;
    case 'month':
      date.setUTCMonth(date.getUTCMonth() + 1);
      return date.getTime();
    case 'year':
      date.setUTCFullYear(date.getUTCFullYear() + 1);
      return date.getTime();
  }
}
