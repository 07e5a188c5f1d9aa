import { describe, expect, it } from 'vitest';
import {
  adyenAndReceiverEachTest,
  type AdyenHarness,
  merchantAccount,
  startAdyenWebhookReceiver,
} from '../../support/adyen-harness.ts';

let h: AdyenHarness;
let receiver: Awaited<ReturnType<typeof startAdyenWebhookReceiver>>;
adyenAndReceiverEachTest((started) => ({ h, receiver } = started));

const session = () =>
  h.payments.sessions({
    amount: { value: 1500, currency: 'EUR' },
    merchantAccount,
    reference: 'order-s',
    returnUrl: 'https://shop.example/return',
    shopperReference: 'cust_s',
  });

describe('Checkout sessions', () => {
  it('creates a session (201) that the shopper pays in Drop-in; the result and webhook follow', async () => {
    const created = await session();
    expect(created).toMatchObject({ merchantAccount, reference: 'order-s', amount: { value: 1500 } });
    expect(created.id).toMatch(/^CS/);
    expect(created.sessionData).toBeTruthy();
    expect(created.expiresAt).toBeInstanceOf(Date);
    const pending = await h.payments.getResultOfPaymentSession(created.id, 'any');
    expect(pending.status).toBe('active');
    expect(h.fake.actions.complete_session!({ sessionId: created.id }).status).toBe(200);
    const result = await h.payments.getResultOfPaymentSession(created.id, 'any');
    expect(result).toMatchObject({ status: 'completed', payments: [{ resultCode: 'Authorised' }] });
    await h.fake.flushWebhooks();
    expect(receiver.items()[0]).toMatchObject({
      eventCode: 'AUTHORISATION',
      success: 'true',
      merchantReference: 'order-s',
      additionalData: { checkoutSessionId: created.id },
    });
  });

  it('a refused shopper refuses the session; an unpaid one expires after an hour', async () => {
    const refused = await session();
    h.fake.actions.complete_session!({ sessionId: refused.id, holderName: 'DECLINED' });
    expect((await h.payments.getResultOfPaymentSession(refused.id, 'x')).status).toBe('refused');
    const idle = await session();
    h.sim.clock.advanceBy(3_600_000);
    expect((await h.payments.getResultOfPaymentSession(idle.id, 'x')).status).toBe('expired');
  });
});
