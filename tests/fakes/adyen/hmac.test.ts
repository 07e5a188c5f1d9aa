import { hmacValidator, Types } from '@adyen/api-library';
import { describe, expect, it } from 'vitest';
import { hmacBase64, signingPayload, signItem } from '../../../src/fakes/adyen/hmac.ts';
import { notificationItem } from '../../../src/fakes/adyen/notifications.ts';
import { deliveryFor } from '../../../src/fakes/adyen/webhooks.ts';

const validator = new hmacValidator();
// Adyen's published example: this key over this data gives this signature.
const publishedKey = 'DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00';
const publishedData =
  'pspReference:originalReference:merchantAccount:reference:1000:EUR:REPORT_AVAILABLE:true';
const publishedSignature = 'ZNBPtI+oDyyRrLyD1XirkKnQgIAlFc07Vj27TeHsDRE=';
const key = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

const item = (originalReference?: string) =>
  notificationItem(
    {
      eventCode: originalReference === undefined ? 'AUTHORISATION' : 'REFUND',
      pspReference: 'QFQTPCQ8HXSKGK82',
      ...(originalReference === undefined ? {} : { originalReference }),
      merchantAccountCode: 'FakepspECOM',
      merchantReference: 'order:1',
      amount: { value: 1000, currency: 'EUR' },
      success: true,
    },
    Date.UTC(2026, 0, 1),
  );

describe('Adyen HMAC signatures', () => {
  it('reproduce the published test vector, as the SDK computes it', () => {
    expect(hmacBase64(publishedData, publishedKey)).toBe(publishedSignature);
    expect(validator.calculateHmac(publishedData, publishedKey)).toBe(publishedSignature);
  });

  it('sign the same fields as the SDK, with an empty originalReference when there is none', () => {
    for (const candidate of [item(), item('9913140798220028')]) {
      const sdkItem = candidate as unknown as Types.notification.NotificationRequestItem;
      expect(signingPayload(candidate)).toBe(validator.getDataToSign(sdkItem));
    }
    expect(signingPayload(item())).toBe('QFQTPCQ8HXSKGK82::FakepspECOM:order:1:1000:EUR:AUTHORISATION:true');
  });

  it('are accepted by hmacValidator.validateHMAC with the key, and refused with another', () => {
    const signed = signItem(
      item('9913140798220028'),
      key,
    ) as unknown as Types.notification.NotificationRequestItem;
    expect(validator.validateHMAC(signed, key)).toBe(true);
    expect(validator.validateHMAC(signed, publishedKey)).toBe(false);
  });

  it('an unsigned tamper sends the items without hmacSignature', () => {
    const delivery = deliveryFor(
      { id: 'webhook_1', url: 'http://127.0.0.1:9/x', hmacKeyHex: key },
      'e1',
      item(),
    );
    const body = delivery.bodyFor!({ kind: 'unsigned' });
    const sent = (JSON.parse(body) as Types.notification.Notification).notificationItems[0]!
      .NotificationRequestItem;
    expect(sent.additionalData?.hmacSignature).toBeUndefined();
    expect(sent.pspReference).toBe(item().pspReference);
  });

  it('a bad_signature tamper sends the items signed with a wrong key; a stale one changes nothing', () => {
    const delivery = deliveryFor(
      { id: 'webhook_1', url: 'http://127.0.0.1:9/x', hmacKeyHex: key },
      'e1',
      item(),
    );
    const itemOf = (body: string) =>
      (JSON.parse(body) as Types.notification.Notification).notificationItems[0]!.NotificationRequestItem;
    const sent = [
      undefined,
      { kind: 'bad_signature' } as const,
      { kind: 'stale', ageSeconds: 60 } as const,
    ].map((tamper) => {
      const body = delivery.bodyFor?.(tamper) ?? delivery.body;
      return { headers: delivery.headersFor(body, tamper), body };
    });
    expect(sent.map((request) => validator.validateHMAC(itemOf(request.body), key))).toEqual([
      true,
      false,
      true,
    ]);
    expect(sent.map((request) => Object.keys(request.headers).sort())).toEqual([
      ['content-type', 'user-agent'],
      ['content-type', 'user-agent'],
      ['content-type', 'user-agent'],
    ]);
    expect(itemOf(sent[1]!.body)).toEqual({
      ...itemOf(delivery.body),
      additionalData: itemOf(sent[1]!.body).additionalData,
    });
    expect(delivery).toMatchObject({ ordering: 'queue', psp: 'adyen', eventType: 'AUTHORISATION' });
  });
});
