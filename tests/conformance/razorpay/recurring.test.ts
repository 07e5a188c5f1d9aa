import Razorpay from 'razorpay';
import { describe, expect, it } from 'vitest';
import { razorpayTestCards } from '../../../src/fakes/razorpay/index.ts';
import {
  caught,
  razorpayAndReceiverEachTest,
  startRazorpayWebhookReceiver,
  type RazorpayHarness,
} from '../../support/razorpay-harness.ts';

let h: RazorpayHarness;
let receiver: Awaited<ReturnType<typeof startRazorpayWebhookReceiver>>;
razorpayAndReceiverEachTest((started) => ({ h, receiver } = started));

describe('customers', () => {
  it('creates, fetches and edits (PUT) a customer', async () => {
    const customer = await h.rzp.customers.create({
      name: 'Gaurav Kumar',
      email: 'gaurav@example.com',
      contact: '9000090000',
      notes: { fakepsp_customer_id: 'c_1' },
    });
    expect(customer).toMatchObject({
      entity: 'customer',
      name: 'Gaurav Kumar',
      email: 'gaurav@example.com',
      contact: '9000090000',
      gstin: null,
      notes: { fakepsp_customer_id: 'c_1' },
    });
    expect(customer.id).toMatch(/^cust_[A-Za-z0-9]{14}$/);
    expect(await h.rzp.customers.fetch(customer.id)).toEqual(customer);
    const edited = await h.rzp.customers.edit(customer.id, { name: 'Gaurav K' });
    expect(edited).toMatchObject({ id: customer.id, name: 'Gaurav K', email: 'gaurav@example.com' });
    expect((await h.rzp.customers.all()).items.map((item) => item.id)).toEqual([customer.id]);
  });

  it('fail_existing: "1" (the default) refuses a duplicate, "0" returns the existing customer', async () => {
    const first = await h.rzp.customers.create({ name: 'A', email: 'a@example.com' });
    const refused = await caught(h.rzp.customers.create({ name: 'A', email: 'a@example.com' }));
    expect(refused).toMatchObject({
      statusCode: 400,
      error: { code: 'BAD_REQUEST_ERROR', description: 'Customer already exists for the merchant' },
    });
    const found = await h.rzp.customers.create({ name: 'A', email: 'a@example.com', fail_existing: 0 });
    expect(found.id).toBe(first.id);
    const asString = await h.rzp.customers.create({ email: 'a@example.com', fail_existing: '0' } as never);
    expect(asString.id).toBe(first.id);
    const invalid = await caught(h.rzp.customers.create({ email: 'not-an-email' }));
    expect(invalid).toMatchObject({ statusCode: 400, error: { field: 'email' } });
    expect(h.dump().customers).toHaveLength(1);
  });
});

/** A customer with a confirmed card mandate, as the customer would leave Checkout. */
async function mandate(card: string = razorpayTestCards.visaSuccess) {
  const customer = await h.rzp.customers.create({ name: 'Mandate', email: `m${card}@example.com` });
  const result = h.fake.actions.authorize_mandate!({ customer_id: customer.id, card });
  expect(result.status).toBe(200);
  const { token_id } = result.body as { token_id: string };
  return { customer, token: token_id };
}

async function debit(customerId: string, token: string, amount = 29_900, notes = {}) {
  const order = await h.rzp.orders.create({ amount, currency: 'INR', notes });
  const response = await h.rzp.payments.createRecurringPayment({
    email: 'm@example.com',
    contact: '9000090000',
    amount,
    currency: 'INR',
    order_id: order.id,
    customer_id: customerId,
    token,
    recurring: 1,
    notes,
  } as never);
  return { order, response };
}

