import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import { addIntervals, type BillingInterval } from '../billing/calendar.ts';
import { startVirtualClock, testClockType, virtualClockOf } from '../billing/clocks.ts';
import { endedFields, moveSubscription } from '../billing/subscription-status.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import { expand, expandOnly, int, listParams, parseParams, text } from '../params.ts';
import { isDeleted } from '../store.ts';

/** Stripe deletes a test clock (and its objects) this long after creating it. */
export const testClockLifetimeSeconds = 7 * 86_400;

const createSchema = z.strictObject({
  frozen_time: int({ min: 0 }),
  name: text().max(300).optional(),
  expand,
});
const advanceSchema = z.strictObject({ frozen_time: int({ min: 0 }), expand });
const listSchema = z.strictObject(listParams);

function requireClock(context: StripeContext, id: string): Stripe.TestHelpers.TestClock {
  const clock = context.tx.get<Stripe.TestHelpers.TestClock>(testClockType, id);
  if (clock === undefined || isDeleted(clock))
    fail({ kind: 'resource_missing', objectName: 'test_clock', id });
  return clock;
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const clock: Stripe.TestHelpers.TestClock = {
    id: context.ids.stripe('clock_'),
    object: testClockType,
    created: context.nowSeconds,
    deletes_after: context.nowSeconds + testClockLifetimeSeconds,
    frozen_time: params.frozen_time,
    livemode: false,
    name: params.name ?? null,
    status: 'ready',
    status_details: {},
  };
  context.tx.put(clock);
  startVirtualClock(context.runtime, clock.id, clock.frozen_time);
  context.emit('test_helpers.test_clock.created', clock);
  return clock;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireClock(context, path.id!);
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const clocks = context.tx
    .values<Stripe.TestHelpers.TestClock>(testClockType)
    .filter((clock) => !isDeleted(clock));
  return paginate(params, clocks, '/v1/test_helpers/test_clocks');
};

function clockCustomers(context: StripeContext, clockId: string): Stripe.Customer[] {
  return context.tx
    .where<Stripe.Customer>('customer', 'test_clock', clockId)
    .filter((customer) => !isDeleted(customer) && customer.test_clock === clockId);
}

function liveSubscriptions(context: StripeContext, clockId: string): Stripe.Subscription[] {
  const customers = new Set(clockCustomers(context, clockId).map((customer) => customer.id));
  // A subscription takes its customer's clock when it starts, and a customer never changes clocks.
  return context.tx
    .where<Stripe.Subscription>('subscription', 'test_clock', clockId)
    .filter((subscription) => customers.has(subscription.customer as string))
    .filter((subscription) => !['canceled', 'incomplete_expired'].includes(subscription.status));
}

/** Deleting a clock deletes what lives on it: its customers, and their subscriptions end. */
const remove: StripeHandler = (context, path) => {
  const clock = requireClock(context, path.id!);
  for (const subscription of liveSubscriptions(context, clock.id)) {
    moveSubscription(
      context,
      subscription.id,
      'canceled',
      endedFields(clock.frozen_time, 'cancellation_requested'),
    );
  }
  for (const customer of clockCustomers(context, clock.id)) {
    context.tx.put({ id: customer.id, object: 'customer', deleted: true });
    context.emit('customer.deleted', customer);
  }
  const deleted = { id: clock.id, object: testClockType, deleted: true } as const;
  context.tx.put(deleted);
  context.emit('test_helpers.test_clock.deleted', clock);
  return deleted;
};

/** The furthest a clock may go: two intervals of its shortest subscription, or two years. */
export function advanceLimit(context: StripeContext, clock: Stripe.TestHelpers.TestClock): number {
  const limits = liveSubscriptions(context, clock.id).flatMap((subscription) => {
    const recurring = subscription.items.data[0]?.price.recurring;
    if (recurring === undefined || recurring === null) return [];
    return [
      addIntervals(clock.frozen_time, recurring.interval as BillingInterval, 2 * recurring.interval_count),
    ];
  });
  return Math.min(addIntervals(clock.frozen_time, 'year', 2), ...limits);
}

/**
 * Starts advancing: answers `advancing` at once; a background job then moves the clock's own
 * virtual time to the target, running every renewal, finalization and retry due on the way
 * (each stamped with the clock's time), and marks it `ready`.
 */
const advance: StripeHandler = (context, path) => {
  const params = parseParams(advanceSchema, context.params);
  const clock = requireClock(context, path.id!);
  if (clock.status !== 'ready') {
    fail({
      kind: 'invalid_request',
      message: 'The test clock is currently advancing; wait for it to be ready.',
    });
  }
  if (params.frozen_time <= clock.frozen_time) {
    fail({
      kind: 'invalid_request',
      param: 'frozen_time',
      message: `The frozen time must be after the test clock's current frozen time (${clock.frozen_time}).`,
    });
  }
  const limit = advanceLimit(context, clock);
  if (params.frozen_time > limit) {
    fail({
      kind: 'invalid_request',
      param: 'frozen_time',
      message:
        `Cannot advance the test clock beyond ${limit}: at most two intervals of the shortest subscription ` +
        'on it, or two years when it has none.',
    });
  }
  const advancing: Stripe.TestHelpers.TestClock = {
    ...clock,
    status: 'advancing',
    status_details: { advancing: { target_frozen_time: params.frozen_time } },
  };
  context.tx.put(advancing);
  context.emit('test_helpers.test_clock.advancing', advancing);
  context.later({
    label: `test clock ${clock.id} advances`,
    delayMs: 0,
    run: (job) => finishAdvance(job, clock.id, params.frozen_time),
  });
  return advancing;
};

function finishAdvance(context: StripeContext, clockId: string, target: number): void {
  const virtual = virtualClockOf(context.runtime, context.tx.scope, clockId);
  // Each job fired here commits its own transaction, in the clock's time order.
  if (virtual !== undefined && virtual.nowMs() < target * 1000) virtual.advanceTo(target * 1000);
  const current = context.tx.get<Stripe.TestHelpers.TestClock>(testClockType, clockId);
  if (current === undefined || isDeleted(current)) return;
  const ready: Stripe.TestHelpers.TestClock = {
    ...current,
    frozen_time: target,
    status: 'ready',
    status_details: {},
  };
  context.tx.put(ready);
  context.emit('test_helpers.test_clock.ready', ready);
}

export const testClocksRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/test_helpers/test_clocks', handler: create },
  { method: 'GET', pattern: '/v1/test_helpers/test_clocks', handler: list },
  { method: 'GET', pattern: '/v1/test_helpers/test_clocks/:id', handler: retrieve },
  { method: 'DELETE', pattern: '/v1/test_helpers/test_clocks/:id', handler: remove },
  { method: 'POST', pattern: '/v1/test_helpers/test_clocks/:id/advance', handler: advance },
];
