import type Stripe from 'stripe';
import { currencyExponent } from '../../../sim/money.ts';
import type { StripeContext } from '../context.ts';

/**
 * A decimal held exactly as `units / 10^scale`: Stripe's `unit_amount_decimal` goes to twelve
 * places of a minor unit (a fraction of a cent per token, say), more than a float multiplies
 * exactly by a large quantity.
 */
interface Exact {
  readonly units: bigint;
  readonly scale: number;
}

function exact(value: string | number): Exact {
  const text = typeof value === 'number' ? numberText(value) : value;
  const [whole = '0', fraction = ''] = text.split('.');
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

// A quantity's digits without an exponent (`1e-7` would not parse).
function numberText(value: number): string {
  return Number.isInteger(value) ? BigInt(value).toString() : value.toFixed(12).replace(/\.?0+$/, '');
}

function times(a: Exact, b: Exact): Exact {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

function plus(a: Exact, b: Exact): Exact {
  const scale = Math.max(a.scale, b.scale);
  const align = (x: Exact) => x.units * 10n ** BigInt(scale - x.scale);
  return { units: align(a) + align(b), scale };
}

/** Rounded to a whole minor unit, half away from zero. */
function rounded(value: Exact): number {
  const divisor = 10n ** BigInt(value.scale);
  const quotient = value.units / divisor;
  const remainder = value.units % divisor;
  const negative = value.units < 0n;
  const half = 2n * (negative ? -remainder : remainder) >= divisor;
  return Number(half ? quotient + (negative ? -1n : 1n) : quotient);
}

const zero: Exact = { units: 0n, scale: 0 };

/** A tier's or a price's amount as its decimal text, else its integer, else zero. */
function decimalOf(text: unknown, integer: number | null | undefined): Exact {
  if (text !== null && text !== undefined) return exact(String(text));
  return integer === null || integer === undefined ? zero : exact(integer);
}

/** The quantity a per-unit price bills: `transform_quantity` divides it, rounding up or down. */
function transformed(price: Stripe.Price, quantity: number): number {
  const transform = price.transform_quantity;
  if (transform === null || transform === undefined) return quantity;
  const divided = quantity / transform.divide_by;
  return transform.round === 'up' ? Math.ceil(divided) : Math.floor(divided);
}

/**
 * Graduated: each tier bills the units that fall in it, plus its flat fee once entered (the
 * first tier's always). Volume: the tier the whole quantity falls in bills every unit, plus its
 * flat fee. A tier runs from the previous tier's `up_to` (exclusive) to its own.
 */
function tieredAmount(price: Stripe.Price, tiers: readonly Stripe.Price.Tier[], quantity: number): Exact {
  const unit = (tier: Stripe.Price.Tier) => decimalOf(tier.unit_amount_decimal, tier.unit_amount);
  const flat = (tier: Stripe.Price.Tier) => decimalOf(tier.flat_amount_decimal, tier.flat_amount);
  if (price.tiers_mode === 'volume') {
    const tier = tiers.find((each) => each.up_to === null || quantity <= each.up_to) ?? tiers.at(-1)!;
    return plus(times(unit(tier), exact(quantity)), flat(tier));
  }
  let total = zero;
  let lower = 0;
  for (const [index, tier] of tiers.entries()) {
    const upper = tier.up_to ?? Number.POSITIVE_INFINITY;
    const inTier = Math.max(0, Math.min(quantity, upper) - lower);
    if (inTier > 0 || index === 0) total = plus(total, flat(tier));
    total = plus(total, times(unit(tier), exact(inTier)));
    if (quantity <= upper) break;
    lower = upper;
  }
  return total;
}

/** The stored price: embedded copies (a subscription item's) leave out `tiers`, as Stripe renders them. */
function withTiers(context: StripeContext, price: Stripe.Price): Stripe.Price {
  if (price.billing_scheme !== 'tiered' || price.tiers !== undefined) return price;
  return context.tx.get<Stripe.Price>('price', price.id) ?? price;
}

/**
 * What a price bills for a quantity, in minor units: per unit (its decimal unit amount, after
 * `transform_quantity`) or tiered (graduated or volume), rounded once at the end as Stripe
 * rounds a line.
 *
 * @example
 * priceAmount(context, { billing_scheme: 'per_unit', unit_amount_decimal: '0.035', … }, 1_234_567); // 43210
 */
export function priceAmount(context: StripeContext, price: Stripe.Price, quantity: number): number {
  const stored = withTiers(context, price);
  if (stored.billing_scheme === 'tiered' && stored.tiers !== undefined)
    return rounded(tieredAmount(stored, stored.tiers, quantity));
  return rounded(
    times(decimalOf(stored.unit_amount_decimal, stored.unit_amount), exact(transformed(stored, quantity))),
  );
}

/** A decimal unit amount (`'0.0035'`) times a quantity, exactly, rounded once to a minor unit. */
export function decimalAmount(unitAmountDecimal: string, quantity: number): number {
  return rounded(times(exact(unitAmountDecimal), exact(quantity)));
}

/** A line's `unit_amount_decimal`: the price's own for a per-unit price, none for a tiered one. */
export function unitDecimal(price: Stripe.Price): string | null {
  if (price.billing_scheme === 'tiered') return null;
  return price.unit_amount_decimal === null
    ? String(price.unit_amount ?? 0)
    : String(price.unit_amount_decimal);
}

/** A unit price in major units (`0.0035 USD`), however many places its decimal has. */
export function formatUnit(price: Stripe.Price): string {
  const unit = decimalOf(price.unit_amount_decimal, price.unit_amount);
  const scale = unit.scale + currencyExponent(price.currency);
  const digits = unit.units.toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  const shown =
    fraction.length < currencyExponent(price.currency)
      ? fraction.padEnd(currencyExponent(price.currency), '0')
      : fraction;
  return `${whole}${shown === '' ? '' : `.${shown}`} ${price.currency.toUpperCase()}`;
}
