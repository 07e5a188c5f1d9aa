import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
let customers: Stripe.Customer[];
beforeAll(async () => {
  h = await startStripe(11);
  customers = [];
  const people = [
    { email: 'ada@rocketrides.io', name: 'Ada Lovelace', metadata: { tenant: 't1', plan: 'pro' } },
    { email: 'grace@rocketrides.io', name: 'Grace Hopper', metadata: { tenant: 't2' } },
    { email: 'Alan@Example.com', name: 'Alan Turing', metadata: { tenant: 't3', plan: 'free' } },
    { email: 'edsger@example.com', name: 'Edsger Dijkstra' },
  ];
  for (const person of people) {
    customers.push(await h.stripe.customers.create(person));
    h.sim.clock.advanceBy(60_000);
  }
});
afterAll(() => h.close());

const refused = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);
const emails = async (query: string, limit?: number) =>
  (
    await h.stripe.customers
      .search({ query, ...(limit === undefined ? {} : { limit }) })
      .autoPagingToArray({ limit: 50 })
  ).map((customer) => customer.email);

describe('search through the official SDK', () => {
  it('finds customers by exact field, substring, metadata, negation, OR and time, newest first', async () => {
    expect(await emails("email:'ada@rocketrides.io'")).toEqual(['ada@rocketrides.io']);
    // Exact matches ignore case.
    expect(await emails('email:"alan@example.com"')).toEqual(['Alan@Example.com']);
    expect(await emails('email~"rocketrides"')).toEqual(['grace@rocketrides.io', 'ada@rocketrides.io']);
    expect(await emails("metadata['tenant']:'t2'")).toEqual(['grace@rocketrides.io']);
    expect(await emails("-metadata['plan']:null")).toEqual(['Alan@Example.com', 'ada@rocketrides.io']);
    expect(await emails("name~'ing' OR name:'Ada Lovelace'")).toEqual([
      'Alan@Example.com',
      'ada@rocketrides.io',
    ]);
    expect(await emails(`email~"example" AND -metadata["plan"]:"free"`)).toEqual(['edsger@example.com']);
    const second = customers[1]!.created;
    expect(await emails(`created>${second}`)).toEqual(['edsger@example.com', 'Alan@Example.com']);
    expect(await emails(`created<=${second} email~"rocket"`)).toEqual([
      'grace@rocketrides.io',
      'ada@rocketrides.io',
    ]);
    await h.stripe.customers.del(customers[3]!.id);
    expect(await emails('email~"example"')).toEqual(['Alan@Example.com']);
  });

  it("pages with next_page in Stripe's search_result envelope", async () => {
    const first = await h.stripe.customers
      .search({ query: 'email~"r"', limit: 1 })
      .catch((error: unknown) => error);
    expect(first).toMatchObject({ statusCode: 400, param: 'query' });
    const page = await h.stripe.customers.search({ query: 'email~"rocket" OR email~"example"', limit: 2 });
    expect(page).toMatchObject({ object: 'search_result', has_more: true, url: '/v1/customers/search' });
    expect(page.data.map((customer) => customer.email)).toEqual(['Alan@Example.com', 'grace@rocketrides.io']);
    const rest = await h.stripe.customers.search({
      query: 'email~"rocket" OR email~"example"',
      limit: 2,
      page: page.next_page!,
    });
    expect(rest).toMatchObject({ has_more: false, next_page: null });
    expect(rest.data.map((customer) => customer.email)).toEqual(['ada@rocketrides.io']);
  });

  it('finds payments, subscriptions and catalog objects by their own fields', async () => {
    const ada = customers[0]!.id;
    for (const [amount, card] of [
      [1_500, 'pm_card_visa'],
      [9_900, 'pm_card_mastercard'],
    ] as const) {
      await h.stripe.paymentIntents.create({
        amount,
        currency: 'eur',
        customer: ada,
        payment_method: card,
        confirm: true,
        metadata: { order: `o-${amount}` },
      });
    }
    const charges = await h.stripe.charges.search({ query: `amount>2000 AND customer:"${ada}"` });
    expect(charges.data.map((charge) => charge.amount)).toEqual([9_900]);
    const visa = await h.stripe.charges.search({
      query: 'payment_method_details.card.last4:4242 status:"succeeded"',
    });
    expect(visa.data.map((charge) => charge.metadata)).toEqual([{ order: 'o-1500' }]);
    const intents = await h.stripe.paymentIntents.search({
      query: "metadata['order']:'o-9900' currency:'EUR'",
    });
    expect(intents.data.map((intent) => intent.amount)).toEqual([9_900]);
    const product = await h.stripe.products.create({ name: 'Token bundle' });
    const price = await h.stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 500,
      lookup_key: 'tokens-monthly',
      recurring: { interval: 'month' },
    });
    expect((await h.stripe.products.search({ query: 'name~"bundle" active:"true"' })).data).toHaveLength(1);
    expect((await h.stripe.prices.search({ query: 'lookup_key:"tokens-monthly"' })).data[0]!.id).toBe(
      price.id,
    );
    const card = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: ada });
    const subscription = await h.stripe.subscriptions.create({
      customer: ada,
      items: [{ price: price.id }],
      default_payment_method: card.id,
      metadata: { tenant: 't1' },
    });
    expect(subscription.status).toBe('active');
    const live = await h.stripe.subscriptions.search({
      query: "status:'active' AND metadata['tenant']:'t1'",
    });
    expect(live.data).toHaveLength(1);
    const invoices = await h.stripe.invoices.search({ query: `total>=500 customer:"${ada}"` });
    expect(invoices.data.map((invoice) => invoice.total)).toEqual([500]);
  });

  it("refuses a query Stripe would, naming it, with Stripe's 400", async () => {
    expect(await refused(h.stripe.customers.search({ query: 'nickname:"ada"' }))).toMatchObject({
      statusCode: 400,
      param: 'query',
      message: expect.stringContaining(
        'Field `nickname` is an unsupported search field for resource `customers`',
      ),
    });
    for (const query of ['email:"a" OR name:"b" AND phone:"c"', 'email>3', 'amount:', 'email:"open', ''])
      expect(await refused(h.stripe.customers.search({ query }))).toMatchObject({ statusCode: 400 });
    expect(await refused(h.stripe.charges.search({ query: 'amount>lots' }))).toMatchObject({
      statusCode: 400,
    });
    expect(
      await refused(h.stripe.customers.search({ query: 'email~"rocket"', page: 'nonsense' })),
    ).toMatchObject({
      statusCode: 400,
      param: 'page',
    });
    expect(await refused(h.stripe.customers.search({} as never))).toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'query',
    });
  });
});
