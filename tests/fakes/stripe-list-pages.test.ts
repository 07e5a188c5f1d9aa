import { describe, expect, it } from 'vitest';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';

type Page = { data: Array<{ id: string; email?: string }>; has_more: boolean };

/** A fresh fake Stripe and a call that expects a 200 from it. */
function fake() {
  const stripe = createStripeFake(createSimulation({ seed: 11 }));
  const headers = { authorization: 'Bearer sk_test_fakepsp' };
  const call = (method: string, path: string, rawBody = '', query = '') => {
    const { response } = stripe.core.handleNow({ method, path, query, headers, rawBody });
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as Page & { id: string };
  };
  return Object.assign(call, { stripe });
}

/** Every id of a list, page by page as the SDK's auto-pagination walks it. */
function walk(call: ReturnType<typeof fake>, path: string, filters: string, limit: number) {
  const ids: string[] = [];
  for (let cursor = ''; ;) {
    const page = call('GET', path, '', `limit=${limit}${filters}${cursor}`);
    ids.push(...page.data.map((each) => each.id));
    if (!page.has_more) return ids;
    cursor = `&starting_after=${page.data.at(-1)!.id}`;
  }
}

describe('Stripe list endpoints read by place', () => {
  it('page through customers newest first, without the deleted, forwards and back, with or without a filter', () => {
    const call = fake();
    const created = Array.from({ length: 23 }, (_, n) => {
      const email = n % 3 === 0 ? 'ops@example.com' : `user${n}@example.com`;
      return call('POST', '/v1/customers', `email=${encodeURIComponent(email)}`).id;
    });
    const deleted = [created[0]!, created[7]!, created[22]!];
    for (const id of deleted) call('DELETE', `/v1/customers/${id}`);
    const listed = [...created].reverse().filter((id) => !deleted.includes(id));
    for (const limit of [1, 4, 10, 100]) expect(walk(call, '/v1/customers', '', limit)).toEqual(listed);
    // Backwards from the oldest, a page at a time, gives the same list.
    const back: string[] = [];
    for (let before = listed.at(-1)!; ;) {
      const page = call('GET', '/v1/customers', '', `limit=4&ending_before=${before}`);
      back.unshift(...page.data.map((each) => each.id));
      if (!page.has_more) break;
      before = page.data[0]!.id;
    }
    expect([...back, listed.at(-1)!]).toEqual(listed);
    const ops = listed.filter((id) => created.indexOf(id) % 3 === 0);
    expect(walk(call, '/v1/customers', '&email=ops%40example.com', 2)).toEqual(ops);
    // A deleted customer is no cursor: Stripe's 400 naming the parameter, as for an unknown id.
    for (const cursor of [deleted[1]!, 'cus_missing']) {
      const { response } = call.stripe.core.handleNow({
        method: 'GET',
        path: '/v1/customers',
        query: `starting_after=${cursor}`,
        headers: { authorization: 'Bearer sk_test_fakepsp' },
        rawBody: '',
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({
        error: { code: 'resource_missing', param: 'starting_after' },
      });
    }
  });

  it('page through coupons (as of now, without the deleted) and webhook endpoints (the platform’s)', () => {
    const call = fake();
    const coupons = Array.from(
      { length: 7 },
      (_, n) => call('POST', '/v1/coupons', `percent_off=${n + 1}`).id,
    );
    call('DELETE', `/v1/coupons/${coupons[3]}`);
    const kept = [...coupons].reverse().filter((id) => id !== coupons[3]);
    expect(walk(call, '/v1/coupons', '', 2)).toEqual(kept);
    const endpoints = Array.from(
      { length: 4 },
      (_, n) =>
        call('POST', '/v1/webhook_endpoints', `url=https://example.com/hook${n}&enabled_events[]=*`).id,
    );
    expect(walk(call, '/v1/webhook_endpoints', '', 3)).toEqual([...endpoints].reverse());
  });

  it('page through payments, charges and refunds as the money moved', () => {
    const call = fake();
    const intents = Array.from({ length: 6 }, () =>
      call(
        'POST',
        '/v1/payment_intents',
        'amount=1200&currency=usd&confirm=true&payment_method=pm_card_visa',
      ),
    );
    const refunds = intents
      .filter((_, n) => n % 2 === 1)
      .map((intent) => call('POST', '/v1/refunds', `payment_intent=${intent.id}&amount=200`).id);
    expect(walk(call, '/v1/payment_intents', '', 4)).toEqual(intents.map((each) => each.id).reverse());
    expect(walk(call, '/v1/refunds', '', 2)).toEqual([...refunds].reverse());
    const charges = walk(call, '/v1/charges', '', 5);
    expect(charges).toHaveLength(6);
    expect(new Set(charges).size).toBe(6);
    const balance = walk(call, '/v1/balance_transactions', '', 3);
    expect(balance).toHaveLength(6 + refunds.length);
  });
});
