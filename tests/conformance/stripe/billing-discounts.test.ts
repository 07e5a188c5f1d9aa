import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { monthlyPrice, storedEvents } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

async function draftWithItem(customer: string, amount: number, extra: Stripe.InvoiceCreateParams = {}) {
  await h.stripe.invoiceItems.create({ customer, amount, currency: 'usd', description: 'usage' });
  return h.stripe.invoices.create({ customer, pending_invoice_items_behavior: 'include', ...extra });
}

describe('coupons, promotion codes and discounts through the official SDK', () => {
  it("a customer's once coupon takes 20% off its next invoice, then ends (customer.discount.deleted)", async () => {
    const coupon = await h.stripe.coupons.create({ percent_off: 20, duration: 'once' });
    expectStripeShape('coupon', coupon);
    // `coupon` on customers is the pre-clover param the Stripe CLI still sends.
    const customer = await h.stripe.customers.create({ coupon: coupon.id } as Stripe.CustomerCreateParams);
    expectStripeShape('discount', customer.discount);
    const draft = await draftWithItem(customer.id, 2000);
    expect(draft).toMatchObject({ subtotal: 2000, total: 1600, amount_due: 1600 });
    expect(draft.total_discount_amounts).toEqual([{ amount: 400, discount: customer.discount!.id }]);
    expect(draft.lines.data[0]!.discount_amounts).toEqual([{ amount: 400, discount: customer.discount!.id }]);
    const finalized = await h.stripe.invoices.finalizeInvoice(draft.id);
    expect(finalized.amount_due).toBe(1600);
    expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      discount: null,
    });
    expect(storedEvents(h).map((event) => event.type)).toContain('customer.discount.deleted');
    const next = await draftWithItem(customer.id, 1000);
    expect(next.total).toBe(1000);
    expect((await h.stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
  });

  it('a repeating amount_off coupon on a subscription discounts each invoice while it lasts', async () => {
    const { price } = await monthlyPrice(h, { unitAmount: 1500 });
    const coupon = await h.stripe.coupons.create({
      amount_off: 500,
      currency: 'usd',
      duration: 'repeating',
      duration_in_months: 2,
    });
    const customer = await h.stripe.customers.create({ payment_method: 'pm_card_visa' });
    await h.stripe.customers.update(customer.id, {
      invoice_settings: {
        default_payment_method: (await h.stripe.paymentMethods.list({ customer: customer.id })).data[0]!.id,
      },
    });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      discounts: [{ coupon: coupon.id }],
    });
    const discount = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(discount.discounts).toHaveLength(1);
    const invoice = await h.stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(invoice).toMatchObject({ status: 'paid', subtotal: 1500, total: 1000, amount_paid: 1000 });
    expect(invoice.total_discount_amounts![0]!.amount).toBe(500);
  });

  it('a promotion code redeems its coupon on an invoice, and a used-up code goes inactive', async () => {
    const coupon = await h.stripe.coupons.create({ percent_off: 50 });
    const code = await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'HALFOFF',
      max_redemptions: 1,
    });
    expectStripeShape('promotion_code', code);
    const customer = await h.stripe.customers.create({});
    const draft = await draftWithItem(customer.id, 3000, { discounts: [{ promotion_code: code.id }] });
    expect(draft.total).toBe(1500);
    expect(await h.stripe.promotionCodes.retrieve(code.id)).toMatchObject({
      times_redeemed: 1,
      active: false,
    });
    const refused = await draftWithItem(customer.id, 100, { discounts: [{ promotion_code: code.id }] }).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ statusCode: 400, param: 'discounts[0][promotion_code]' });
  });

  it('an exclusive tax rate adds tax on top of the discounted amount; an inclusive one is carved out', async () => {
    const exclusive = await h.stripe.taxRates.create({
      display_name: 'VAT',
      inclusive: false,
      percentage: 10,
    });
    const inclusive = await h.stripe.taxRates.create({
      display_name: 'GST',
      inclusive: true,
      percentage: 25,
    });
    expectStripeShape('tax_rate', exclusive);
    const coupon = await h.stripe.coupons.create({ amount_off: 1000, currency: 'usd' });
    const customer = await h.stripe.customers.create({});
    const taxed = await draftWithItem(customer.id, 5000, {
      default_tax_rates: [exclusive.id],
      discounts: [{ coupon: coupon.id }],
    });
    expect(taxed).toMatchObject({ subtotal: 5000, total: 4400, total_excluding_tax: 4000 });
    expect(taxed.total_taxes).toEqual([
      expect.objectContaining({ amount: 400, tax_behavior: 'exclusive', taxable_amount: 4000 }),
    ]);
    const included = await draftWithItem(customer.id, 5000, { default_tax_rates: [inclusive.id] });
    expect(included).toMatchObject({ subtotal: 5000, total: 5000, total_excluding_tax: 4000 });
  });

  it('deleting a coupon stops new redemptions but keeps existing discounts applying', async () => {
    const coupon = await h.stripe.coupons.create({ percent_off: 10, duration: 'forever' });
    const customer = await h.stripe.customers.create({ coupon: coupon.id } as Stripe.CustomerCreateParams);
    expect(await h.stripe.coupons.del(coupon.id)).toMatchObject({ id: coupon.id, deleted: true });
    expect((await draftWithItem(customer.id, 1000)).total).toBe(900);
    const refused = await h.stripe.customers
      .create({ coupon: coupon.id } as Stripe.CustomerCreateParams)
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'coupon' });
  });
});
