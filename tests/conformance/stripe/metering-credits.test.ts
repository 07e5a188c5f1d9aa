import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runWork } from '../../../src/fakes/stripe/engine.ts';
import { applyCreditGrants } from '../../../src/fakes/stripe/resources/credit-grants.ts';
import { platformScope } from '../../../src/fakes/stripe/store.ts';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
let customer: Stripe.Customer;
let meteredPrice: Stripe.Price;
beforeAll(async () => {
  h = await startStripe();
  const meter = await h.stripe.billing.meters.create({
    display_name: 'credits',
    event_name: 'credit_calls',
    default_aggregation: { formula: 'sum' },
  });
  meteredPrice = await h.stripe.prices.create({
    currency: 'usd',
    unit_amount: 10,
    product_data: { name: 'Calls' },
    recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
  });
});
afterAll(() => h.close());
beforeEach(async () => (customer = await h.stripe.customers.create({ email: 'credit@example.com' })));

const grant = (value: number, extra: Partial<Stripe.Billing.CreditGrantCreateParams> = {}) =>
  h.stripe.billing.creditGrants.create({
    customer: customer.id,
    amount: { type: 'monetary', monetary: { currency: 'usd', value } },
    applicability_config: { scope: { price_type: 'metered' } },
    ...extra,
  });

const summary = () =>
  h.stripe.billing.creditBalanceSummaries.retrieve({
    customer: customer.id,
    filter: { type: 'applicability_scope', applicability_scope: { price_type: 'metered' } },
  });

const apply = (lines: Array<{ price: string; amount: number; metered: boolean }>, invoice = 'in_test') =>
  runWork(h.fake.runtime, { scope: platformScope, label: 'finalize' }, (context) =>
    applyCreditGrants(context, {
      customer: customer.id,
      currency: 'usd',
      invoice,
      atSeconds: context.nowSeconds,
      lines,
    }),
  );

