import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import { expandOnly, mergeMetadata, parseParams } from '../params.ts';
import { requireMeter } from './meters.ts';
import { changedAttributes } from '../changed-attributes.ts';
import { insertProduct, requireProduct } from './product-store.ts';
import { createSchema, intervals, listSchema, updateSchema } from './prices-params.ts';

type Decimal = NonNullable<Stripe.Price['unit_amount_decimal']>;
/** Decimal fields travel as strings; the SDK turns them into its `Decimal` class on receipt. */
const asDecimal = (text: string): Decimal => text as unknown as Decimal;

// Stripe caps a billing interval at three years.
const intervalCountMax: Readonly<Record<(typeof intervals)[number], number>> = {
  day: 1095,
  week: 156,
  month: 36,
  year: 3,
};

type PriceInput = Partial<z.infer<typeof createSchema>> & Pick<z.infer<typeof createSchema>, 'currency'>;

/** Loads a price of the current account or fails with Stripe's 404. */
export function requirePrice(context: StripeContext, id: string, param = 'id'): Stripe.Price {
  const price = context.tx.get<Stripe.Price>('price', id);
  if (price === undefined) fail({ kind: 'resource_missing', objectName: 'price', id, param });
  return price;
}

/** Names a param under an optional parent: `recurring[meter]` → `default_price_data[recurring][meter]`. */
type Named = (path: string) => string;
function namer(parent: string): Named {
  return (path) => (parent === '' ? path : `${parent}[${path.replace(/^([^[]+)/, '$1]')}`);
}

function checkRecurring(
  context: StripeContext,
  recurring: PriceInput['recurring'],
  named: Named,
): Stripe.Price.Recurring | null {
  if (recurring === undefined) return null;
  const count = recurring.interval_count ?? 1;
  if (count > intervalCountMax[recurring.interval]) {
    fail({
      kind: 'parameter_invalid',
      param: named('recurring[interval_count]'),
      message: 'The maximum billing interval is 3 years.',
    });
  }
  const usageType = recurring.usage_type ?? 'licensed';
  // Since 2025-03-31.basil a metered price must name the meter that measures it.
  if (usageType === 'metered' && recurring.meter === undefined) {
    fail({ kind: 'parameter_missing', param: named('recurring[meter]') });
  }
  if (usageType === 'licensed' && recurring.meter !== undefined) {
    fail({
      kind: 'invalid_request',
      param: named('recurring[meter]'),
      message: 'A meter can only be set on a price with recurring[usage_type]=metered.',
    });
  }
  if (recurring.meter !== undefined) requireMeter(context, recurring.meter, named('recurring[meter]'));
  return {
    interval: recurring.interval,
    interval_count: count,
    meter: recurring.meter ?? null,
    trial_period_days: recurring.trial_period_days ?? null,
    usage_type: usageType,
  };
}

function checkAmounts(input: PriceInput, named: Named): void {
  if (input.unit_amount !== undefined && input.unit_amount_decimal !== undefined) {
    fail({
      kind: 'invalid_request',
      param: named('unit_amount'),
      message: 'You may only specify one of these parameters: unit_amount, unit_amount_decimal.',
    });
  }
  if ((input.billing_scheme ?? 'per_unit') === 'per_unit') {
    if (input.tiers !== undefined || input.tiers_mode !== undefined) {
      fail({
        kind: 'invalid_request',
        param: named('tiers'),
        message: 'Tiers can only be set when billing_scheme=tiered.',
      });
    }
    if (input.unit_amount === undefined && input.unit_amount_decimal === undefined) {
      fail({ kind: 'parameter_missing', param: named('unit_amount') });
    }
    return;
  }
  if (input.tiers === undefined) fail({ kind: 'parameter_missing', param: named('tiers') });
  if (input.tiers_mode === undefined) fail({ kind: 'parameter_missing', param: named('tiers_mode') });
  if (input.recurring === undefined) {
    fail({
      kind: 'invalid_request',
      param: named('billing_scheme'),
      message: 'Tiered prices must be recurring.',
    });
  }
  let previous = 0;
  for (const [index, tier] of input.tiers.entries()) {
    const last = index === input.tiers.length - 1;
    if ((tier.up_to === 'inf') !== last || (tier.up_to !== 'inf' && tier.up_to <= previous)) {
      fail({
        kind: 'parameter_invalid',
        param: named(`tiers[${index}][up_to]`),
        message: 'Tiers must ascend by up_to, and only the last tier may be up_to=inf.',
      });
    }
    if (tier.up_to !== 'inf') previous = tier.up_to;
  }
}

function renderTiers(tiers: NonNullable<PriceInput['tiers']>): Stripe.Price.Tier[] {
  const pair = (amount: number | undefined, text: string | undefined) => ({
    amount: amount ?? (text !== undefined && /^\d+$/.test(text) ? Number(text) : null),
    text: text ?? (amount === undefined ? null : String(amount)),
  });
  return tiers.map((tier) => {
    const unit = pair(tier.unit_amount, tier.unit_amount_decimal);
    const flat = pair(tier.flat_amount, tier.flat_amount_decimal);
    return {
      flat_amount: flat.amount,
      flat_amount_decimal: flat.text === null ? null : asDecimal(flat.text),
      unit_amount: unit.amount,
      unit_amount_decimal: unit.text === null ? null : asDecimal(unit.text),
      up_to: tier.up_to === 'inf' ? null : tier.up_to,
    };
  });
}

