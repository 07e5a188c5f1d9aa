import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
let customer: Stripe.Customer;
let intent: Stripe.PaymentIntent;
beforeAll(async () => {
  h = await startStripe();
  customer = await h.stripe.customers.create({ email: 'wire@example.com' });
  intent = await h.stripe.paymentIntents.create({
    amount: 1200,
    currency: 'usd',
    customer: customer.id,
    payment_method: 'pm_card_visa',
    confirm: true,
    off_session: true,
  });
});
afterAll(() => h.close());

const form = (path: string, body: string, method = 'POST') =>
  h.fetch(path, {
    method,
    headers: { authorization: 'Bearer sk_test_wire', 'content-type': 'application/x-www-form-urlencoded' },
    ...(method === 'GET' ? {} : { body }),
  });

describe('wire format', () => {
  it('expands nested ids, on objects and on list items', async () => {
    const expanded = await h.stripe.paymentIntents.retrieve(intent.id, {
      expand: ['customer', 'latest_charge.balance_transaction'],
    });
    expect((expanded.customer as Stripe.Customer).email).toBe('wire@example.com');
    const charge = expanded.latest_charge as Stripe.Charge;
    expect((charge.balance_transaction as Stripe.BalanceTransaction).amount).toBe(1200);
    const page = await h.stripe.paymentIntents.list({ limit: 1, expand: ['data.customer'] });
    expect((page.data[0]!.customer as Stripe.Customer).id).toBe(customer.id);
  });

  it('refuses expansions deeper than four levels, naming expand', async () => {
    const error = await h.stripe.paymentIntents
      .retrieve(intent.id, { expand: ['latest_charge.balance_transaction.source.customer.invoice_settings'] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, param: 'expand' });
  });

  it('reads both a[]= and a[0]= array encodings', async () => {
    const indexed = await form(
      `/v1/customers/${customer.id}`,
      'expand[0]=test_clock&preferred_locales[0]=en&preferred_locales[1]=fr',
    );
    expect(((await indexed.json()) as { preferred_locales: string[] }).preferred_locales).toEqual([
      'en',
      'fr',
    ]);
    const bracketed = await form(
      `/v1/customers/${customer.id}`,
      'preferred_locales[]=de&preferred_locales[]=it',
    );
    expect(((await bracketed.json()) as { preferred_locales: string[] }).preferred_locales).toEqual([
      'de',
      'it',
    ]);
  });

  it('unsets with "" and merges metadata key by key', async () => {
    await form(`/v1/customers/${customer.id}`, 'description=hello&metadata[a]=1&metadata[b]=2');
    const response = await form(`/v1/customers/${customer.id}`, 'description=&metadata[a]=');
    expect(await response.json()).toMatchObject({ description: null, metadata: { b: '2' } });
  });

  it('puts a unique Request-Id on every response, errors included', async () => {
    const ids = new Set<string>();
    for (const path of ['/v1/customers', '/v1/customers/cus_nope', '/v1/nowhere']) {
      const response = await form(path, '', 'GET');
      ids.add(String(response.headers.get('request-id')));
    }
    expect(ids.size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^req_[0-9A-Za-z]{14}$/);
  });

  it("renders the balance, deleted objects and transfers in Stripe's shape", async () => {
    expectStripeShape('balance', await h.stripe.balance.retrieve());
    const product = await h.stripe.products.create({ name: 'Temporary' });
    expectStripeShape('deleted_product', await h.stripe.products.del(product.id));
    const endpoint = await h.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/x',
      enabled_events: ['*'],
    });
    expectStripeShape('deleted_webhook_endpoint', await h.stripe.webhookEndpoints.del(endpoint.id));
    const account = await h.stripe.accounts.create({ type: 'express' });
    const destination = await h.stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      off_session: true,
      transfer_data: { destination: account.id },
      application_fee_amount: 500,
      expand: ['latest_charge.transfer'],
    });
    const transfer = (destination.latest_charge as Stripe.Charge).transfer as Stripe.Transfer;
    expectStripeShape('transfer', transfer);
    expect(transfer).toMatchObject({ amount: 5000, destination: account.id });
  });

  it("renders events and webhook endpoints in Stripe's shape", async () => {
    const endpoint = await h.stripe.webhookEndpoints.retrieve(
      (await h.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] })).id,
    );
    expectStripeShape('webhook_endpoint', endpoint);
    const event = (await h.stripe.events.list({ limit: 1 })).data[0]!;
    expectStripeShape('event', event);
  });
});
