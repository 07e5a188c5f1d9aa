import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { scheduleAt } from '../billing/clocks.ts';
import {
  buildPhases,
  phaseAt,
  phaseParam,
  phaseParamsOf,
  type PhaseParam,
} from '../billing/schedule-phases.ts';
import { applyPhase, planPhaseEnd, startSchedule, withCurrentPhase } from '../billing/schedule-runner.ts';
import { currentPeriod } from '../billing/subscription-objects.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { callEndpoint } from '../internal-call.ts';
import { listPage } from '../list.ts';
import {
  bool,
  expand,
  expandOnly,
  int,
  listParams,
  mergeMetadata,
  metadata,
  oneOf,
  parseParams,
  text,
} from '../params.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { requireCustomer } from './customer-lookup.ts';
import { customerOf } from '../customer-of.ts';

const endBehavior = oneOf('end_behavior', ['cancel', 'none', 'release', 'renew']);
const createSchema = z.strictObject({
  customer: text().optional(),
  from_subscription: text().optional(),
  start_date: z.union([z.literal('now'), int({ min: 0 })]).optional(),
  end_behavior: endBehavior.optional(),
  phases: z.array(phaseParam).min(1).max(10).optional(),
  metadata: metadata.optional(),
  default_settings: z.record(z.string(), z.unknown()).optional(),
  expand,
});
const updateSchema = z.strictObject({
  end_behavior: endBehavior.optional(),
  phases: z.array(phaseParam).min(1).max(10).optional(),
  metadata: metadata.optional(),
  proration_behavior: oneOf('proration_behavior', ['always_invoice', 'create_prorations', 'none']).optional(),
  default_settings: z.record(z.string(), z.unknown()).optional(),
  expand,
});
const cancelSchema = z.strictObject({ invoice_now: bool().optional(), prorate: bool().optional(), expand });
const releaseSchema = z.strictObject({ preserve_cancel_date: bool().optional(), expand });

function requireSchedule(context: StripeContext, id: string): Stripe.SubscriptionSchedule {
  const schedule = context.tx.get<Stripe.SubscriptionSchedule>('subscription_schedule', id);
  if (schedule === undefined) fail({ kind: 'resource_missing', objectName: 'subscription_schedule', id });
  return withCurrentPhase(schedule, context.nowFor(customerOf(schedule)));
}

/** A schedule built on an existing subscription: its current items make the first phase. */
function fromSubscription(
  context: StripeContext,
  id: string,
): { customer: string; start: number; phases: PhaseParam[] } {
  const subscription = context.tx.get<Stripe.Subscription>('subscription', id);
  if (subscription === undefined) {
    fail({ kind: 'resource_missing', objectName: 'subscription', id, param: 'from_subscription' });
  }
  if (subscription.schedule !== null) {
    fail({
      kind: 'invalid_request',
      param: 'from_subscription',
      message: `Subscription ${id} already has a schedule.`,
    });
  }
  const period = currentPeriod(subscription);
  const items = subscription.items.data.map((item) => ({
    price: item.price.id,
    ...(item.quantity === undefined ? {} : { quantity: item.quantity }),
  }));
  return {
    customer: subscription.customer as string,
    start: period.start,
    phases: [{ items, end_date: period.end }],
  };
}

function newSchedule(
  context: StripeContext,
  fields: {
    customer: Stripe.Customer;
    phases: Stripe.SubscriptionSchedule.Phase[];
    endBehavior: string;
    metadata: Record<string, string>;
  },
): Stripe.SubscriptionSchedule {
  return {
    id: context.ids.stripe('sub_sched_'),
    object: 'subscription_schedule',
    application: null,
    billing_mode: { flexible: null, type: 'classic' },
    canceled_at: null,
    completed_at: null,
    created: context.nowFor(fields.customer.id),
    current_phase: null,
    customer: fields.customer.id,
    customer_account: null,
    default_settings: {
      application_fee_percent: null,
      billing_cycle_anchor: 'automatic',
      billing_thresholds: null,
      collection_method: null,
      default_payment_method: null,
      description: null,
      invoice_settings: {
        account_tax_ids: null,
        custom_fields: null,
        days_until_due: null,
        description: null,
        footer: null,
        issuer: { type: 'self' },
      },
      on_behalf_of: null,
      transfer_data: null,
    },
    end_behavior: fields.endBehavior as Stripe.SubscriptionSchedule.EndBehavior,
    livemode: false,
    metadata: fields.metadata,
    pause_schedules: [],
    phases: fields.phases,
    released_at: null,
    released_subscription: null,
    status: 'not_started',
    subscription: null,
    test_clock: fields.customer.test_clock ?? null,
  };
}

