import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { runStripeFixtures, type StripeFixtureFile } from '../../src/fakes/stripe/cli-fixtures.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';

// Written for this test in the Stripe CLI's fixture format: a renewal whose payment fails.
const paymentFailure: StripeFixtureFile = {
  _meta: { template_version: 0 },
  fixtures: [
    {
      name: 'customer',
      path: '/v1/customers',
      method: 'post',
      params: { description: 'fixture ${generate-uuid}' },
    },
    {
      name: 'payment_method',
      path: '/v1/payment_methods/pm_card_chargeCustomerFail/attach',
      method: 'post',
      params: { customer: '${customer:id}' },
    },
    {
      name: 'invoiceitem',
      path: '/v1/invoiceitems',
      method: 'post',
      params: { customer: '${customer:id}', amount: 2000, currency: 'usd', description: 'usage' },
    },
    {
      name: 'invoice',
      path: '/v1/invoices',
      method: 'post',
      params: {
        customer: '${customer:id}',
        pending_invoice_items_behavior: 'include',
        default_payment_method: '${payment_method:id}',
      },
    },
    {
      name: 'invoice_pay',
      path: '/v1/invoices/${invoice:id}/pay',
      method: 'post',
      expected_error_type: 'card_error',
    },
    { name: 'invoice_read', path: '/v1/invoices/${invoice:id}', method: 'get' },
  ],
};

const run = (seed: number) => {
  const sim = createSimulation({ seed });
  const fake = createStripeFake(sim);
  const answers = runStripeFixtures(fake.core, paymentFailure, {
    apiKey: 'sk_test_cli',
    random: sim.stream('fixtures'),
  });
  return { sim, fake, answers };
};

describe('Stripe CLI fixtures', () => {
  it('runs the steps in order, resolving ${name:field} references, and expects the declared error', () => {
    const { answers, fake } = run(1);
    const invoice = answers.invoice_read as Stripe.Invoice;
    expect(invoice.customer).toBe((answers.customer as Stripe.Customer).id);
    expect(invoice.status).toBe('open');
    expect(invoice.amount_due).toBe(2000);
    const events = fake.runtime.store.values('platform', 'event') as unknown as Stripe.Event[];
    expect(events.map((event) => event.type)).toContain('invoice.payment_failed');
  });

  it('draws ${generate-uuid} from the seed: the same seed gives the same run', () => {
    const first = run(5);
    const second = run(5);
    expect((first.answers.customer as Stripe.Customer).description).toBe(
      (second.answers.customer as Stripe.Customer).description,
    );
    expect((first.answers.customer as Stripe.Customer).description).toMatch(
      /^fixture [0-9a-f]{8}-[0-9a-f]{4}-4/,
    );
    expect(first.sim.journal.hash()).toBe(second.sim.journal.hash());
  });

  it('tolerates an expected error type without requiring it, as the CLI does', () => {
    const sim = createSimulation({ seed: 2 });
    const meter = {
      name: 'meter',
      path: '/v1/billing/meters',
      method: 'post',
      params: { display_name: 'calls', event_name: 'api_calls', default_aggregation: { formula: 'sum' } },
      expected_error_type: 'invalid_request_error',
    };
    // The first creation succeeds, the second is refused as a duplicate: both are fine.
    const answers = runStripeFixtures(
      createStripeFake(sim).core,
      { fixtures: [meter, { ...meter, name: 'again' }] },
      { apiKey: 'sk_test_cli', random: sim.stream('f') },
    );
    expect((answers.meter as Stripe.Billing.Meter).event_name).toBe('api_calls');
    expect((answers.again as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('sends /v2/ steps as JSON and resolves references in headers (a meter event session token)', () => {
    const sim = createSimulation({ seed: 3 });
    const fake = createStripeFake(sim);
    const answers = runStripeFixtures(
      fake.core,
      {
        fixtures: [
          { name: 'session', path: '/v2/billing/meter_event_session', method: 'post', params: {} },
          {
            name: 'stream',
            path: '/v2/billing/meter_event_stream',
            method: 'post',
            api_base: 'https://meter-events.stripe.com',
            headers: { Authorization: 'Bearer ${session:authentication_token}' },
            params: {
              events: [{ event_name: 'api_calls', payload: { value: '1', stripe_customer_id: 'cus_x' } }],
            },
          },
        ],
      },
      { apiKey: 'sk_test_cli', random: sim.stream('f') },
    );
    expect(answers.stream).toEqual({});
    const bodies = sim.journal
      .records()
      .filter((record) => record.kind === 'request')
      .map((record) => (record.data as { body: string }).body);
    expect(bodies.every((body) => body.startsWith('{'))).toBe(true);
  });

  it('stops at a step that fails unexpectedly, naming it', () => {
    const sim = createSimulation({ seed: 1 });
    const broken: StripeFixtureFile = {
      fixtures: [{ name: 'ghost', path: '/v1/customers/cus_nope', method: 'get' }],
    };
    expect(() =>
      runStripeFixtures(createStripeFake(sim).core, broken, {
        apiKey: 'sk_test_cli',
        random: sim.stream('f'),
      }),
    ).toThrow(/fixture 'ghost' failed: 404/);
  });
});
