import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import { expand, expandOnly, listParams, oneOf, parseParams } from '../params.ts';
import { aggregate } from '../metering/records.ts';
import { selectEvents } from '../metering/selection.ts';
import { listEventSummaries } from '../metering/summaries.ts';
import { changedAttributes } from '../changed-attributes.ts';

const payloadKey = z.string().min(1).max(100);

const createSchema = z.strictObject({
  display_name: z.string().min(1).max(250),
  event_name: z.string().min(1).max(100),
  default_aggregation: z.strictObject({
    formula: oneOf('default_aggregation[formula]', ['count', 'last', 'sum']),
  }),
  customer_mapping: z
    .strictObject({ type: oneOf('customer_mapping[type]', ['by_id']), event_payload_key: payloadKey })
    .optional(),
  value_settings: z.strictObject({ event_payload_key: payloadKey }).optional(),
  event_time_window: oneOf('event_time_window', ['day', 'hour']).optional(),
  expand,
});
const updateSchema = z.strictObject({ display_name: z.string().min(1).max(250).optional(), expand });
const listSchema = z.strictObject({
  ...listParams,
  status: oneOf('status', ['active', 'inactive']).optional(),
});

/** Loads a meter of the current account or fails with Stripe's 404. */
export function requireMeter(context: StripeContext, id: string, param = 'id'): Stripe.Billing.Meter {
  const meter = context.tx.get<Stripe.Billing.Meter>('billing.meter', id);
  if (meter === undefined) fail({ kind: 'resource_missing', objectName: 'billing.meter', id, param });
  return meter;
}

/**
 * The quantity a meter measured for a customer over [startSeconds, endSeconds): its accepted,
 * uncancelled events by timestamp, aggregated by the meter's formula (sum, count, or the value
 * of the latest event). An event reported up to 1 h after `endSeconds` (on the customer's clock)
 * still counts, as Stripe's grace period allows; a later one does not. Unknown meters give 0.
 *
 * @example
 * const quantity = meteredQuantity(context, { meter: 'mtr_…', customer: 'cus_…',
 *   startSeconds: item.current_period_start, endSeconds: item.current_period_end });
 */
export function meteredQuantity(
  context: StripeContext,
  options: {
    readonly meter: string;
    readonly customer: string;
    readonly startSeconds: number;
    readonly endSeconds: number;
  },
): number {
  const meter = context.tx.get<Stripe.Billing.Meter>('billing.meter', options.meter);
  if (meter === undefined) return 0;
  const records = selectEvents(context, { ...options, meter, withGrace: true });
  return aggregate(meter.default_aggregation.formula, records);
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const clash = context.tx
    .values<Stripe.Billing.Meter>('billing.meter')
    .find((meter) => meter.status === 'active' && meter.event_name === params.event_name);
  if (clash !== undefined) {
    fail({
      kind: 'invalid_request',
      param: 'event_name',
      message: `An active meter with event_name '${params.event_name}' already exists: ${clash.id}.`,
    });
  }
  const now = context.nowSeconds;
  const meter: Stripe.Billing.Meter = {
    id: context.ids.stripe('mtr_'),
    object: 'billing.meter',
    created: now,
    customer_mapping: params.customer_mapping ?? { type: 'by_id', event_payload_key: 'stripe_customer_id' },
    default_aggregation: { formula: params.default_aggregation.formula },
    display_name: params.display_name,
    event_name: params.event_name,
    event_time_window: params.event_time_window ?? null,
    livemode: false,
    status: 'active',
    status_transitions: { deactivated_at: null },
    updated: now,
    value_settings: params.value_settings ?? { event_payload_key: 'value' },
  };
  context.tx.put(meter);
  context.emit('billing.meter.created', meter);
  return meter;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireMeter(context, path.id!);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireMeter(context, path.id!);
  if (params.display_name === undefined) return existing;
  const updated: Stripe.Billing.Meter = {
    ...existing,
    display_name: params.display_name,
    updated: context.nowSeconds,
  };
  context.tx.put(updated);
  context.emit('billing.meter.updated', updated, changedAttributes(existing, updated));
  return updated;
};

/** Deactivates or reactivates: a meter in the target state already is a 400, as in Stripe. */
function transition(target: 'active' | 'inactive'): StripeHandler {
  return (context, path) => {
    parseParams(expandOnly, context.params);
    const existing = requireMeter(context, path.id!);
    if (existing.status === target) {
      fail({
        kind: 'unexpected_state',
        code: 'billing_meter_invalid_status',
        message: `This meter is already ${target === 'active' ? 'active' : 'inactive'}.`,
      });
    }
    if (target === 'active') assertNoActiveTwin(context, existing);
    const updated: Stripe.Billing.Meter = {
      ...existing,
      status: target,
      status_transitions: { deactivated_at: target === 'inactive' ? context.nowSeconds : null },
      updated: context.nowSeconds,
    };
    context.tx.put(updated);
    const type = target === 'active' ? 'billing.meter.reactivated' : 'billing.meter.deactivated';
    context.emit(type, updated, changedAttributes(existing, updated));
    return updated;
  };
}

function assertNoActiveTwin(context: StripeContext, meter: Stripe.Billing.Meter): void {
  const twin = context.tx
    .values<Stripe.Billing.Meter>('billing.meter')
    .find((other) => other.status === 'active' && other.event_name === meter.event_name);
  if (twin !== undefined) {
    fail({
      kind: 'invalid_request',
      message: `An active meter with event_name '${meter.event_name}' already exists: ${twin.id}.`,
    });
  }
}

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (meter: Stripe.Billing.Meter) =>
    params.status === undefined || meter.status === params.status;
  return listPage(context.tx, params, 'billing.meter', [], matches, '/v1/billing/meters');
};

const summaries: StripeHandler = (context, path) =>
  listEventSummaries(context, requireMeter(context, path.id!));

export const metersRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/billing/meters', handler: create },
  { method: 'GET', pattern: '/v1/billing/meters', handler: list },
  { method: 'GET', pattern: '/v1/billing/meters/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/billing/meters/:id', handler: update },
  { method: 'POST', pattern: '/v1/billing/meters/:id/deactivate', handler: transition('inactive') },
  { method: 'POST', pattern: '/v1/billing/meters/:id/reactivate', handler: transition('active') },
  { method: 'GET', pattern: '/v1/billing/meters/:id/event_summaries', handler: summaries },
];
