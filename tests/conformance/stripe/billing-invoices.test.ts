import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { storedEvents } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe(7)));
afterAll(() => h.close());

const refused = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

/** A customer with one pending item of `amount` and a draft invoice that swept it in. */
async function draftFor(
  amount: number,
  options: Partial<Stripe.InvoiceCreateParams> = {},
  paymentMethod = 'pm_card_visa',
) {
  const customer = await h.stripe.customers.create({
    invoice_settings: { default_payment_method: paymentMethod },
  });
  const item = await h.stripe.invoiceItems.create({
    customer: customer.id,
    amount,
    currency: 'usd',
    description: 'Setup',
  });
  const invoice = await h.stripe.invoices.create({
    customer: customer.id,
    pending_invoice_items_behavior: 'include',
    auto_advance: false,
    ...options,
  });
  return { customer, item, invoice };
}

describe('the invoice transition table', () => {
  it('draft → open → void, with invoice items swept in and the shapes Stripe renders', async () => {
    const { item, invoice } = await draftFor(1200);
    expect(invoice).toMatchObject({
      status: 'draft',
      total: 1200,
      amount_due: 1200,
      billing_reason: 'manual',
      number: null,
    });
    expectStripeShape('invoiceitem', item);
    expectStripeShape('line_item', invoice.lines.data[0]);
    expect((await h.stripe.invoiceItems.retrieve(item.id)).invoice).toBe(invoice.id);
    const updated = await h.stripe.invoices.update(invoice.id, {
      metadata: { order: '7' },
      description: 'July',
    });
    expect(updated).toMatchObject({ metadata: { order: '7' }, description: 'July' });
    const open = await h.stripe.invoices.finalizeInvoice(invoice.id);
    expect(open).toMatchObject({ status: 'open', amount_due: 1200, ending_balance: 0 });
    expect(open.number).toMatch(/^[A-Z0-9]+-0001$/);
    expect(await refused(h.stripe.invoices.sendInvoice(invoice.id))).toMatchObject({ statusCode: 400 });
    const voided = await h.stripe.invoices.voidInvoice(invoice.id);
    expect(voided.status).toBe('void');
    expect(await refused(h.stripe.invoices.pay(invoice.id))).toMatchObject({ statusCode: 400 });
    expect(await refused(h.stripe.invoices.markUncollectible(invoice.id))).toMatchObject({ statusCode: 400 });
    const types = storedEvents(h)
      .filter((event) => (event.data.object as { id: string }).id === invoice.id)
      .map((event) => event.type);
    expect(types).toEqual(['invoice.created', 'invoice.updated', 'invoice.finalized', 'invoice.voided']);
  });

  it('open → uncollectible → paid, and open → uncollectible → void', async () => {
    const first = (await draftFor(500)).invoice;
    await h.stripe.invoices.finalizeInvoice(first.id);
    expect((await h.stripe.invoices.markUncollectible(first.id)).status).toBe('uncollectible');
    const paid = await h.stripe.invoices.pay(first.id);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 500, amount_remaining: 0 });
    const [payment] = (await h.stripe.invoicePayments.list({ invoice: first.id })).data;
    expectStripeShape('invoice_payment', payment);
    expect(await refused(h.stripe.invoices.voidInvoice(first.id))).toMatchObject({ statusCode: 400 });
    const second = (await draftFor(500)).invoice;
    await h.stripe.invoices.finalizeInvoice(second.id);
    await h.stripe.invoices.markUncollectible(second.id);
    expect((await h.stripe.invoices.voidInvoice(second.id)).status).toBe('void');
  });

  it('refuses what only a draft may do on a finalized invoice, and what needs finalizing on a draft', async () => {
    const { invoice } = await draftFor(300);
    expect(await refused(h.stripe.invoices.voidInvoice(invoice.id))).toMatchObject({ statusCode: 400 });
    expect(await refused(h.stripe.invoices.markUncollectible(invoice.id))).toMatchObject({ statusCode: 400 });
    expect(await refused(h.stripe.invoices.sendInvoice(invoice.id))).toMatchObject({ statusCode: 400 });
    await h.stripe.invoices.finalizeInvoice(invoice.id);
    expect(await refused(h.stripe.invoices.finalizeInvoice(invoice.id))).toMatchObject({
      statusCode: 400,
      code: 'invoice_not_editable',
    });
    expect(await refused(h.stripe.invoices.del(invoice.id))).toMatchObject({
      statusCode: 400,
      code: 'invoice_not_editable',
    });
    expect(
      await refused(
        h.stripe.invoices.update(invoice.id, { collection_method: 'send_invoice', days_until_due: 3 }),
      ),
    ).toMatchObject({ statusCode: 400, code: 'invoice_not_editable' });
    expect((await h.stripe.invoices.retrieve(invoice.id)).status).toBe('open');
  });

  it('deletes a draft; its items return to pending', async () => {
    const { item, invoice } = await draftFor(800);
    expect(await h.stripe.invoices.del(invoice.id)).toMatchObject({ id: invoice.id, deleted: true });
    expect(await refused(h.stripe.invoices.retrieve(invoice.id))).toMatchObject({ statusCode: 404 });
    expect((await h.stripe.invoiceItems.retrieve(item.id)).invoice).toBeNull();
  });

  it('pay on a draft finalizes it; a decline answers 402 and records the failed attempt', async () => {
    const { invoice } = await draftFor(900, {}, 'pm_card_chargeCustomerFail');
    const error = await refused(h.stripe.invoices.pay(invoice.id));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'open',
      attempt_count: 1,
      attempted: true,
    });
    expect(
      storedEvents(h).some(
        (event) =>
          event.type === 'invoice.payment_failed' && (event.data.object as Stripe.Invoice).id === invoice.id,
      ),
    ).toBe(true);
  });

  it('send_invoice: sends an open invoice and takes an out-of-band payment', async () => {
    const { invoice } = await draftFor(2500, { collection_method: 'send_invoice', days_until_due: 30 });
    expect(invoice.due_date).toBe(invoice.created + 30 * 86_400);
    await h.stripe.invoices.finalizeInvoice(invoice.id);
    expect((await h.stripe.invoices.sendInvoice(invoice.id)).status).toBe('open');
    const paid = await h.stripe.invoices.pay(invoice.id, { paid_out_of_band: true });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 2500 });
    const types = storedEvents(h)
      .filter((event) => (event.data.object as { id: string }).id === invoice.id)
      .map((event) => event.type);
    expect(types).toEqual(['invoice.created', 'invoice.finalized', 'invoice.sent', 'invoice.paid']);
  });

  it('auto_advance finalizes a draft 1 h after creation and charges it', async () => {
    const { invoice } = await draftFor(700, { auto_advance: true });
    expect(invoice.automatically_finalizes_at).toBe(invoice.created + 3600);
    h.sim.clock.advanceBy(3_600_000);
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', amount_paid: 700 });
  });
});

