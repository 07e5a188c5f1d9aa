import { validatePaymentVerification } from 'razorpay/dist/utils/razorpay-utils.js';
import { describe, expect, it } from 'vitest';
import {
  caught,
  razorpayAndReceiverEachTest,
  keySecret,
  startRazorpayWebhookReceiver,
  type RazorpayHarness,
} from '../../support/razorpay-harness.ts';

let h: RazorpayHarness;
let receiver: Awaited<ReturnType<typeof startRazorpayWebhookReceiver>>;
razorpayAndReceiverEachTest((started) => ({ h, receiver } = started));

const now = () => Math.floor(h.sim.clock.nowMs() / 1000);

describe('payment links through the official SDK', () => {
  it('a partial payment, then the rest: partially_paid, paid, each signed for the callback', async () => {
    const link = await h.rzp.paymentLink.create({
      amount: 50_000,
      currency: 'INR',
      accept_partial: true,
      first_min_partial_amount: 10_000,
      reference_id: 'inv-2026-001',
      description: 'Usage for January',
      customer: { name: 'Asha Rao', email: 'asha@example.com', contact: '+919876543210' },
      notify: { email: true },
      notes: { fakepsp_customer_id: 'c_1' },
    });
    expect(link).toMatchObject({ status: 'created', amount_paid: 0, payments: null, upi_link: false });
    expect(link.id).toMatch(/^plink_/);
    const first = h.fake.actions.pay_payment_link!({ payment_link_id: link.id, amount: 20_000 })
      .body as Record<string, string>;
    expect(first.razorpay_payment_link_status).toBe('partially_paid');
    const rest = h.fake.actions.pay_payment_link!({ payment_link_id: link.id }).body as Record<
      string,
      string
    >;
    const params = {
      payment_link_id: link.id,
      payment_link_reference_id: 'inv-2026-001',
      payment_link_status: 'paid',
      payment_id: rest.razorpay_payment_id!,
    };
    expect(validatePaymentVerification(params, rest.razorpay_signature!, keySecret)).toBe(true);
    const paid = await h.rzp.paymentLink.fetch(link.id);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 50_000 });
    expect(paid.payments).toHaveLength(2);
    expect((await h.rzp.payments.fetch(rest.razorpay_payment_id!)).status).toBe('captured');
    await h.fake.flushWebhooks();
    expect(receiver.events().filter((event) => event.startsWith('payment_link.'))).toEqual([
      'payment_link.partially_paid',
      'payment_link.paid',
    ]);
    const event = receiver.received.find((request) => request.event.event === 'payment_link.paid')!;
    expect(event.verified).toBe(true);
    expect(event.event.contains).toEqual(['payment_link', 'order', 'payment']);
    // The SDK's declarations leave the documented filters out; it sends whatever it is given.
    const byReference = { count: 10, reference_id: 'inv-2026-001' };
    const listed = await h.rzp.paymentLink.all(byReference);
    expect(listed.payment_links.map((entry) => entry.id)).toEqual([link.id]);
  });

  it('cancels and expires with their webhooks; a reused reference and a close expiry are refused', async () => {
    const link = await h.rzp.paymentLink.create({ amount: 1_000, reference_id: 'r-1', customer: {} });
    expect(
      await caught(h.rzp.paymentLink.create({ amount: 1_000, reference_id: 'r-1', customer: {} })),
    ).toMatchObject({
      statusCode: 400,
      error: { description: 'payment link creation with reference ID already attempted' },
    });
    expect(
      await caught(h.rzp.paymentLink.create({ amount: 1_000, expire_by: now() + 60, customer: {} })),
    ).toMatchObject({ statusCode: 400, error: { field: 'expire_by' } });
    expect(await h.rzp.paymentLink.cancel(link.id)).toMatchObject({ status: 'cancelled' });
    expect(await caught(h.rzp.paymentLink.cancel(link.id))).toMatchObject({ statusCode: 400 });
    const expiring = await h.rzp.paymentLink.create({
      amount: 1_000,
      expire_by: now() + 3_600,
      customer: {},
    });
    h.sim.clock.advanceBy(2 * 3_600_000);
    expect(await h.rzp.paymentLink.fetch(expiring.id)).toMatchObject({ status: 'expired' });
    await h.fake.flushWebhooks();
    expect(receiver.events()).toEqual(['payment_link.cancelled', 'payment_link.expired']);
  });
});
