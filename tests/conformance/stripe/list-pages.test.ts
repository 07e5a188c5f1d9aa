import type Stripe from 'stripe';
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

  it('keeps only what was created within `created`: one second, or a range, paged as any list', async () => {
    const s = await startStripe(7);
    try {
      // Five charges an hour apart, each with its events.
      const charges: Stripe.Charge[] = [];
      for (let n = 0; n < 5; n++) {
        if (n > 0) s.sim.clock.advanceBy(3_600_000);
        const intent = await s.stripe.paymentIntents.create({
          amount: 100 + n,
          currency: 'usd',
          payment_method: 'pm_card_visa',
          confirm: true,
          expand: ['latest_charge'],
        });
        charges.push(intent.latest_charge as Stripe.Charge);
      }
      const at = charges.map((charge) => charge.created);
      expect(new Set(at).size).toBe(5);
      const amounts = async (created: Stripe.RangeQueryParam | number, limit = 2) =>
        (await s.stripe.charges.list({ created, limit }).autoPagingToArray({ limit: 100 })).map(
          (charge) => charge.amount,
        );
      expect(await amounts({ gte: at[1]!, lt: at[4]! })).toEqual([103, 102, 101]);
      expect(await amounts({ gt: at[1]!, lte: at[4]! }, 1)).toEqual([104, 103, 102]);
      expect(await amounts(at[2]!)).toEqual([102]);
      expect(await amounts({ lt: at[0]! })).toEqual([]);
      const events = await s.stripe.events.list({ created: { gte: at[4]! }, types: ['charge.succeeded'] });
      expect(events.data.map((event) => (event.data.object as Stripe.Charge).id)).toEqual([charges[4]!.id]);
      // A page's cursor is one of the objects the range keeps.
      const page = await s.stripe.charges.list({ created: { lte: at[3]! }, starting_after: charges[3]!.id });
      expect(page.data.map((charge) => charge.amount)).toEqual([102, 101, 100]);
    } finally {
      await s.close();
    }
  });

  it("answers a bad `created` with Stripe's 400, naming the parameter", async () => {
    const refusal = async (query: string) => {
      const response = await h.fetch(`/v1/charges?${query}`, {
        headers: { authorization: 'Bearer sk_test_fakepsp' },
      });
      const { error } = (await response.json()) as { error: { param: string; message: string } };
      return [response.status, error.param, error.message];
    };
    expect(await refusal('created[gte]=soon')).toEqual([400, 'created[gte]', 'Invalid integer: soon']);
    expect(await refusal('created=yesterday')).toEqual([400, 'created', 'Invalid integer: yesterday']);
    expect(await refusal('created[after]=1')).toEqual([
      400,
      'created[after]',
      'Received unknown parameter: created[after]',
    ]);
  });
});