function resolveProduct(context: StripeContext, input: PriceInput, named: Named): string {
  if ((input.product === undefined) === (input.product_data === undefined)) {
    fail({
      kind: 'invalid_request',
      param: named('product'),
      message: 'You must specify exactly one of these parameters: product, product_data.',
    });
  }
  if (input.product !== undefined) return requireProduct(context, input.product, named('product')).id;
  return insertProduct(context, input.product_data!, named('product_data[id]')).id;
}

/** Moves or claims a lookup key: taken keys are a 400 unless `transfer_lookup_key` is set. */
function claimLookupKey(
  context: StripeContext,
  key: string | undefined,
  transfer: boolean,
  self: string,
): void {
  if (key === undefined) return;
  const holder = context.tx
    .values<Stripe.Price>('price')
    .find((price) => price.lookup_key === key && price.id !== self);
  if (holder === undefined) return;
  if (!transfer) {
    fail({
      kind: 'invalid_request',
      param: 'lookup_key',
      message: `A price (\`${holder.id}\`) already uses that lookup key.`,
    });
  }
  const released: Stripe.Price = { ...holder, lookup_key: null };
  context.tx.put(released);
  context.emit('price.updated', released, { lookup_key: key });
}

/** Creates a price (from `POST /v1/prices` or `default_price_data`), its product if asked. */
export function insertPrice(context: StripeContext, input: PriceInput, paramPrefix = ''): Stripe.Price {
  const named = namer(paramPrefix);
  checkAmounts(input, named);
  const recurring = checkRecurring(context, input.recurring, named);
  const product = resolveProduct(context, input, named);
  claimLookupKey(context, input.lookup_key, input.transfer_lookup_key ?? false, '');
  const id = context.ids.custom('price_', 24);
  const decimalText =
    input.unit_amount_decimal ?? (input.unit_amount === undefined ? null : String(input.unit_amount));
  const tiered = (input.billing_scheme ?? 'per_unit') === 'tiered';
  const price: Stripe.Price = {
    id,
    object: 'price',
    active: input.active ?? true,
    billing_scheme: tiered ? 'tiered' : 'per_unit',
    created: context.nowSeconds,
    currency: input.currency.toLowerCase(),
    custom_unit_amount: null,
    livemode: false,
    lookup_key: input.lookup_key ?? null,
    metadata: mergeMetadata({}, input.metadata),
    nickname: input.nickname ?? null,
    product,
    recurring,
    tax_behavior: input.tax_behavior ?? 'unspecified',
    ...(tiered ? { tiers: renderTiers(input.tiers!) } : {}),
    tiers_mode: input.tiers_mode ?? null,
    transform_quantity: input.transform_quantity ?? null,
    type: recurring === null ? 'one_time' : 'recurring',
    unit_amount: tiered
      ? null
      : (input.unit_amount ?? (/^\d+$/.test(decimalText ?? '') ? Number(decimalText) : null)),
    unit_amount_decimal: tiered || decimalText === null ? null : asDecimal(decimalText),
  };
  context.tx.put(price);
  context.emit('price.created', render(price, []));
  return price;
}

/** Stripe includes `tiers` only when asked with `expand[]=tiers`. */
function render(price: Stripe.Price, expanded: readonly string[] | undefined): Stripe.Price {
  if (expanded?.includes('tiers') === true || price.tiers === undefined) return price;
  const { tiers: _tiers, ...rest } = price;
  return rest;
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  return render(insertPrice(context, params), params.expand);
};

const retrieve: StripeHandler = (context, path) => {
  const params = parseParams(expandOnly, context.params);
  return render(requirePrice(context, path.id!), params.expand);
};

const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requirePrice(context, path.id!);
  const lookupKey =
    params.lookup_key === undefined
      ? existing.lookup_key
      : params.lookup_key === ''
        ? null
        : params.lookup_key;
  if (lookupKey !== existing.lookup_key) {
    claimLookupKey(context, lookupKey ?? undefined, params.transfer_lookup_key ?? false, existing.id);
  }
  const updated: Stripe.Price = {
    ...existing,
    active: params.active ?? existing.active,
    lookup_key: lookupKey,
    metadata: mergeMetadata(existing.metadata, params.metadata),
    nickname:
      params.nickname === undefined ? existing.nickname : params.nickname === '' ? null : params.nickname,
    tax_behavior: params.tax_behavior ?? existing.tax_behavior,
  };
  context.tx.put(updated);
  context.emit('price.updated', render(updated, []), changedAttributes(existing, updated));
  return render(updated, params.expand);
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const wanted = params.recurring;
  const page = listPage(
    context.tx,
    params,
    'price',
    [],
    (price: Stripe.Price) =>
      (params.active === undefined || price.active === params.active) &&
      (params.currency === undefined || price.currency === params.currency.toLowerCase()) &&
      (params.lookup_keys === undefined || params.lookup_keys.includes(price.lookup_key ?? '\u0000')) &&
      (params.product === undefined || price.product === params.product) &&
      (params.type === undefined || price.type === params.type) &&
      (wanted?.interval === undefined || price.recurring?.interval === wanted.interval) &&
      (wanted?.meter === undefined || price.recurring?.meter === wanted.meter) &&
      (wanted?.usage_type === undefined || price.recurring?.usage_type === wanted.usage_type),
    '/v1/prices',
  );
  return {
    ...page,
    data: page.data.map((price) =>
      render(
        price,
        params.expand?.map((path) => path.replace(/^data\./, '')),
      ),
    ),
  };
};

export const pricesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/prices', handler: create },
  { method: 'GET', pattern: '/v1/prices', handler: list },
  { method: 'GET', pattern: '/v1/prices/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/prices/:id', handler: update },
];
