import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStripe, type StripeHarness } from '../support/stripe-harness.ts';

let h: StripeHarness;
beforeEach(async () => (h = await startStripe()));
afterEach(() => h.close());

const intents = async () => (await h.stripe.paymentIntents.list({ limit: 100 })).data;
const charge = (key: string) =>
  h.stripe.paymentIntents.create(
    {
      amount: 3000,
      currency: 'usd',
      customer: customerId,
      payment_method: 'pm_card_visa',
      confirm: true,
      off_session: true,
    },
    { idempotencyKey: key },
  );
let customerId: string;

describe('the lost response on POST /v1/payment_intents', () => {
  beforeEach(async () => {
    customerId = (await h.stripe.customers.create({ email: 'lost@example.com' })).id;
  });

  it('charges once while the client sees a network error; the same key replays; a new key charges again', async () => {
    h.fake.runtime.faults.load({
      api: [
        {
          name: 'lose-charge',
          phase: 'after',
          match: { method: 'POST', path: '/v1/payment_intents' },
          effect: { kind: 'reset' },
        },
      ],
    });
    const error = await charge('obligation-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    h.fake.runtime.faults.clear();

    const afterLoss = await intents();
    expect(afterLoss).toHaveLength(1);
    expect(afterLoss[0]).toMatchObject({ status: 'succeeded', amount: 3000 });

    const replayed = await charge('obligation-1');
    expect(replayed.id).toBe(afterLoss[0]!.id);
    expect(replayed.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(await intents()).toHaveLength(1);

    const second = await charge('obligation-1-new-key');
    expect(second.id).not.toBe(replayed.id);
    const succeeded = (await intents()).filter((intent) => intent.status === 'succeeded');
    expect(succeeded).toHaveLength(2);

    // The journal shows the fault firing and both charges being created.
    const records = h.sim.journal.records();
    expect(
      records.some(
        (record) => record.kind === 'fault' && (record.data as { rule?: string }).rule === 'lose-charge',
      ),
    ).toBe(true);
    const created = records.filter(
      (record) =>
        record.kind === 'event' && (record.data as { type: string }).type === 'payment_intent.succeeded',
    );
    expect(created).toHaveLength(2);
  });
});
