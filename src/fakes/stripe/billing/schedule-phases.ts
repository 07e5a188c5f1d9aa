import type Stripe from 'stripe';
import * as z from 'zod';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { int, metadata, mergeMetadata, oneOf, text } from '../params.ts';
import { requireTaxRates } from '../resources/tax-rates.ts';
import { addIntervals, type BillingInterval } from './calendar.ts';
import { requireRecurringPrice } from './subscription-objects.ts';

const interval = oneOf('interval', ['day', 'month', 'week', 'year']);

/** One `phases[]` entry of a schedule, as the fake models them. */
export const phaseParam = z.strictObject({
  items: z
    .array(
      z.strictObject({
        price: text(),
        quantity: int({ min: 0 }).optional(),
        metadata: metadata.optional(),
        tax_rates: z.union([z.literal(''), z.array(text())]).optional(),
      }),
    )
    .min(1)
    .max(20),
  // Older API versions (and the Stripe CLI) count a phase in billing periods.
  iterations: int({ min: 1 }).optional(),
  duration: z.strictObject({ interval, interval_count: int({ min: 1 }).optional() }).optional(),
  start_date: z.union([z.literal('now'), int({ min: 0 })]).optional(),
  end_date: z.union([z.literal('now'), int({ min: 0 })]).optional(),
  metadata: metadata.optional(),
  description: text().optional(),
  default_payment_method: text().optional(),
  default_tax_rates: z.union([z.literal(''), z.array(text())]).optional(),
  collection_method: oneOf('collection_method', ['charge_automatically', 'send_invoice']).optional(),
  proration_behavior: oneOf('proration_behavior', ['always_invoice', 'create_prorations', 'none']).optional(),
  currency: text().optional(),
});

export type PhaseParam = z.infer<typeof phaseParam>;

/**
 * Lays the phases end to end from `start`: each ends at its `end_date`, or after its
 * `iterations` billing periods (or `duration`); a last phase with neither lasts one period.
 */
export function buildPhases(
  context: StripeContext,
  params: readonly PhaseParam[],
  start: number,
  now: number,
): Stripe.SubscriptionSchedule.Phase[] {
  let cursor = start;
  return params.map((phase, index) => {
    const param = `phases[${index}]`;
    const prices = phase.items.map((item, at) =>
      requireRecurringPrice(context, item.price, `${param}[items][${at}][price]`),
    );
    const recurring = prices[0]!.recurring!;
    const begins = cursor;
    const explicitEnd = phase.end_date === 'now' ? now : phase.end_date;
    const end =
      explicitEnd ??
      (phase.duration !== undefined
        ? addIntervals(begins, phase.duration.interval as BillingInterval, phase.duration.interval_count ?? 1)
        : addIntervals(
            begins,
            recurring.interval as BillingInterval,
            recurring.interval_count * (phase.iterations ?? 1),
          ));
    if (end <= begins) {
      fail({
        kind: 'invalid_request',
        param: `${param}[end_date]`,
        message: 'A phase must end after it starts.',
      });
    }
    cursor = end;
    return {
      add_invoice_items: [],
      application_fee_percent: null,
      billing_cycle_anchor: null,
      billing_thresholds: null,
      collection_method: phase.collection_method ?? null,
      currency: prices[0]!.currency,
      default_payment_method: phase.default_payment_method ?? null,
      default_tax_rates: phase.default_tax_rates
        ? requireTaxRates(context, phase.default_tax_rates, `${param}[default_tax_rates]`)
        : [],
      description: phase.description ?? null,
      discounts: [],
      end_date: end,
      invoice_settings: null,
      items: phase.items.map((item, at) => ({
        billing_thresholds: null,
        discounts: [],
        metadata: mergeMetadata({}, item.metadata),
        plan: prices[at]!.id,
        price: prices[at]!.id,
        ...(prices[at]!.recurring!.usage_type === 'metered' ? {} : { quantity: item.quantity ?? 1 }),
        tax_rates: item.tax_rates
          ? requireTaxRates(context, item.tax_rates, `${param}[items][${at}][tax_rates]`)
          : [],
      })),
      metadata: mergeMetadata({}, phase.metadata),
      on_behalf_of: null,
      proration_behavior: phase.proration_behavior ?? 'create_prorations',
      start_date: begins,
      transfer_data: null,
      trial_end: null,
    };
  });
}

/** The phase in effect at `at`, if any. */
export function phaseAt(
  schedule: Stripe.SubscriptionSchedule,
  at: number,
): { readonly index: number; readonly phase: Stripe.SubscriptionSchedule.Phase } | undefined {
  const index = schedule.phases.findIndex((phase) => phase.start_date <= at && at < phase.end_date);
  return index === -1 ? undefined : { index, phase: schedule.phases[index]! };
}

/** A phase's items as subscription create or update params. */
export function itemParams(phase: Stripe.SubscriptionSchedule.Phase): Array<Record<string, unknown>> {
  return phase.items.map((item) => ({
    price: typeof item.price === 'string' ? item.price : item.price.id,
    ...(item.quantity === undefined ? {} : { quantity: item.quantity }),
    ...(item.tax_rates && item.tax_rates.length > 0
      ? { tax_rates: item.tax_rates.map((rate) => rate.id) }
      : {}),
  }));
}

/** A schedule's phases as params again (for an update that keeps them). */
export function phaseParamsOf(schedule: Stripe.SubscriptionSchedule): PhaseParam[] {
  return schedule.phases.map((phase) => ({
    items: itemParams(phase) as PhaseParam['items'],
    end_date: phase.end_date,
    metadata: phase.metadata ?? {},
  }));
}