/**
 * `POST /v1/subscription_schedules`: phases laid end to end from `start_date`. A schedule that
 * starts now creates its subscription at once; a later one starts on the customer's clock.
 */
const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  if ((params.customer === undefined) === (params.from_subscription === undefined)) {
    fail({ kind: 'invalid_request', message: 'You must pass exactly one of customer or from_subscription.' });
  }
  const source =
    params.from_subscription === undefined ? undefined : fromSubscription(context, params.from_subscription);
  const customer = requireCustomer(context, source?.customer ?? params.customer!, 'customer');
  const now = context.nowFor(customer.id);
  const phaseParams = source?.phases ?? params.phases;
  if (phaseParams === undefined) fail({ kind: 'parameter_missing', param: 'phases' });
  const requested = params.start_date ?? phaseParams[0]!.start_date ?? 'now';
  const start = source?.start ?? (requested === 'now' ? now : requested);
  let schedule = newSchedule(context, {
    customer,
    phases: buildPhases(context, phaseParams, start, now),
    endBehavior: params.end_behavior ?? 'release',
    metadata: mergeMetadata({}, params.metadata),
  });
  if (source !== undefined) {
    const subscription = context.tx.get<Stripe.Subscription>('subscription', params.from_subscription!)!;
    context.tx.put<Stripe.Subscription>({ ...subscription, schedule: schedule.id });
    planPhaseEnd(context, schedule, 0);
    schedule = withCurrentPhase({ ...schedule, status: 'active', subscription: subscription.id }, now);
  } else if (start <= now) {
    schedule = startSchedule(context, schedule);
  } else {
    scheduleStart(context, schedule);
  }
  context.tx.put(schedule);
  context.emit('subscription_schedule.created', schedule);
  return schedule;
};

function scheduleStart(context: StripeContext, schedule: Stripe.SubscriptionSchedule): void {
  const start = schedule.phases[0]!.start_date;
  scheduleAt(context, {
    customer: customerOf(schedule),
    atSeconds: start,
    label: `subscription schedule ${schedule.id} starts`,
    run: (job) => {
      const current = job.tx.get<Stripe.SubscriptionSchedule>('subscription_schedule', schedule.id);
      if (current?.status !== 'not_started' || current.phases[0]?.start_date !== start) return;
      const started = startSchedule(job, current);
      job.tx.put(started);
      job.emit('subscription_schedule.updated', started, { status: 'not_started' });
    },
  });
}

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireSchedule(context, path.id!);
};

/** Replacing the phases re-plans the schedule; a running one takes its current phase's items now. */
const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireSchedule(context, path.id!);
  if (!['active', 'not_started'].includes(existing.status)) {
    fail({
      kind: 'invalid_request',
      message: `You cannot update a subscription schedule that is ${existing.status}.`,
    });
  }
  const now = context.nowFor(customerOf(existing));
  const start = existing.phases[0]!.start_date;
  const phases =
    params.phases === undefined
      ? existing.phases
      : buildPhases(context, params.phases ?? phaseParamsOf(existing), start, now);
  let updated: Stripe.SubscriptionSchedule = {
    ...existing,
    end_behavior: params.end_behavior ?? existing.end_behavior,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
    phases,
  };
  if (params.phases !== undefined) {
    const current = phaseAt(updated, now);
    const subscription = updated.subscription as string | null;
    if (updated.status === 'active' && current !== undefined && subscription !== null) {
      applyPhase(context, subscription, current.phase);
      planPhaseEnd(context, updated, current.index);
    } else if (updated.status === 'not_started') {
      scheduleStart(context, updated);
    }
  }
  updated = withCurrentPhase(updated, now);
  context.tx.put(updated);
  context.emit('subscription_schedule.updated', updated, changedAttributes(existing, updated));
  return updated;
};

