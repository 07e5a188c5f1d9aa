import type Stripe from 'stripe';
import * as z from 'zod';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { paginate, type StripeList } from '../list.ts';
import { int, listParams, oneOf, parseParams, text } from '../params.ts';
import { requireCustomer } from '../resources/customer-lookup.ts';
import { aggregate } from './records.ts';
import { selectEvents } from './selection.ts';

const summarySchema = z.strictObject({
  ...listParams,
  customer: text(),
  start_time: int({ min: 0 }),
  end_time: int({ min: 0 }),
  value_grouping_window: oneOf('value_grouping_window', ['day', 'hour']).optional(),
});

const groupingSeconds = { hour: 3600, day: 86_400 } as const;
// A summary request spanning more windows than this is refused rather than built.
const windowsMax = 10_000;

/**
 * `GET /v1/billing/meters/:id/event_summaries`: the aggregated value over [start_time, end_time)
 * (minute-aligned), or one summary per UTC hour or day with `value_grouping_window`. Summaries
 * count every accepted event received so far; the billing grace period does not apply here.
 */
export function listEventSummaries(
  context: StripeContext,
  meter: Stripe.Billing.Meter,
): StripeList<Stripe.Billing.MeterEventSummary> {
  const params = parseParams(summarySchema, context.params);
  for (const name of ['start_time', 'end_time'] as const) {
    if (params[name] % 60 !== 0) {
      fail({
        kind: 'parameter_invalid',
        param: name,
        message: `${name} must be aligned to minute boundaries.`,
      });
    }
  }
  if (params.start_time >= params.end_time) {
    fail({ kind: 'parameter_invalid', param: 'start_time', message: 'start_time must be before end_time.' });
  }
  requireCustomer(context, params.customer, 'customer');
  const windows = splitWindows(params.start_time, params.end_time, params.value_grouping_window);
  const summaries = windows.map(([start, end]): Stripe.Billing.MeterEventSummary => ({
    // Ids are derived, not drawn, so the same summary keeps its id as a pagination cursor.
    id: `mtrusg_${meter.id.slice(4, 14)}${params.customer.slice(4, 10)}_${start}_${end}`,
    object: 'billing.meter_event_summary',
    aggregated_value: aggregate(
      meter.default_aggregation.formula,
      selectEvents(context, {
        meter,
        customer: params.customer,
        startSeconds: start,
        endSeconds: end,
        withGrace: false,
      }),
    ),
    end_time: end,
    livemode: false,
    meter: meter.id,
    start_time: start,
  }));
  return paginate(params, summaries, `/v1/billing/meters/${meter.id}/event_summaries`);
}

function splitWindows(
  start: number,
  end: number,
  grouping: 'day' | 'hour' | undefined,
): Array<[number, number]> {
  if (grouping === undefined) return [[start, end]];
  const size = groupingSeconds[grouping];
  if ((end - start) / size > windowsMax) {
    fail({
      kind: 'parameter_invalid',
      param: 'value_grouping_window',
      message: `The requested range spans more than ${windowsMax} ${grouping} windows.`,
    });
  }
  const windows: Array<[number, number]> = [];
  for (let from = start; from < end;) {
    const to = Math.min(end, (Math.floor(from / size) + 1) * size);
    windows.push([from, to]);
    from = to;
  }
  return windows;
}
