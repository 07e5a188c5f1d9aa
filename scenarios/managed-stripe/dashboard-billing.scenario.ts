import type Stripe from 'stripe';
import { defineScenario, type ScenarioContext } from 'fakepsp';
import { expectPaid } from './support.ts';

// What support does in Stripe's dashboard, outside the billing service, written as Stripe CLI
// fixture files: the service must book whatever Stripe then charges, refunds or credits.

/** The Stripe customer behind a subscriber, found through their first payment. */
function stripeCustomerOf(ctx: ScenarioContext, customerId: string): string {
  const charge = ctx.stripe.paidCharges(customerId)[0];
  if (charge === undefined) throw new Error(`${customerId} has paid nothing yet`);
  return charge.customer as string;
}

/** The customer's subscription at Stripe (the reference service makes one per customer). */
function subscriptionOf(ctx: ScenarioContext, stripeCustomer: string): Stripe.Subscription {
  const found = ctx.stripe
    .objects<Stripe.Subscription>('subscription')
    .find((s) => s.customer === stripeCustomer);
  if (found === undefined) throw new Error(`no subscription for ${stripeCustomer}`);
  return found;
}

export const couponOnRenewals = defineScenario({
  name: 'managed-stripe: a 20% coupon added in the dashboard takes 20% off each renewal the service books',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['discounts', 'dashboard'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 250));
    const stripeCustomer = stripeCustomerOf(ctx, customer.customerId);
    await ctx.step('support gives the customer a 20% coupon, forever', async () => {
      ctx.stripeFixture({
        fixtures: [
          { name: 'coupon', path: '/v1/coupons', params: { percent_off: 20, duration: 'forever' } },
          { name: 'customer', path: `/v1/customers/${stripeCustomer}`, params: { coupon: '${coupon:id}' } },
        ],
      });
    });
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    await ctx.step('a quiet period is collected', () => ctx.advance('30d'));
    // 10.00 base fee + 250 calls at 0.02, less 20%; then the base fee alone, less 20%.
    expectPaid(ctx, customer.customerId, [1000, 1200, 800]);
  },
});

export const creditNoteOnPaidRenewal = defineScenario({
  name: 'managed-stripe: a credit note on a paid renewal refunds part and credits the rest to the next invoice',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['credit-notes', 'refunds', 'dashboard'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 250));
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    const stripeCustomer = stripeCustomerOf(ctx, customer.customerId);
    const renewal = ctx.stripe
      .objects<Stripe.Invoice>('invoice')
      .find(
        (invoice) => invoice.customer === stripeCustomer && invoice.billing_reason === 'subscription_cycle',
      );
    if (renewal?.status !== 'paid') throw new Error('the renewal invoice is not paid');
    await ctx.step('support credits 6.00 of it: 4.00 back to the card, 2.00 to the balance', async () => {
      ctx.stripeFixture({
        fixtures: [
          {
            name: 'credit_note',
            path: '/v1/credit_notes',
            params: {
              invoice: renewal.id,
              amount: 600,
              refund_amount: 400,
              credit_amount: 200,
              reason: 'order_change',
            },
          },
        ],
      });
    });
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    await ctx.step('a quiet period is collected, less the credit', () => ctx.advance('30d'));
    expectPaid(ctx, customer.customerId, [1000, 1500, 800]);
  },
});

export const scheduledDowngrade = defineScenario({
  name: 'managed-stripe: a schedule made in the dashboard lowers the base fee from the next period on',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['schedules', 'dashboard'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 100));
    const subscription = subscriptionOf(ctx, stripeCustomerOf(ctx, customer.customerId));
    const base = subscription.items.data.find((item) => item.price.recurring?.usage_type !== 'metered')!;
    const metered = subscription.items.data.filter((item) => item.price.recurring?.usage_type === 'metered');
    const periodEnd = base.current_period_end;
    await ctx.step('support schedules a 6.00 base fee from the next period', async () => {
      ctx.stripeFixture({
        fixtures: [
          {
            name: 'price',
            path: '/v1/prices',
            params: {
              product: base.price.product as string,
              currency: base.price.currency,
              unit_amount: 600,
              recurring: { interval: 'month' },
            },
          },
          {
            name: 'schedule',
            path: '/v1/subscription_schedules',
            params: { from_subscription: subscription.id },
          },
          {
            name: 'phases',
            path: '/v1/subscription_schedules/${schedule:id}',
            params: {
              end_behavior: 'release',
              phases: [
                {
                  items: [{ price: base.price.id }, ...metered.map((item) => ({ price: item.price.id }))],
                  end_date: periodEnd,
                },
                {
                  items: [{ price: '${price:id}' }, ...metered.map((item) => ({ price: item.price.id }))],
                  duration: { interval: 'month' },
                },
              ],
            },
          },
        ],
      });
    });
    await ctx.step('the renewal is collected at the new fee', () => ctx.advance('32d'));
    await ctx.step('another period, after the schedule released the subscription', () => ctx.advance('30d'));
    // The renewal bills the next period at 6.00 plus 100 calls of usage in arrears (2.00).
    expectPaid(ctx, customer.customerId, [1000, 800, 600]);
  },
});
