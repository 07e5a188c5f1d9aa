import { describe, expect, it } from 'vitest';
import {
  adyenAndReceiverEachTest,
  type AdyenHarness,
  caught,
  merchantAccount,
  startAdyenWebhookReceiver,
} from '../../support/adyen-harness.ts';

let h: AdyenHarness;
let receiver: Awaited<ReturnType<typeof startAdyenWebhookReceiver>>;
adyenAndReceiverEachTest((started) => ({ h, receiver } = started));

const hour = 3_600_000;

const link = (extra: Record<string, unknown> = {}) =>
  h.links.paymentLinks({
    amount: { value: 4_900, currency: 'EUR' },
    merchantAccount,
    reference: 'invoice-17',
    description: 'Invoice 17',
    shopperReference: 'tenant-17',
    metadata: { invoice: 'in_17' },
    ...extra,
  });

const pay = (linkId: string, holderName?: string) =>
  h.fake.actions.pay_payment_link!({ linkId, ...(holderName === undefined ? {} : { holderName }) });

describe('Pay by Link', () => {
  it('creates a link (201) that the shopper pays once; the AUTHORISATION names the link', async () => {
    const created = await link();
    expect(created).toMatchObject({
      amount: { value: 4_900, currency: 'EUR' },
      merchantAccount,
      reference: 'invoice-17',
      description: 'Invoice 17',
      shopperReference: 'tenant-17',
      metadata: { invoice: 'in_17' },
      reusable: false,
      status: 'active',
    });
    expect(created.id).toMatch(/^PL/);
    expect(created.url).toBe(`https://test.adyen.link/${created.id}`);
    expect(created.expiresAt!.getTime() - h.sim.clock.nowMs()).toBe(24 * hour);
    expect(await h.links.getPaymentLink(created.id)).toEqual(created);
    expect(pay(created.id).status).toBe(200);
    expect(await h.links.getPaymentLink(created.id)).toMatchObject({ status: 'completed' });
    await h.fake.flushWebhooks();
    expect(receiver.items()).toHaveLength(1);
    expect(receiver.items()[0]).toMatchObject({
      eventCode: 'AUTHORISATION',
      success: 'true',
      merchantReference: 'invoice-17',
      amount: { value: 4_900, currency: 'EUR' },
      additionalData: {
        paymentLinkId: created.id,
        'metadata.invoice': 'in_17',
        shopperReference: 'tenant-17',
      },
    });
    expect(h.fake.dump().paymentLinks).toMatchObject([
      { id: created.id, status: 'completed', payments: [expect.any(String)] },
    ]);
    // A single-use link takes one payment.
    expect(pay(created.id)).toMatchObject({
      status: 422,
      body: { message: `Payment link not found: ${created.id}` },
    });
  });

  it('stays open after a refused shopper, and for every payment of a reusable link', async () => {
    const once = await link();
    expect(pay(once.id, 'DECLINED').status).toBe(200);
    expect((await h.links.getPaymentLink(once.id)).status).toBe('active');
    const reusable = await link({ reusable: true, reference: 'donations' });
    pay(reusable.id);
    pay(reusable.id);
    expect((await h.links.getPaymentLink(reusable.id)).status).toBe('active');
    await h.fake.flushWebhooks();
    const outcomes = receiver.items().map((item) => [item.merchantReference, item.success]);
    expect(outcomes).toEqual([
      ['invoice-17', 'false'],
      ['donations', 'true'],
      ['donations', 'true'],
    ]);
  });

  it('expires after its time or when told to, and can no longer be paid', async () => {
    const told = await link();
    const expired = await h.links.updatePaymentLink(told.id, { status: 'expired' as never });
    expect(expired).toMatchObject({ id: told.id, status: 'expired' });
    expect(pay(told.id).status).toBe(422);
    const dated = await link({ expiresAt: new Date(h.sim.clock.nowMs() + 2 * hour) });
    expect(dated.expiresAt!.getTime() - h.sim.clock.nowMs()).toBe(2 * hour);
    h.sim.clock.advanceBy(2 * hour);
    expect((await h.links.getPaymentLink(dated.id)).status).toBe('expired');
    const paid = await link();
    pay(paid.id);
    const refused = await caught(h.links.updatePaymentLink(paid.id, { status: 'expired' as never }));
    expect(refused).toMatchObject({ statusCode: 422, errorCode: '702' });
  });

  it("refuses bad input with Adyen's errors", async () => {
    expect(await caught(link({ reference: '' }))).toMatchObject({ statusCode: 422, errorCode: '130' });
    const tooLate = new Date(h.sim.clock.nowMs() + 71 * 24 * hour);
    expect(await caught(link({ expiresAt: tooLate }))).toMatchObject({ statusCode: 422, errorCode: '702' });
    expect(await caught(h.links.getPaymentLink('PL_missing'))).toMatchObject({ statusCode: 422 });
    const created = await link();
    const active = await caught(h.links.updatePaymentLink(created.id, { status: 'active' as never }));
    expect(active).toMatchObject({ statusCode: 422, errorCode: '702' });
    expect(h.fake.dump().payments).toEqual([]);
  });
});
