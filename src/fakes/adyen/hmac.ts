import { createHmac } from 'node:crypto';
import type { SeededRandom } from '../../sim/random.ts';
import type { NotificationItem } from './wire.ts';

/**
 * The string Adyen signs for a standard notification item: pspReference, originalReference,
 * merchantAccountCode, merchantReference, amount value, amount currency, eventCode, success,
 * joined by `:` with a missing field as the empty string (no escaping on this path).
 *
 * @example
 * signingPayload(item); // '8816…::Merchant:order-1:1000:EUR:AUTHORISATION:true'
 */
export function signingPayload(item: NotificationItem): string {
  return [
    item.pspReference,
    item.originalReference ?? '',
    item.merchantAccountCode,
    item.merchantReference,
    String(item.amount.value ?? ''),
    item.amount.currency ?? '',
    item.eventCode,
    item.success,
  ].join(':');
}

/** HMAC-SHA256 of `data` under a hex-encoded key, base64: Adyen's `hmacSignature`. */
export function hmacBase64(data: string, hexKey: string): string {
  return createHmac('sha256', Buffer.from(hexKey, 'hex')).update(data, 'utf8').digest('base64');
}

/** The item with `additionalData.hmacSignature` set for a webhook's HMAC key (hex). */
export function signItem(item: NotificationItem, hexKey: string): NotificationItem {
  return {
    ...item,
    additionalData: { ...item.additionalData, hmacSignature: hmacBase64(signingPayload(item), hexKey) },
  };
}

/** Whether a hex HMAC key is well formed (Adyen's are 64 hex characters). */
export function isHexKey(key: string): boolean {
  return key.length > 0 && key.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(key);
}

/** A new webhook HMAC key, 64 hex digits as the Customer Area makes them, drawn from a seeded stream. */
export function newHmacKeyHex(random: SeededRandom): string {
  return random.string(64, '0123456789ABCDEF');
}
