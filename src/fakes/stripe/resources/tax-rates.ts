import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeContext, StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { listPage } from '../list.ts';
import {
  bool,
  expand,
  expandOnly,
  listParams,
  mergeMetadata,
  metadata,
  parseParams,
  text,
} from '../params.ts';
import { changedAttributes } from '../changed-attributes.ts';

const percentage = z
  .union([z.string(), z.number()])
  .transform(Number)
  .refine((value) => Number.isFinite(value) && value >= 0 && value <= 100, 'Invalid percentage: 0 to 100');

const createSchema = z.strictObject({
  display_name: z.string().min(1).max(50),
  inclusive: bool(),
  percentage,
  active: bool().optional(),
  country: text().optional(),
  description: text().optional(),
  jurisdiction: text().optional(),
  metadata: metadata.optional(),
  state: text().optional(),
  tax_type: text().optional(),
  expand,
});
const updateSchema = z.strictObject({
  active: bool().optional(),
  country: text().optional(),
  description: text().optional(),
  display_name: z.string().min(1).max(50).optional(),
  jurisdiction: text().optional(),
  metadata: metadata.optional(),
  state: text().optional(),
  tax_type: text().optional(),
  expand,
});
const listSchema = z.strictObject({ ...listParams, active: bool().optional(), inclusive: bool().optional() });

/** Loads a tax rate of the current account or fails with Stripe's 404 naming `param`. */
export function requireTaxRate(context: StripeContext, id: string, param = 'id'): Stripe.TaxRate {
  const rate = context.tx.get<Stripe.TaxRate>('tax_rate', id);
  if (rate === undefined) fail({ kind: 'resource_missing', objectName: 'tax_rate', id, param });
  return rate;
}

/** Checks a list of tax rate ids (`default_tax_rates`, `tax_rates`): each must exist and be active. */
export function requireTaxRates(
  context: StripeContext,
  ids: readonly string[],
  param: string,
): Stripe.TaxRate[] {
  return ids.map((id, index) => {
    const rate = requireTaxRate(context, id, `${param}[${index}]`);
    if (!rate.active) {
      fail({ kind: 'invalid_request', param: `${param}[${index}]`, message: `Tax rate ${id} is inactive.` });
    }
    return rate;
  });
}

const create: StripeHandler = (context) => {
  const params = parseParams(createSchema, context.params);
  const rate: Stripe.TaxRate = {
    id: context.ids.stripe('txr_'),
    object: 'tax_rate',
    active: params.active ?? true,
    country: params.country ?? null,
    created: context.nowSeconds,
    description: params.description ?? null,
    display_name: params.display_name,
    effective_percentage: params.percentage,
    flat_amount: null,
    inclusive: params.inclusive,
    jurisdiction: params.jurisdiction ?? null,
    jurisdiction_level: null,
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    percentage: params.percentage,
    rate_type: 'percentage',
    state: params.state ?? null,
    tax_type: (params.tax_type ?? null) as Stripe.TaxRate.TaxType | null,
  };
  context.tx.put(rate);
  context.emit('tax_rate.created', rate);
  return rate;
};

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireTaxRate(context, path.id!);
};

/** Percentage and inclusiveness never change: invoices already taxed keep their meaning. */
const update: StripeHandler = (context, path) => {
  const params = parseParams(updateSchema, context.params);
  const existing = requireTaxRate(context, path.id!);
  const updated: Stripe.TaxRate = {
    ...existing,
    active: params.active ?? existing.active,
    country: params.country ?? existing.country,
    description: params.description ?? existing.description,
    display_name: params.display_name ?? existing.display_name,
    jurisdiction: params.jurisdiction ?? existing.jurisdiction,
    metadata: mergeMetadata(existing.metadata ?? {}, params.metadata),
    state: params.state ?? existing.state,
    tax_type: (params.tax_type ?? existing.tax_type) as Stripe.TaxRate.TaxType | null,
  };
  context.tx.put(updated);
  context.emit('tax_rate.updated', updated, changedAttributes(existing, updated));
  return updated;
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const matches = (rate: Stripe.TaxRate) =>
    (params.active === undefined || rate.active === params.active) &&
    (params.inclusive === undefined || rate.inclusive === params.inclusive);
  return listPage(context.tx, params, 'tax_rate', [], matches, '/v1/tax_rates');
};

export const taxRatesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'POST', pattern: '/v1/tax_rates', handler: create },
  { method: 'GET', pattern: '/v1/tax_rates', handler: list },
  { method: 'GET', pattern: '/v1/tax_rates/:id', handler: retrieve },
  { method: 'POST', pattern: '/v1/tax_rates/:id', handler: update },
];
