import { assert } from '../../sim/assert.ts';
import type { PlanEntity, SubscriptionEntity, SubscriptionStatus } from './subscription-entities.ts';

/**
 * The lifecycle of a subscription (payments/subscriptions/states), as the status each may move
 * to: the customer's authentication, the start of billing, a failed charge and Razorpay's
 * retries, the merchant's pause, resume and cancel, and the end of the last cycle.
 */
export const subscriptionTransitions: Readonly<Record<SubscriptionStatus, readonly SubscriptionStatus[]>> = {
  created: ['authenticated', 'active', 'cancelled', 'expired'],
  authenticated: ['active', 'cancelled'],
  active: ['pending', 'halted', 'paused', 'cancelled', 'completed'],
  pending: ['active', 'halted', 'cancelled', 'completed'],
  halted: ['active', 'cancelled', 'completed'],
  paused: ['active', 'cancelled'],
  cancelled: [],
  completed: [],
  expired: [],
};

/** Moves a subscription along its lifecycle; a move the table forbids is a bug of the fake. */
export function moveTo(subscription: SubscriptionEntity, to: SubscriptionStatus): void {
  assert(
    subscriptionTransitions[subscription.status].includes(to),
    `subscription ${subscription.id} cannot go from ${subscription.status} to ${to}`,
  );
  subscription.status = to;
}

/** Statuses a subscription ends in: no charge, add-on or change any more. */
export const finalStatuses: ReadonlySet<SubscriptionStatus> = new Set(['cancelled', 'completed', 'expired']);

const dayS = 86_400;

/**
 * The end of a billing cycle that starts at `startS` (Unix seconds): days and weeks exactly,
 * months and years on the calendar in UTC (so a cycle starting on 31 January ends on 3 March,
 * as JavaScript's date arithmetic has it, the same as the checker's plan periods).
 */
export function cycleEndOf(startS: number, plan: Pick<PlanEntity, 'period' | 'interval'>): number {
  const date = new Date(startS * 1000);
  switch (plan.period) {
    case 'daily':
      return startS + plan.interval * dayS;
    case 'weekly':
      return startS + plan.interval * 7 * dayS;
    case 'monthly':
      date.setUTCMonth(date.getUTCMonth() + plan.interval);
      return Math.floor(date.getTime() / 1000);
    case 'yearly':
      date.setUTCFullYear(date.getUTCFullYear() + plan.interval);
      return Math.floor(date.getTime() / 1000);
  }
}

/** When the last of `cycles` cycles from `startS` ends: a subscription's `end_at`. */
export function endOfCycles(
  startS: number,
  cycles: number,
  plan: Pick<PlanEntity, 'period' | 'interval'>,
): number {
  let endS = startS;
  for (let cycle = 0; cycle < cycles; cycle++) endS = cycleEndOf(endS, plan);
  return endS;
}

/** The most cycles a subscription may have: Razorpay supports at most 100 years of them. */
export function totalCountMax(plan: Pick<PlanEntity, 'period' | 'interval'>): number {
  const perYear = { daily: 365, weekly: 52, monthly: 12, yearly: 1 }[plan.period];
  return Math.max(1, Math.floor((100 * perYear) / plan.interval));
}
