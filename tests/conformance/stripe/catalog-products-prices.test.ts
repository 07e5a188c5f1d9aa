import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

async function meter(eventName: string) {
  return h.stripe.billing.meters.create({
    display_name: eventName,
    event_name: eventName,
    default_aggregation: { formula: 'sum' },
  });
}

describe('products through the official SDK', () => {
  it('creates, retrieves, updates, lists and deletes a product', async () => {
    const product = await h.stripe.products.create({ name: 'API calls', metadata: { tier: 'a' } });
    expect(product.id).toMatch(/^prod_[0-9A-Za-z]{14}$/);
    // tax_details is in the pinned SDK's Product type but newer than the fixture file.
    expectStripeShape('product', product, ['tax_details']);
    expect(product).toMatchObject({
      active: true,
      type: 'service',
      default_price: null,
      metadata: { tier: 'a' },
    });
    const updated = await h.stripe.products.update(product.id, {
      name: 'API',
      description: 'calls',
      metadata: { tier: '' },
    });
    expect(updated).toMatchObject({ name: 'API', description: 'calls', metadata: {} });
    expect((await h.stripe.products.retrieve(product.id)).name).toBe('API');
    const listed = await h.stripe.products.list({ ids: [product.id] });
    expect(listed.data.map((item) => item.id)).toEqual([product.id]);
    const deleted = await h.stripe.products.del(product.id);
    expect(deleted).toMatchObject({ id: product.id, deleted: true });
    const error = await h.stripe.products
      .update(product.id, { name: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('creates a default price with default_price_data', async () => {
    const product = await h.stripe.products.create({
      name: 'Seat',
      default_price_data: { currency: 'usd', unit_amount: 900, recurring: { interval: 'month' } },
    });
    expect(product.default_price).toMatch(/^price_/);
    const price = await h.stripe.prices.retrieve(product.default_price as string);
    expect(price).toMatchObject({ product: product.id, unit_amount: 900, type: 'recurring' });
  });

  it('refuses to delete a product that has prices', async () => {
    const product = await h.stripe.products.create({ name: 'Kept' });
    await h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 });
    const error = await h.stripe.products.del(product.id).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
  });
});

describe('prices through the official SDK', () => {
  it('creates a one-time price with product_data; unit_amount_decimal renders as a string', async () => {
    const price = await h.stripe.prices.create({
      currency: 'USD',
      unit_amount: 1500,
      product_data: { name: 'Setup' },
    });
    expectStripeShape('price', price);
    expect(price).toMatchObject({
      type: 'one_time',
      currency: 'usd',
      unit_amount: 1500,
      recurring: null,
      billing_scheme: 'per_unit',
    });
    expect(String(price.unit_amount_decimal)).toBe('1500');
    expect(price.product).toMatch(/^prod_/);
  });

  it('creates a licensed recurring price and a decimal price', async () => {
    const product = await h.stripe.products.create({ name: 'Plan' });
    const licensed = await h.stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 2000,
      recurring: { interval: 'month', interval_count: 3 },
    });
    expect(licensed.recurring).toEqual({
      interval: 'month',
      interval_count: 3,
      meter: null,
      trial_period_days: null,
      usage_type: 'licensed',
    });
    const fractional = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount_decimal: '0.25' as unknown as Stripe.Decimal,
    });
    expect(fractional.unit_amount).toBeNull();
    expect(String(fractional.unit_amount_decimal)).toBe('0.25');
  });

  it('creates a metered price backed by a meter, and filters prices by meter', async () => {
    const usage = await meter('catalog_calls');
    const product = await h.stripe.products.create({ name: 'Calls' });
    const price = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 5,
      recurring: { interval: 'month', usage_type: 'metered', meter: usage.id },
    });
    expect(price.recurring).toMatchObject({ usage_type: 'metered', meter: usage.id });
    const listed = await h.stripe.prices.list({ recurring: { meter: usage.id } });
    expect(listed.data.map((item) => item.id)).toEqual([price.id]);
  });

  it('answers a metered price without recurring[meter] with 400 and creates nothing', async () => {
    const product = await h.stripe.products.create({ name: 'Unmetered' });
    const error = await h.stripe.prices
      .create({
        product: product.id,
        currency: 'usd',
        unit_amount: 5,
        recurring: { interval: 'month', usage_type: 'metered' },
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'recurring[meter]' });
    expect((await h.stripe.prices.list({ product: product.id })).data).toEqual([]);
  });

  it('answers an unknown meter with 400 resource_missing naming recurring[meter]', async () => {
    const product = await h.stripe.products.create({ name: 'Ghost' });
    const error = await h.stripe.prices
      .create({
        product: product.id,
        currency: 'usd',
        unit_amount: 5,
        recurring: { interval: 'month', usage_type: 'metered', meter: 'mtr_missing' },
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'recurring[meter]' });
  });

  it('requires exactly one of product and product_data, and an amount', async () => {
    const neither = await h.stripe.prices
      .create({ currency: 'usd', unit_amount: 1 })
      .catch((caught: unknown) => caught);
    expect(neither).toMatchObject({ statusCode: 400, param: 'product' });
    const product = await h.stripe.products.create({ name: 'Amountless' });
    const noAmount = await h.stripe.prices
      .create({ currency: 'usd', product: product.id })
      .catch((caught: unknown) => caught);
    expect(noAmount).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'unit_amount' });
    const bad = await h.stripe.prices
      .create({ currency: 'usd', product: product.id, unit_amount: 'ten' as unknown as number })
      .catch((caught: unknown) => caught);
    expect(bad).toMatchObject({ statusCode: 400, param: 'unit_amount' });
  });

  it('keeps lookup keys unique unless transfer_lookup_key is set, and lists by lookup_keys', async () => {
    const product = await h.stripe.products.create({ name: 'Lookup' });
    const first = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1,
      lookup_key: 'pro_monthly',
    });
    const clash = await h.stripe.prices
      .create({ product: product.id, currency: 'usd', unit_amount: 2, lookup_key: 'pro_monthly' })
      .catch((caught: unknown) => caught);
    expect(clash).toMatchObject({ statusCode: 400, param: 'lookup_key' });
    const second = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2,
      lookup_key: 'pro_monthly',
      transfer_lookup_key: true,
    });
    expect((await h.stripe.prices.retrieve(first.id)).lookup_key).toBeNull();
    const listed = await h.stripe.prices.list({ lookup_keys: ['pro_monthly'] });
    expect(listed.data.map((item) => item.id)).toEqual([second.id]);
  });

  it('creates a tiered price; tiers appear only with expand[]=tiers', async () => {
    const product = await h.stripe.products.create({ name: 'Tiered' });
    const usage = await meter('catalog_tiered');
    const price = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      recurring: { interval: 'month', usage_type: 'metered', meter: usage.id },
      tiers: [
        { up_to: 100, unit_amount: 10 },
        { up_to: 'inf', unit_amount: 5, flat_amount: 100 },
      ],
    });
    expect(price).toMatchObject({ billing_scheme: 'tiered', tiers_mode: 'graduated', unit_amount: null });
    expect(price.tiers).toBeUndefined();
    const expanded = await h.stripe.prices.retrieve(price.id, { expand: ['tiers'] });
    expect(expanded.tiers?.map((tier) => [tier.up_to, tier.unit_amount, tier.flat_amount])).toEqual([
      [100, 10, null],
      [null, 5, 100],
    ]);
  });

  it('updates nickname, active and metadata, emitting price.updated', async () => {
    const price = await h.stripe.prices.create({
      currency: 'usd',
      unit_amount: 3,
      product_data: { name: 'Upd' },
    });
    const updated = await h.stripe.prices.update(price.id, {
      nickname: 'cheap',
      active: false,
      metadata: { a: '1' },
    });
    expect(updated).toMatchObject({ nickname: 'cheap', active: false, metadata: { a: '1' } });
    const inactive = await h.stripe.prices.list({ active: false, limit: 100 });
    expect(inactive.data.some((item) => item.id === price.id)).toBe(true);
  });
});
