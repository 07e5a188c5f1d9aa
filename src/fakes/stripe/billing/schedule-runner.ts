import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { callEndpoint } from '../internal-call.ts';
import { scheduleAt } from './clocks.ts';
import { itemParams, phaseAt } from './schedule-phases.ts';
import { moveSubscription } from './subscription-status.ts';
import { customerOf } from '../customer-of.ts';

/** Stripe warns `subscription_schedule.expiring` seven days before a schedule ends. */
export const expiringWarningSeconds = 7 * 86_400;

function subscriptionOf(schedule: Stripe.SubscriptionSchedule): string | null {
  const subscription = schedule.subscription;
  return subscription === null ? null : typeof subscription === 'string' ? subscription : subscription.id;
}

/** The schedule as of `at`: its current phase's dates while it runs. */
export function withCurrentPhase(
  schedule: Stripe.SubscriptionSchedule,
  at: number,
): Stripe.SubscriptionSchedule {
  const current = schedule.status === 'active' ? phaseAt(schedule, at) : undefined;
  return {
    ...schedule,
    current_phase:
      current === undefined
        ? null
        : { start_date: current.phase.start_date, end_date: current.phase.end_date },
  };
}

/**
 * Starts a schedule whose first phase has begun: its subscription is created with the phase's
 * items (as `POST /v1/subscriptions` would), and the next phase change is scheduled first, so
 * it runs before the renewal due at the same instant.
 */
export function startSchedule(
  context: StripeContext,
  schedule: Stripe.SubscriptionSchedule,
): Stripe.SubscriptionSchedule {
  const first = schedule.phases[0]!;
  planPhaseEnd(context, schedule, 0);
  const subscription = callEndpoint<Stripe.Subscription>(context, 'POST', '/v1/subscriptions', {
    customer: customerOf(schedule),
    items: itemParams(first),
    metadata: first.metadata ?? {},
    ...(first.default_payment_method === null
      ? {}
      : { default_payment_method: first.default_payment_method }),
    ...(first.collection_method === null ? {} : { collection_method: first.collection_method }),
    ...(first.collection_method === 'send_invoice' ? { days_until_due: 30 } : {}),
    ...(first.description === null ? {} : { description: first.description }),
    ...(first.default_tax_rates && first.default_tax_rates.length > 0
      ? { default_tax_rates: first.default_tax_rates.map((rate) => rate.id) }
      : {}),
  });
  const linked = context.tx.get<Stripe.Subscription>('subscription', subscription.id)!;
  context.tx.put<Stripe.Subscription>({ ...linked, schedule: schedule.id });
  // A schedule's subscription runs whatever its first payment did: unpaid, it is past due
  // rather than incomplete (and never expires for it).
  if (linked.status === 'incomplete') moveSubscription(context, subscription.id, 'past_due');
  return withCurrentPhase({ ...schedule, status: 'active', subscription: subscription.id }, first.start_date);
}

/** Schedules the end of phase `index`: the next phase's items, or the schedule's end. */
export function planPhaseEnd(
  context: StripeContext,
  schedule: Stripe.SubscriptionSchedule,
  index: number,
): void {
  const phase = schedule.phases[index]!;
  const last = index === schedule.phases.length - 1;
  if (last) {
    const warnAt = Math.max(phase.start_date, phase.end_date - expiringWarningSeconds);
    scheduleAt(context, {
      customer: customerOf(schedule),
      atSeconds: warnAt,
      label: `subscription schedule ${schedule.id} expiring`,
      run: (job) => {
        const current = job.tx.get<Stripe.SubscriptionSchedule>('subscription_schedule', schedule.id);
        if (current?.status !== 'active' || current.phases.at(-1)?.end_date !== phase.end_date) return;
        job.emit(
          'subscription_schedule.expiring',
          withCurrentPhase(current, job.nowFor(customerOf(current))),
        );
      },
    });
  }
  scheduleAt(context, {
    customer: customerOf(schedule),
    atSeconds: phase.end_date,
    label: `subscription schedule ${schedule.id} phase ${index} ends`,
    run: (job) => endPhase(job, schedule.id, index, phase.end_date),
  });
}

/**
 * Before a subscription renews at `at`, the phase of its schedule ending then ends first, so
 * the renewal bills the next phase's prices (whichever of the two jobs the clock runs first).
 */
export function settleSchedulePhase(context: StripeContext, subscriptionId: string, at: number): void {
  const subscription = context.tx.get<Stripe.Subscription>('subscription', subscriptionId);
  const id = subscription?.schedule ?? null;
  if (id === null || id === undefined) return;
  const schedule = context.tx.get<Stripe.SubscriptionSchedule>(
    'subscription_schedule',
    typeof id === 'string' ? id : id.id,
  );
  const index = schedule?.phases.findIndex((phase) => phase.end_date === at) ?? -1;
  if (schedule !== undefined && index !== -1) endPhase(context, schedule.id, index, at);
}

function endPhase(context: StripeContext, scheduleId: string, index: number, expectedEnd: number): void {
  const schedule = context.tx.get<Stripe.SubscriptionSchedule>('subscription_schedule', scheduleId);
  // Stale: the schedule ended, its phases were replaced, or this phase already ended.
  if (schedule?.status !== 'active' || schedule.phases[index]?.end_date !== expectedEnd) return;
  if (schedule.current_phase !== null && schedule.current_phase.end_date !== expectedEnd) return;
  const subscriptionId = subscriptionOf(schedule);
  const next = schedule.phases[index + 1];
  const now = context.nowFor(customerOf(schedule));
  if (next !== undefined && subscriptionId !== null) {
    applyPhase(context, subscriptionId, next);
    planPhaseEnd(context, schedule, index + 1);
    const moved = withCurrentPhase(schedule, now);
    context.tx.put(moved);
    context.emit('subscription_schedule.updated', moved, { current_phase: schedule.current_phase });
    return;
  }
  const completed: Stripe.SubscriptionSchedule = {
    ...schedule,
    status: 'completed',
    completed_at: now,
    current_phase: null,
  };
  context.tx.put(completed);
  if (schedule.end_behavior === 'cancel' && subscriptionId !== null) {
    callEndpoint(context, 'DELETE', `/v1/subscriptions/${subscriptionId}`, {});
  } else if (subscriptionId !== null) {
    const subscription = context.tx.get<Stripe.Subscription>('subscription', subscriptionId);
    if (subscription !== undefined) context.tx.put<Stripe.Subscription>({ ...subscription, schedule: null });
  }
  context.emit('subscription_schedule.completed', completed);
}

/** The subscription takes a phase's items: old items go, the phase's come, without proration. */
export function applyPhase(
  context: StripeContext,
  subscriptionId: string,
  phase: Stripe.SubscriptionSchedule.Phase,
): void {
  const subscription = context.tx.get<Stripe.Subscription>('subscription', subscriptionId);
  if (subscription === undefined || ['canceled', 'incomplete_expired'].includes(subscription.status)) return;
  callEndpoint<Stripe.Subscription>(context, 'POST', `/v1/subscriptions/${subscriptionId}`, {
    items: [
      ...subscription.items.data.map((item) => ({ id: item.id, deleted: true })),
      ...itemParams(phase).map(({ tax_rates: _rates, ...item }) => item),
    ],
    proration_behavior: 'none',
    ...(phase.default_payment_method === null
      ? {}
      : { default_payment_method: phase.default_payment_method }),
  });
}
