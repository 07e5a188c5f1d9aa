import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

describe('customers through the official SDK', () => {
  it('creates, retrieves and updates a customer; metadata merges and "" deletes a key', async () => {
    const created = await h.stripe.customers.create({
      email: 'a@example.com',
      metadata: { plan: 'pro', team: 'x' },
    });
    expect(created.id).toMatch(/^cus_[0-9A-Za-z]{14}$/);
    expectStripeShape('customer', created);
    expect(created.lastResponse.requestId).toMatch(/^req_/);
    const updated = await h.stripe.customers.update(created.id, {
      metadata: { team: '', region: 'eu' },
      name: 'Ada',
    });
    expect(updated.metadata).toEqual({ plan: 'pro', region: 'eu' });
    expect(updated.name).toBe('Ada');
    const fetched = await h.stripe.customers.retrieve(created.id);
    expect(fetched).toMatchObject({ id: created.id, email: 'a@example.com', name: 'Ada' });
  });

  it('unsets a field sent as null (the SDK sends "")', async () => {
    const created = await h.stripe.customers.create({ email: 'b@example.com', description: 'temp' });
    const updated = await h.stripe.customers.update(created.id, { description: null as unknown as string });
    expect(updated.description).toBeNull();
  });

  it('answers an unknown customer with 404 resource_missing', async () => {
    const error = await h.stripe.customers.retrieve('cus_missing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      message: "No such customer: 'cus_missing'",
    });
  });

  it('answers an unknown parameter with 400 parameter_unknown naming it, and changes nothing', async () => {
    const before = (await h.stripe.customers.list({ limit: 100 })).data.length;
    const error = await h.stripe.customers
      .create({ email: 'c@example.com', favourite_colour: 'blue' } as Stripe.CustomerCreateParams)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      code: 'parameter_unknown',
      param: 'favourite_colour',
    });
    expect((await h.stripe.customers.list({ limit: 100 })).data.length).toBe(before);
  });

  it('lists newest first with has_more and cursors, and auto-paginates', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 5; index++)
      ids.push((await h.stripe.customers.create({ email: `p${index}@list.test` })).id);
    const page = await h.stripe.customers.list({ limit: 2 });
    expect(page).toMatchObject({ object: 'list', has_more: true, url: '/v1/customers' });
    expect(page.data.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    const next = await h.stripe.customers.list({ limit: 2, starting_after: ids[3]! });
    expect(next.data.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const back = await h.stripe.customers.list({ limit: 2, ending_before: ids[1]! });
    expect(back.data.map((c) => c.id)).toEqual([ids[3], ids[2]]);
    const all: string[] = [];
    for await (const customer of h.stripe.customers.list({ limit: 2 })) all.push(customer.id);
    expect(all.slice(0, 5)).toEqual([...ids].reverse());
    expect(new Set(all).size).toBe(all.length);
  });

  it('refuses a limit outside 1–100', async () => {
    const error = await h.stripe.customers.list({ limit: 101 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, param: 'limit' });
  });

  it('deletes a customer', async () => {
    const created = await h.stripe.customers.create({});
    const deleted = await h.stripe.customers.del(created.id);
    expect(deleted).toMatchObject({ id: created.id, deleted: true });
    expectStripeShape('deleted_customer', deleted);
  });
});

describe('authentication and routing', () => {
  it('refuses a live key with an authentication error', async () => {
    const error = await h
      .client({})
      .customers.list({}, { apiKey: 'sk_live_abcdef1234' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(401);
  });

  it('accepts restricted test keys', async () => {
    const page = await h.stripe.customers.list({ limit: 1 }, { apiKey: 'rk_test_restricted1' });
    expect(page.object).toBe('list');
  });

  it('answers an unknown route with a Stripe-shaped 404', async () => {
    const response = await h.fetch('/v1/nonsense', {
      headers: { authorization: 'Bearer sk_test_x' },
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('Unrecognized request URL (GET: /v1/nonsense)');
    expect(body.error.message).toContain(
      '(fakepsp: GET /v1/nonsense is not modelled by fakepsp, or is not a Stripe endpoint)',
    );
    expect(response.headers.get('request-id')).toMatch(/^req_/);
  });

  it('answers a missing key with 401 and a malformed body with 400, never a 500', async () => {
    const noKey = await h.fetch('/v1/customers');
    expect(noKey.status).toBe(401);
    const tooBig = await h.fetch('/v1/customers', {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_x', 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${'x'.repeat(2 * 1024 * 1024)}`,
    });
    expect(tooBig.status).toBe(400);
    expect(((await tooBig.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });
});

describe('payment methods given at customer creation', () => {
  it('attaches payment_method and points a default naming the same token at the attached clone', async () => {
    const customer = await h.stripe.customers.create({
      email: 'pm@example.com',
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const methods = await h.stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(methods.data).toHaveLength(1);
    expect(methods.data[0]!.id).not.toBe('pm_card_visa');
    expect(customer.invoice_settings.default_payment_method).toBe(methods.data[0]!.id);
  });

  it('refuses a declining card at creation and creates no customer', async () => {
    const before = (await h.stripe.customers.list({ limit: 100 })).data.length;
    const error = await h.stripe.customers
      .create({ payment_method: 'pm_card_visa_chargeDeclined' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 402 });
    expect((await h.stripe.customers.list({ limit: 100 })).data.length).toBe(before);
  });
});