describe('card mandates and recurring debits', () => {
  it('authorize_mandate confirms a card token (token.confirmed), listed by fetchTokens', async () => {
    const { customer, token } = await mandate();
    const tokens = await h.rzp.customers.fetchTokens(customer.id);
    expect(tokens.items).toHaveLength(1);
    expect(tokens.items[0]).toMatchObject({
      id: token,
      entity: 'token',
      method: 'card',
      recurring: true,
      recurring_details: { status: 'confirmed', failure_reason: null },
      customer_id: customer.id,
      card: { last4: '1007', network: 'Visa' },
    });
    await h.fake.flushWebhooks();
    expect(receiver.events()).toEqual(['token.confirmed']);
    expect(receiver.received[0]!.event.payload.token.entity.customer_id).toBe(customer.id);
    expect(receiver.received.every((request) => request.verified)).toBe(true);
  });

  it('a debit answers only razorpay_payment_id; the outcome comes by webhook: captured and order.paid', async () => {
    const { customer, token } = await mandate();
    await h.fake.flushWebhooks();
    const { order, response } = await debit(customer.id, token, 29_900, { obligation_id: 'inv_1' });
    expect(Object.keys(response)).toEqual(['razorpay_payment_id']);
    const id = response.razorpay_payment_id!;
    expect(h.dump().payments.find((record) => record.payment.id === id)!.payment.status).toBe('created');
    await h.fake.flushWebhooks();
    expect(receiver.events()).toEqual([
      'token.confirmed',
      'payment.authorized',
      'payment.captured',
      'order.paid',
    ]);
    const paid = receiver.received.at(-1)!;
    expect(paid.verified).toBe(true);
    expect(
      Razorpay.validateWebhookSignature(paid.body, String(paid.headers['x-razorpay-signature']), 'nope'),
    ).toBe(false);
    expect(paid.event).toMatchObject({
      entity: 'event',
      event: 'order.paid',
      contains: ['payment', 'order'],
      payload: {
        payment: { entity: { id, status: 'captured', token_id: token, customer_id: customer.id } },
        order: { entity: { id: order.id, status: 'paid' } },
      },
    });
    expect(await h.rzp.payments.fetch(id)).toMatchObject({
      status: 'captured',
      notes: { obligation_id: 'inv_1' },
    });
  });

  it('a failure card registers fine, and its debits fail: payment.failed, the order stays attempted', async () => {
    const { customer, token } = await mandate(razorpayTestCards.insufficientFunds);
    const { order, response } = await debit(customer.id, token);
    await h.fake.flushWebhooks();
    expect(receiver.events()).toEqual(['token.confirmed', 'payment.failed']);
    expect(receiver.received[1]!.event.payload.payment.entity).toMatchObject({
      id: response.razorpay_payment_id,
      status: 'failed',
      error_reason: 'insufficient_funds',
    });
    expect(await h.rzp.orders.fetch(order.id)).toMatchObject({ status: 'attempted', attempts: 1 });
  });

  it('refuses an amount over the mandate max, a deleted token, a paid order', async () => {
    const { customer, token } = await mandate();
    const over = await caught(debit(customer.id, token, 1_500_001));
    expect(over).toEqual({
      statusCode: 400,
      error: {
        code: 'BAD_REQUEST_ERROR',
        description: 'Amount exceeds maximum amount allowed',
        field: 'amount',
        source: 'business',
        step: 'payment_initiation',
        reason: 'input_validation_failed',
        metadata: {},
      },
    });
    const { order } = await debit(customer.id, token, 1_000);
    await h.fake.flushWebhooks();
    const again = await caught(
      h.rzp.payments.createRecurringPayment({
        email: 'm@example.com',
        contact: '9000090000',
        amount: 1_000,
        currency: 'INR',
        order_id: order.id,
        customer_id: customer.id,
        token,
        recurring: true,
      } as never),
    );
    expect(again).toMatchObject({
      statusCode: 400,
      error: { description: 'Payment already done for this order.' },
    });
    expect(await h.rzp.customers.deleteToken(customer.id, token)).toEqual({ deleted: true });
    expect((await h.rzp.customers.fetchTokens(customer.id)).items).toEqual([]);
    const deleted = await caught(debit(customer.id, token, 1_000));
    expect(deleted).toMatchObject({ statusCode: 400, error: { step: 'payment_initiation' } });
    const missing = await caught(
      h.rzp.payments.createRecurringPayment({ amount: 100, currency: 'INR' } as never),
    );
    expect(missing).toMatchObject({
      statusCode: 400,
      error: { description: 'The email field is required.' },
    });
  });

  it('a registration order: the mandate payment is made on it and signed', async () => {
    const customer = await h.rzp.customers.create({ name: 'Reg', email: 'reg@example.com' });
    const order = await h.rzp.orders.create({
      amount: 100,
      currency: 'INR',
      customer_id: customer.id,
      method: 'card',
      token: { max_amount: 500_000, expire_at: 2_000_000_000, frequency: 'as_presented' },
    } as never);
    const result = h.fake.actions.authorize_mandate!({ customer_id: customer.id, order_id: order.id });
    const body = result.body as { token_id: string; razorpay_payment_id: string };
    expect(await h.rzp.payments.fetch(body.razorpay_payment_id)).toMatchObject({
      status: 'captured',
      token_id: body.token_id,
      customer_id: customer.id,
    });
    const token = await h.rzp.customers.fetchToken(customer.id, body.token_id);
    expect(token).toMatchObject({ max_amount: 500_000, expired_at: 2_000_000_000 });
  });
});
