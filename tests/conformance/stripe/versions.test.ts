import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsReshaping, renderForVersion } from '../../../src/fakes/stripe/versions.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

describe('Stripe-Version', () => {
  it('serves the pinned version by default and echoes the requested one', async () => {
    const pinned = await h.stripe.customers.create({});
    expect(pinned.lastResponse.headers['stripe-version']).toBe('2026-10-28.endive');
    const older = await h.client({ apiVersion: '2024-06-20' as '2026-10-28.endive' }).customers.create({});
    expect(older.lastResponse.headers['stripe-version']).toBe('2024-06-20');
    const request = h.sim.journal
      .records()
      .filter((record) => record.kind === 'request')
      .at(-1)!.data;
    expect(request.apiVersion).toBe('2024-06-20');
  });

  it('refuses a malformed version with a 400', async () => {
    const error = await h
      .client({ apiVersion: 'yesterday' as '2026-10-28.endive' })
      .customers.list()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, message: 'Invalid Stripe API version: yesterday' });
  });

  it('puts pre-basil fields back for older versions: invoice paid/payment_intent, subscription periods', () => {
    expect(needsReshaping('2024-06-20')).toBe(true);
    expect(needsReshaping('2025-03-31.basil')).toBe(false);
    const invoice = {
      object: 'invoice',
      status: 'paid',
      parent: { subscription_details: { subscription: 'sub_1' } },
      payments: { data: [{ status: 'paid', payment: { payment_intent: 'pi_1' } }] },
    };
    const subscription = {
      object: 'subscription',
      items: { data: [{ current_period_start: 10, current_period_end: 20 }] },
    };
    const list = { object: 'list', data: [invoice, subscription] };
    expect(renderForVersion(list, '2024-06-20')).toMatchObject({
      data: [
        { paid: true, payment_intent: 'pi_1', subscription: 'sub_1', charge: null },
        { current_period_start: 10, current_period_end: 20 },
      ],
    });
    expect(renderForVersion(list, '2026-10-28.endive')).toBe(list);
  });
});
