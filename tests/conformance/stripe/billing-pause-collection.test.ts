import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import {
  advanceClock,
  customerOnClock,
  daySeconds,
  monthlyPrice,
  startSeconds,
  storedEvents,
} from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe(31)));
afterAll(() => h.close());

const feb1 = Math.floor(Date.UTC(2026, 1, 1) / 1000);

/** A customer with a card on a test clock, subscribed on 1 January to 10.00 a month. */
async function subscribed() {
  const { clock, customer } = await customerOnClock(h);
  const { price } = await monthlyPrice(h, { unitAmount: 1_000 });
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: price.id }],
  });
  return { clock, customer, subscription };
}

async function renewalAfterPausing(behavior: Stripe.SubscriptionUpdateParams.PauseCollection.Behavior) {
  const { clock, customer, subscription } = await subscribed();
  const paused = await h.stripe.subscriptions.update(subscription.id, { pause_collection: { behavior } });
  expect(paused).toMatchObject({ status: 'active', pause_collection: { behavior, resumes_at: null } });
  await advanceClock(h, clock.id, feb1 + 2 * 3_600);
  const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
  expect(renewal.billing_reason).toBe('subscription_cycle');
  const charges = await h.stripe.charges.list({ customer: customer.id });
  return { renewal, charges: charges.data.length, subscription: paused };
}

describe('pause_collection', () => {
  it('keep_as_draft: the renewal stays a draft that does not finalize by itself, and nothing is charged', async () => {
    const marker = storedEvents(h).length;
    const { renewal, charges, subscription } = await renewalAfterPausing('keep_as_draft');
    expect(renewal).toMatchObject({ status: 'draft', auto_advance: false, automatically_finalizes_at: null });
    expect(charges).toBe(1);
    const updated = storedEvents(h)
      .slice(marker)
      .find(
        (event) =>
          event.type === 'customer.subscription.updated' &&
          'pause_collection' in (event.data.previous_attributes ?? {}),
      );
    expect(updated?.data.previous_attributes).toEqual({ pause_collection: null });
    expect(updated?.data.object).toMatchObject({ pause_collection: { behavior: 'keep_as_draft' } });
    const resumed = await h.stripe.subscriptions.update(subscription.id, { pause_collection: '' });
    expect(resumed.pause_collection).toBeNull();
  });

  it('void: the renewal is voided at once; mark_uncollectible: marked uncollectible', async () => {
    const voided = await renewalAfterPausing('void');
    expect(voided.renewal).toMatchObject({ status: 'void', total: 1_000 });
    expect(voided.charges).toBe(1);
    const written = await renewalAfterPausing('mark_uncollectible');
    expect(written.renewal).toMatchObject({ status: 'uncollectible', amount_remaining: 1_000 });
    expect(written.charges).toBe(1);
  });

  it('resumes by itself at resumes_at, and the next renewal is charged again', async () => {
    const { clock, customer, subscription } = await subscribed();
    const resumesAt = startSeconds + 15 * daySeconds;
    await h.stripe.subscriptions.update(subscription.id, {
      pause_collection: { behavior: 'void', resumes_at: resumesAt },
    });
    await advanceClock(h, clock.id, resumesAt + daySeconds);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).pause_collection).toBeNull();
    await advanceClock(h, clock.id, feb1 + 2 * 3_600);
    const renewal = (await h.stripe.invoices.list({ customer: customer.id, limit: 1 })).data[0]!;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid' });
    const late = await h.stripe.subscriptions
      .update(subscription.id, { pause_collection: { behavior: 'void', resumes_at: startSeconds } })
      .catch((error: unknown) => error);
    expect(late).toMatchObject({ statusCode: 400, param: 'pause_collection[resumes_at]' });
  });
});
