import type Stripe from 'stripe';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUnit, priceAmount } from '../../src/fakes/stripe/billing/price-amount.ts';
import type { StripeContext } from '../../src/fakes/stripe/context.ts';

// Prices here carry their tiers, so nothing is looked up in the store.
const context = { tx: { get: () => undefined } } as unknown as StripeContext;

function price(fields: Partial<Stripe.Price>): Stripe.Price {
  return {
    id: 'price_test',
    currency: 'usd',
    billing_scheme: 'per_unit',
    unit_amount: null,
    unit_amount_decimal: null,
    transform_quantity: null,
    tiers_mode: null,
    ...fields,
  } as Stripe.Price;
}

const tier = (up_to: number | null, unit: number, flat = 0): Stripe.Price.Tier => ({
  up_to,
  unit_amount: unit,
  unit_amount_decimal: null,
  flat_amount: flat,
  flat_amount_decimal: null,
});

describe('priceAmount', () => {
  it('rounds a decimal unit amount once, half away from zero', () => {
    const halfCent = price({ unit_amount_decimal: '0.5' as unknown as Stripe.Decimal });
    expect(priceAmount(context, halfCent, 1)).toBe(1);
    expect(priceAmount(context, halfCent, 3)).toBe(2);
    const tiny = price({ unit_amount_decimal: '0.000000000001' as unknown as Stripe.Decimal });
    expect(priceAmount(context, tiny, 499_999_999_999)).toBe(0);
    expect(priceAmount(context, tiny, 500_000_000_000)).toBe(1);
  });

  it('bills graduated tiers unit by unit, with the first tier’s flat fee even at zero', () => {
    const graduated = price({
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [tier(10, 100, 50), tier(20, 50, 30), tier(null, 10)],
    });
    expect(priceAmount(context, graduated, 0)).toBe(50);
    expect(priceAmount(context, graduated, 10)).toBe(50 + 1_000);
    expect(priceAmount(context, graduated, 11)).toBe(50 + 1_000 + 30 + 50);
    expect(priceAmount(context, graduated, 25)).toBe(50 + 1_000 + 30 + 500 + 50);
  });

  it('bills volume tiers: every unit at the tier the quantity reaches, up_to inclusive', () => {
    const volume = price({
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      tiers: [tier(5, 1_000), tier(null, 800, 200)],
    });
    expect(priceAmount(context, volume, 5)).toBe(5_000);
    expect(priceAmount(context, volume, 6)).toBe(6 * 800 + 200);
  });

  it('agrees with the integer product for whole unit amounts (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (unit, quantity) => {
          expect(priceAmount(context, price({ unit_amount: unit }), quantity)).toBe(unit * quantity);
        },
      ),
    );
  });

  it('divides by transform_quantity, rounding up or down', () => {
    const up = price({ unit_amount: 25, transform_quantity: { divide_by: 1_000, round: 'up' } });
    const down = price({ unit_amount: 25, transform_quantity: { divide_by: 1_000, round: 'down' } });
    expect([priceAmount(context, up, 1_001), priceAmount(context, down, 1_999)]).toEqual([50, 25]);
  });
});

describe('formatUnit', () => {
  it('shows every place of a decimal unit amount in major units', () => {
    expect(formatUnit(price({ unit_amount: 3_000 }))).toBe('30.00 USD');
    expect(formatUnit(price({ unit_amount_decimal: '0.0035' as unknown as Stripe.Decimal }))).toBe(
      '0.000035 USD',
    );
    expect(formatUnit(price({ unit_amount: 500, currency: 'jpy' }))).toBe('500 JPY');
  });
});