/**
 * Canceling ends the schedule and its subscription now. A schedule that never started is
 * aborted (`subscription_schedule.aborted`).
 */
const cancel: StripeHandler = (context, path) => {
  const params = parseParams(cancelSchema, context.params);
  const existing = requireSchedule(context, path.id!);
  if (!['active', 'not_started'].includes(existing.status)) {
    fail({
      kind: 'invalid_request',
      message: `You cannot cancel a subscription schedule that is ${existing.status}.`,
    });
  }
  const subscription = existing.subscription as string | null;
  const canceled: Stripe.SubscriptionSchedule = {
    ...existing,
    status: 'canceled',
    canceled_at: context.nowFor(customerOf(existing)),
    current_phase: null,
  };
  context.tx.put(canceled);
  const live =
    subscription === null ? undefined : context.tx.get<Stripe.Subscription>('subscription', subscription);
  if (live !== undefined && !['canceled', 'incomplete_expired'].includes(live.status)) {
    callEndpoint(context, 'DELETE', `/v1/subscriptions/${subscription}`, {
      ...(params.invoice_now === undefined ? {} : { invoice_now: params.invoice_now }),
    });
  }
  context.emit(
    existing.status === 'not_started' ? 'subscription_schedule.aborted' : 'subscription_schedule.canceled',
    canceled,
  );
  return canceled;
};

/** Releasing lets the subscription go on alone: the schedule ends, the subscription stays. */
const release: StripeHandler = (context, path) => {
  parseParams(releaseSchema, context.params);
  const existing = requireSchedule(context, path.id!);
  if (!['active', 'not_started'].includes(existing.status)) {
    fail({
      kind: 'invalid_request',
      message: `You cannot release a subscription schedule that is ${existing.status}.`,
    });
  }
  const subscriptionId = existing.subscription as string | null;
  const subscription =
    subscriptionId === null ? undefined : context.tx.get<Stripe.Subscription>('subscription', subscriptionId);
  if (subscription !== undefined) context.tx.put<Stripe.Subscription>({ ...subscription, schedule: null });
  const released: Stripe.SubscriptionSchedule = {
    ...existing,
    status: 'released',
    released_at: context.nowFor(customerOf(existing)),
    released_subscription: subscriptionId,
    subscription: null,
    current_phase: null,
  };
  context.tx.put(released);
  context.emit('subscription_schedule.released', released);
  return released;
};

const listQuery = z.strictObject({
  ...listParams,
  customer: text().optional(),
  scheduled: bool().optional(),
  canceled_at: z.unknown().optional(),
  completed_at: z.unknown().optional(),
  released_at: z.unknown().optional(),
});

const list: StripeHandler = (context) => {
  const params = parseParams(listQuery, context.params);
  const matches = (schedule: Stripe.SubscriptionSchedule) =>
    (params.customer === undefined || schedule.customer === params.customer) &&
    (params.scheduled === undefined || (schedule.status === 'not_started') === params.scheduled);
  const url = '/v1/subscription_schedules';
  const page = listPage(context.tx, params, 'subscription_schedule', [], matches, url);
  // The current phase as of now, once the page is chosen: the change keeps every id.
  return { ...page, data: page.data.map((each) => withCurrentPhase(each, context.nowFor(customerOf(each)))) };
};

export const subscriptionSchedulesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/subscription_schedules', handler: create },
  { method: 'GET', pattern: '/v1/subscription_schedules', handler: list },
  { method: 'GET', pattern: '/v1/subscription_schedules/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/subscription_schedules/:id', handler: update },
  { method: 'POST', pattern: '/v1/subscription_schedules/:id/cancel', handler: cancel },
  { method: 'POST', pattern: '/v1/subscription_schedules/:id/release', handler: release },
];