describe('customer balance', () => {
  it('applies a credit at finalization: starting/ending balance, amount due, applied_to_invoice', async () => {
    const customer = await h.stripe.customers.create({
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const credit = await h.stripe.customers.createBalanceTransaction(customer.id, {
      amount: -500,
      currency: 'usd',
    });
    expect(credit).toMatchObject({ type: 'adjustment', amount: -500, ending_balance: -500 });
    expectStripeShape('customer_balance_transaction', credit);
    expect(((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(-500);
    await h.stripe.invoiceItems.create({ customer: customer.id, amount: 1200, currency: 'usd' });
    const invoice = await h.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    const open = await h.stripe.invoices.finalizeInvoice(invoice.id);
    expect(open).toMatchObject({
      total: 1200,
      starting_balance: -500,
      ending_balance: 0,
      amount_due: 700,
      amount_remaining: 700,
    });
    const applied = (await h.stripe.customers.listBalanceTransactions(customer.id)).data[0]!;
    expect(applied).toMatchObject({
      type: 'applied_to_invoice',
      amount: 500,
      ending_balance: 0,
      invoice: invoice.id,
    });
    expect(((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(0);
  });

  it('a credit larger than the total leaves nothing due (paid) and the rest on the balance', async () => {
    const customer = await h.stripe.customers.create({});
    await h.stripe.customers.createBalanceTransaction(customer.id, { amount: -2000, currency: 'usd' });
    await h.stripe.invoiceItems.create({ customer: customer.id, amount: 1200, currency: 'usd' });
    const invoice = await h.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    const done = await h.stripe.invoices.finalizeInvoice(invoice.id);
    expect(done).toMatchObject({
      status: 'paid',
      amount_due: 0,
      starting_balance: -2000,
      ending_balance: -800,
    });
    const updated = await h.stripe.customers.updateBalanceTransaction(
      customer.id,
      (await h.stripe.customers.listBalanceTransactions(customer.id)).data[1]!.id,
      { description: 'goodwill' },
    );
    expect(updated.description).toBe('goodwill');
  });

  it("refuses a zero amount or a currency unlike the customer's, changing nothing", async () => {
    const customer = await h.stripe.customers.create({});
    await h.stripe.customers.createBalanceTransaction(customer.id, { amount: 100, currency: 'usd' });
    expect(
      await refused(h.stripe.customers.createBalanceTransaction(customer.id, { amount: 0, currency: 'usd' })),
    ).toMatchObject({ statusCode: 400, param: 'amount' });
    expect(
      await refused(h.stripe.customers.createBalanceTransaction(customer.id, { amount: 5, currency: 'eur' })),
    ).toMatchObject({ statusCode: 400, param: 'currency' });
    expect(((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(100);
  });
});

describe('invoice items and bad input', () => {
  it('updates and deletes a pending item, lists by pending, and refuses bad params', async () => {
    const customer = await h.stripe.customers.create({});
    const item = await h.stripe.invoiceItems.create({ customer: customer.id, amount: 100, currency: 'usd' });
    expect((await h.stripe.invoiceItems.update(item.id, { amount: 150, metadata: { k: 'v' } })).amount).toBe(
      150,
    );
    expect(
      (await h.stripe.invoiceItems.list({ customer: customer.id, pending: true })).data.map((i) => i.id),
    ).toEqual([item.id]);
    expect(await h.stripe.invoiceItems.del(item.id)).toMatchObject({ id: item.id, deleted: true });
    expect(
      await refused(h.stripe.invoiceItems.create({ customer: customer.id, currency: 'usd' })),
    ).toMatchObject({ statusCode: 400, param: 'amount' });
    expect(await refused(h.stripe.invoices.create({} as Stripe.InvoiceCreateParams))).toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'customer',
    });
    expect(
      await refused(h.stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice' })),
    ).toMatchObject({ statusCode: 400, param: 'days_until_due' });
    expect(
      await refused(
        h.stripe.invoices.create({ customer: customer.id, auto_advance: 'maybe' as unknown as boolean }),
      ),
    ).toMatchObject({ statusCode: 400, param: 'auto_advance' });
    expect((await h.stripe.invoices.list({ customer: customer.id })).data).toHaveLength(0);
  });

  it('lists invoice lines in order and filters invoices by status', async () => {
    const customer = await h.stripe.customers.create({});
    for (const amount of [10, 20, 30])
      await h.stripe.invoiceItems.create({ customer: customer.id, amount, currency: 'usd' });
    const invoice = await h.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    const lines = await h.stripe.invoices.listLineItems(invoice.id, { limit: 2 });
    expect(lines.data.map((line) => line.amount)).toEqual([10, 20]);
    expect(lines.has_more).toBe(true);
    expect((await h.stripe.invoices.list({ customer: customer.id, status: 'draft' })).data).toHaveLength(1);
    expect((await h.stripe.invoices.list({ customer: customer.id, status: 'open' })).data).toHaveLength(0);
  });
});
