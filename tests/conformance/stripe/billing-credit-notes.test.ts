import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { storedEvents } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

async function openInvoice(amount: number, paymentMethod?: string) {
  const customer = await h.stripe.customers.create(
    paymentMethod === undefined
      ? {}
      : { payment_method: paymentMethod, invoice_settings: { default_payment_method: paymentMethod } },
  );
  await h.stripe.invoiceItems.create({
    customer: customer.id,
    amount,
    currency: 'usd',
    description: 'usage',
  });
  const draft = await h.stripe.invoices.create({
    customer: customer.id,
    pending_invoice_items_behavior: 'include',
  });
  return { customer, invoice: await h.stripe.invoices.finalizeInvoice(draft.id) };
}

const refused = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

describe('credit notes through the official SDK', () => {
  it('on an open invoice, a credit note lowers what is due; voiding it restores the amount', async () => {
    const { invoice } = await openInvoice(2000);
    const note = await h.stripe.creditNotes.create({
      invoice: invoice.id,
      lines: [{ type: 'custom_line_item', unit_amount: 1000, quantity: 1, description: 'goodwill' }],
    });
    expectStripeShape('credit_note', note);
    // A custom line names no invoice line: the key is only on lines that credit one.
    expectStripeShape('credit_note_line_item', note.lines.data[0], [], ['invoice_line_item']);
    expect(note).toMatchObject({
      amount: 1000,
      pre_payment_amount: 1000,
      post_payment_amount: 0,
      type: 'pre_payment',
    });
    expect(note.number).toBe(`${invoice.number}-CN-01`);
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'open',
      amount_due: 1000,
      amount_remaining: 1000,
      pre_payment_credit_notes_amount: 1000,
    });
    const voided = await h.stripe.creditNotes.voidCreditNote(note.id);
    expect(voided).toMatchObject({ status: 'void' });
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      amount_due: 2000,
      pre_payment_credit_notes_amount: 0,
    });
    const types = storedEvents(h).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['credit_note.created', 'credit_note.voided']));
  });

  it('crediting all that is left settles an open invoice without a charge', async () => {
    const { invoice } = await openInvoice(700);
    await h.stripe.creditNotes.create({ invoice: invoice.id, amount: 700 });
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      amount_remaining: 0,
      amount_paid: 0,
    });
  });

  it('on a paid invoice, the credit is refunded and credited to the balance as the caller splits it', async () => {
    const { customer, invoice } = await openInvoice(3000, 'pm_card_visa');
    const paid = await h.stripe.invoices.pay(invoice.id);
    expect(paid.status).toBe('paid');
    const line = paid.lines.data[0]!;
    expect(
      await refused(
        h.stripe.creditNotes.create({
          invoice: invoice.id,
          lines: [{ type: 'invoice_line_item', invoice_line_item: line.id, amount: 1500 }],
        }),
      ),
    ).toMatchObject({ statusCode: 400 });
    const note = await h.stripe.creditNotes.create({
      invoice: invoice.id,
      lines: [{ type: 'invoice_line_item', invoice_line_item: line.id, amount: 1500 }],
      refund_amount: 1000,
      credit_amount: 500,
      reason: 'order_change',
    });
    expect(note).toMatchObject({ type: 'post_payment', post_payment_amount: 1500, pre_payment_amount: 0 });
    expect(note.refunds).toHaveLength(1);
    expectStripeShape('credit_note_line_item', note.lines.data[0]);
    const refund = await h.stripe.refunds.retrieve(note.refunds[0]!.refund as string);
    expect(refund).toMatchObject({ amount: 1000, status: 'succeeded' });
    const charge = await h.stripe.charges.retrieve(refund.charge as string);
    expect(charge.amount_refunded).toBe(1000);
    expect(((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(-500);
    const [transaction] = (await h.stripe.customers.listBalanceTransactions(customer.id)).data;
    expect(transaction).toMatchObject({ amount: -500, type: 'credit_note', credit_note: note.id });
    expect(await h.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      post_payment_credit_notes_amount: 1500,
    });
    expect(await refused(h.stripe.creditNotes.voidCreditNote(note.id))).toMatchObject({ statusCode: 400 });
  });

  it('previews a credit note without issuing it, and refuses more than the invoice total', async () => {
    const { invoice } = await openInvoice(1000);
    const preview = await h.stripe.creditNotes.preview({ invoice: invoice.id, amount: 400 });
    expect(preview).toMatchObject({ amount: 400, pre_payment_amount: 400 });
    expect((await h.stripe.creditNotes.list({ invoice: invoice.id })).data).toHaveLength(0);
    expect(await refused(h.stripe.creditNotes.create({ invoice: invoice.id, amount: 1001 }))).toMatchObject({
      statusCode: 400,
      param: 'amount',
    });
  });
});
