import { createHmac } from 'node:crypto';
import Razorpay from 'razorpay';
import { validatePaymentVerification } from 'razorpay/dist/utils/razorpay-utils.js';
import { describe, expect, it } from 'vitest';
import { checkoutSignature, webhookSignature, wrongSecret } from '../../../src/fakes/razorpay/signing.ts';
import { deliveryFor } from '../../../src/fakes/razorpay/webhooks.ts';

describe('Razorpay signatures', () => {
  it('a webhook signature is the hex HMAC-SHA256 of the exact body, as the SDK checks it', () => {
    const body = '{"entity":"event","event":"payment.captured"}';
    const signature = webhookSignature(body, 'whsec');
    expect(signature).toBe(createHmac('sha256', 'whsec').update(body).digest('hex'));
    expect(Razorpay.validateWebhookSignature(body, signature, 'whsec')).toBe(true);
    expect(Razorpay.validateWebhookSignature(`${body} `, signature, 'whsec')).toBe(false);
    expect(Razorpay.validateWebhookSignature(body, signature, wrongSecret('whsec'))).toBe(false);
  });

  it('the Checkout signature is order_id|payment_id keyed with the key secret', () => {
    const signature = checkoutSignature('order_A', 'pay_B', 'key_secret');
    expect(signature).toBe(createHmac('sha256', 'key_secret').update('order_A|pay_B').digest('hex'));
    expect(
      validatePaymentVerification({ order_id: 'order_A', payment_id: 'pay_B' }, signature, 'key_secret'),
    ).toBe(true);
    expect(
      validatePaymentVerification({ order_id: 'pay_B', payment_id: 'order_A' }, signature, 'key_secret'),
    ).toBe(false);
  });

  it('deliveries sign every attempt; bad_signature uses a wrong secret, stale changes nothing', () => {
    const endpoint = { id: 'webhook_1', url: 'http://x/', secret: 'whsec', events: null };
    const delivery = deliveryFor(endpoint, 'evt_1', 'payment.captured', '{"a":1}');
    const good = delivery.headersFor(delivery.body);
    expect(good).toMatchObject({
      'content-type': 'application/json',
      'x-razorpay-event-id': 'evt_1',
      'x-razorpay-signature': webhookSignature('{"a":1}', 'whsec'),
    });
    expect(delivery.headersFor(delivery.body, { kind: 'stale', ageSeconds: 3_600 })).toEqual(good);
    const bad = delivery.headersFor(delivery.body, { kind: 'bad_signature' });
    expect(bad['x-razorpay-signature']).not.toBe(good['x-razorpay-signature']);
    const unsigned = delivery.headersFor(delivery.body, { kind: 'unsigned' });
    expect(unsigned).not.toHaveProperty('x-razorpay-signature');
    expect(unsigned['x-razorpay-event-id']).toBe('evt_1');
    expect(delivery).toMatchObject({ onExhausted: 'disable-endpoint', eventId: 'evt_1' });
  });
});
