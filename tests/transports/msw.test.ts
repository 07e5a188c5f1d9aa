import { setupServer } from 'msw/node';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { fakepspHandlers } from '../../src/transports/msw.ts';

const sim = createSimulation({ seed: 3 });
const fake = createStripeFake(sim);
const server = setupServer(...fakepspHandlers({ stripe: fake.core }));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

describe('msw mode', () => {
  it('lets a plain new Stripe(key), with no host option, reach the fake', async () => {
    const stripe = new Stripe('sk_test_msw', { maxNetworkRetries: 0 });
    const customer = await stripe.customers.create({ email: 'msw@example.com' });
    expect(customer.id).toMatch(/^cus_/);
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);
    const stored = fake.runtime.store.values('platform', 'customer');
    expect(stored.map((object) => object.id)).toContain(customer.id);
  });

  it('keeps Stripe error shapes through interception', async () => {
    const stripe = new Stripe('sk_test_msw', { maxNetworkRetries: 0 });
    const error = await stripe.customers.retrieve('cus_nope').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('fails closed for a real PSP host without a fake', async () => {
    const response = await fetch('https://api.razorpay.com/v1/orders');
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'no fake is registered',
    );
  });
  // Without a length, msw's interceptors stream an answer chunked, at three times the CPU a call.
  it('sends each answer with its length in bytes, as Stripe does', async () => {
    const response = await fetch('https://api.stripe.com/v1/customers', {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_msw', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Zo%C3%AB',
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.toString('utf8')).toContain('"name": "Zoë"');
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.headers.get('transfer-encoding')).toBeNull();
  });
});
