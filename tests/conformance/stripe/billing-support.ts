import type Stripe from 'stripe';
import { platformScope } from '../../../src/fakes/stripe/store.ts';
import type { StripeHarness } from '../../support/stripe-harness.ts';

/** 2026-01-01T00:00:00Z, where every billing test's clock starts. */
export const startSeconds = Math.floor(Date.UTC(2026, 0, 1) / 1000);
export const daySeconds = 86_400;

/** Every event the fake stored, in emission order. */
export function storedEvents(h: StripeHarness): Stripe.Event[] {
  return h.fake.runtime.store.values(platformScope, 'event') as unknown as Stripe.Event[];
}

/** Advances a test clock and waits (one request) for the background advance to finish. */
export async function advanceClock(
  h: StripeHarness,
  clock: string,
  frozenTime: number,
): Promise<Stripe.TestHelpers.TestClock> {
  const advancing = await h.stripe.testHelpers.testClocks.advance(clock, { frozen_time: frozenTime });
  if (advancing.status !== 'advancing') throw new Error(`expected advancing, got ${advancing.status}`);
  return h.stripe.testHelpers.testClocks.retrieve(clock);
}

/** A product with one price: licensed (`unit_amount` per month) or metered on a new meter. */
export async function monthlyPrice(
  h: StripeHarness,
  options: { readonly unitAmount: number; readonly meterEvent?: string },
): Promise<{ readonly price: Stripe.Price; readonly meter: Stripe.Billing.Meter | null }> {
  const meter =
    options.meterEvent === undefined
      ? null
      : await h.stripe.billing.meters.create({
          display_name: options.meterEvent,
          event_name: options.meterEvent,
          default_aggregation: { formula: 'sum' },
        });
  const price = await h.stripe.prices.create({
    currency: 'usd',
    unit_amount: options.unitAmount,
    product_data: { name: options.meterEvent ?? 'Base fee' },
    recurring:
      meter === null ? { interval: 'month' } : { interval: 'month', usage_type: 'metered', meter: meter.id },
  });
  return { price, meter };
}

/** A customer with a card (`pm_card_visa`) on a new test clock at 1 January. */
export async function customerOnClock(h: StripeHarness) {
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: startSeconds });
  const customer = await h.stripe.customers.create({
    test_clock: clock.id,
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  return { clock, customer };
}