describe('credit grants through the official SDK', () => {
  it('creates a grant with defaults, a credits_granted transaction and a balance', async () => {
    const created = await grant(5000, { name: 'Welcome', metadata: { source: 'promo' } });
    expectStripeShape('billing.credit_grant', created);
    expect(created.id).toMatch(/^credgr_/);
    expect(created).toMatchObject({
      category: 'paid',
      priority: 50,
      expires_at: null,
      voided_at: null,
      customer: customer.id,
      effective_at: h.sim.clock.nowSeconds(),
    });
    const balance = await summary();
    expectStripeShape('billing.credit_balance_summary', balance);
    expect(balance.balances).toEqual([
      {
        available_balance: { type: 'monetary', monetary: { currency: 'usd', value: 5000 } },
        ledger_balance: { type: 'monetary', monetary: { currency: 'usd', value: 5000 } },
      },
    ]);
    const transactions = await h.stripe.billing.creditBalanceTransactions.list({ customer: customer.id });
    expect(transactions.data).toHaveLength(1);
    expectStripeShape('billing.credit_balance_transaction', transactions.data[0]);
    expect(transactions.data[0]).toMatchObject({
      type: 'credit',
      credit: { type: 'credits_granted' },
      credit_grant: created.id,
    });
    const fetched = await h.stripe.billing.creditBalanceTransactions.retrieve(transactions.data[0]!.id);
    expect(fetched.id).toBe(transactions.data[0]!.id);
  });

  it('applies grants to metered lines only, in priority order, and records debits', async () => {
    const low = await grant(300, { priority: 80 });
    const high = await grant(200, { priority: 10, category: 'promotional' });
    const applied = apply([
      { price: meteredPrice.id, amount: 450, metered: true },
      { price: 'price_licensed', amount: 1000, metered: false },
    ]);
    expect(applied).toBe(450);
    const debits = (
      await h.stripe.billing.creditBalanceTransactions.list({ customer: customer.id })
    ).data.filter((transaction) => transaction.type === 'debit');
    expect(
      debits.map((debit) => [debit.credit_grant, debit.debit?.amount.monetary?.value]).reverse(),
    ).toEqual([
      [high.id, 200],
      [low.id, 250],
    ]);
    expect(debits[0]!.debit).toMatchObject({
      type: 'credits_applied',
      credits_applied: { invoice: 'in_test' },
    });
    expect((await summary()).balances[0]!.available_balance.monetary!.value).toBe(50);
    expect(apply([{ price: meteredPrice.id, amount: 100, metered: true }])).toBe(50);
  });

  it('ignores grants in another currency, not yet effective, or scoped to other prices', async () => {
    await grant(100, { amount: { type: 'monetary', monetary: { currency: 'eur', value: 100 } } });
    await grant(100, { effective_at: h.sim.clock.nowSeconds() + 3600 });
    await grant(100, { applicability_config: { scope: { prices: [{ id: meteredPrice.id }] } } });
    expect(apply([{ price: meteredPrice.id, amount: 1000, metered: true }])).toBe(100);
  });

  it('expires remaining credit at expires_at in virtual time, and on /expire', async () => {
    const timed = await grant(700, { expires_at: h.sim.clock.nowSeconds() + 3600 });
    h.sim.clock.advanceBy(3_600_000);
    const debits = (await h.stripe.billing.creditBalanceTransactions.list({ credit_grant: timed.id })).data;
    expect(debits[0]).toMatchObject({
      type: 'debit',
      debit: { type: 'credits_expired', amount: { monetary: { value: 700 } } },
    });
    expect((await summary()).balances[0]?.available_balance.monetary?.value ?? 0).toBe(0);
    const manual = await grant(400);
    const expired = await h.stripe.billing.creditGrants.expire(manual.id);
    expect(expired.expires_at).toBe(h.sim.clock.nowSeconds());
    const again = await h.stripe.billing.creditGrants.expire(manual.id).catch((caught: unknown) => caught);
    expect(again).toMatchObject({ statusCode: 400 });
  });

  it('voids a grant, writing off what is left, and emits billing.credit_grant.updated', async () => {
    const created = await grant(900);
    const voided = await h.stripe.billing.creditGrants.voidGrant(created.id);
    expect(voided.voided_at).toBe(h.sim.clock.nowSeconds());
    const balance = await h.stripe.billing.creditBalanceSummaries.retrieve({
      customer: customer.id,
      filter: { type: 'credit_grant', credit_grant: created.id },
    });
    expect(balance.balances[0]!.available_balance.monetary!.value).toBe(0);
    const events = (
      h.fake.runtime.store.values(platformScope, 'event') as unknown as ReadonlyArray<{
        type: string;
        data: { object: { id: string } };
      }>
    )
      .filter((event) => event.data.object.id === created.id)
      .map((event) => event.type);
    expect(events).toEqual(['billing.credit_grant.created', 'billing.credit_grant.updated']);
  });

  it('updates expires_at and metadata, and lists grants by customer', async () => {
    const created = await grant(100);
    const later = h.sim.clock.nowSeconds() + 86_400;
    const updated = await h.stripe.billing.creditGrants.update(created.id, {
      expires_at: later,
      metadata: { a: 'b' },
    });
    expect(updated).toMatchObject({ expires_at: later, metadata: { a: 'b' } });
    const listed = await h.stripe.billing.creditGrants.list({ customer: customer.id });
    expect(listed.data.map((item) => item.id)).toEqual([created.id]);
    expect((await h.stripe.billing.creditGrants.retrieve(created.id)).expires_at).toBe(later);
  });

  it('answers bad input with 400s naming the param, and creates nothing', async () => {
    const cases: Array<[Partial<Stripe.Billing.CreditGrantCreateParams>, string]> = [
      [{ amount: { type: 'monetary', monetary: { currency: 'usd', value: 0 } } }, 'amount[monetary][value]'],
      [{ applicability_config: { scope: {} } }, 'applicability_config'],
      [{ priority: 101 }, 'priority'],
      [{ customer: 'cus_missing' }, 'customer'],
      [
        { applicability_config: { scope: { prices: [{ id: 'price_nope' }] } } },
        'applicability_config[scope][prices][0][id]',
      ],
    ];
    for (const [extra, param] of cases) {
      const error = await grant(100, extra).catch((caught: unknown) => caught);
      expect(error, param).toMatchObject({ param });
      expect((error as { statusCode: number }).statusCode).toBeGreaterThanOrEqual(400);
    }
    expect((await h.stripe.billing.creditGrants.list({ customer: customer.id })).data).toEqual([]);
  });
});
