import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

describe('list pages through the official SDK', () => {
  it('auto-pages customers newest first, without the deleted, forwards and backwards', async () => {
    const created: string[] = [];
    for (let n = 0; n < 11; n++)
      created.push((await h.stripe.customers.create({ email: `c${n}@example.com` })).id);
    const deleted = [created[2]!, created[10]!];
    for (const id of deleted) await h.stripe.customers.del(id);
    const listed = [...created].reverse().filter((id) => !deleted.includes(id));
    const forwards = await h.stripe.customers.list({ limit: 3 }).autoPagingToArray({ limit: 100 });
    expect(forwards.map((customer) => customer.id)).toEqual(listed);
    // stripe-node pages backwards from an `ending_before` cursor, newest page last.
    const oldest = listed.at(-1)!;
    const backwards = await h.stripe.customers
      .list({ limit: 2, ending_before: oldest })
      .autoPagingToArray({ limit: 100 });
    expect(backwards.map((customer) => customer.id)).toEqual(listed.slice(0, -1).reverse());
  });

  it('auto-pages charges and balance transactions as the payments made them', async () => {
    const intents: string[] = [];
    for (let n = 0; n < 5; n++) {
      const intent = await h.stripe.paymentIntents.create({
        amount: 1000 + n,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
      });
      intents.push(intent.id);
    }
    const charges = await h.stripe.charges.list({ limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(charges.map((charge) => charge.payment_intent)).toEqual([...intents].reverse());
    const balance = await h.stripe.balanceTransactions.list({ limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(balance.map((transaction) => transaction.amount)).toEqual([1004, 1003, 1002, 1001, 1000]);
  });
});
