import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { interceptPsps } from '../../src/transports/nock.ts';

const sim = createSimulation({ seed: 4 });
const fake = createStripeFake(sim);
let stop: () => void;
beforeAll(() => (stop = interceptPsps({ stripe: fake.core })));
afterAll(() => stop());

describe('nock mode', () => {
  it('lets a plain new Stripe(key) reach the fake', async () => {
    const stripe = new Stripe('sk_test_nock', { maxNetworkRetries: 0 });
    const customer = await stripe.customers.create({ email: 'nock@example.com', metadata: { a: '1' } });
    expect(customer).toMatchObject({ email: 'nock@example.com', metadata: { a: '1' } });
    const page = await stripe.customers.list({ limit: 5 });
    expect(page.data.map((listed) => listed.id)).toContain(customer.id);
  });

  it('keeps Stripe error shapes', async () => {
    const stripe = new Stripe('sk_live_nope1234', { maxNetworkRetries: 0 });
    const error = await stripe.customers.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });
  // Without a length, msw's interceptors stream an answer chunked, at three times the CPU a call.
  it('sends each answer with its length in bytes, as Stripe does', async () => {
    const response = await fetch('https://api.stripe.com/v1/customers', {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_nock', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Zo%C3%AB',
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.toString('utf8')).toContain('"name": "Zoë"');
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.headers.get('transfer-encoding')).toBeNull();
  });
});
