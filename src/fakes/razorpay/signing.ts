import { createHmac } from 'node:crypto';

/** Hex HMAC-SHA256 of `message` keyed with `secret`: every signature Razorpay makes. */
export function hmacSha256Hex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/**
 * `X-Razorpay-Signature`: the HMAC of the exact body bytes with the webhook's secret (what
 * `Razorpay.validateWebhookSignature(body, signature, secret)` recomputes).
 */
export function webhookSignature(body: string, webhookSecret: string): string {
  return hmacSha256Hex(webhookSecret, body);
}

/**
 * What Checkout hands the browser after a payment on an order: the HMAC of
 * `order_id|payment_id` keyed with the API key_secret (not the webhook secret), as
 * `validatePaymentVerification({ order_id, payment_id }, signature, key_secret)` checks.
 */
export function checkoutSignature(orderId: string, paymentId: string, keySecret: string): string {
  return hmacSha256Hex(keySecret, `${orderId}|${paymentId}`);
}

/** A secret certainly not the webhook's, for a `bad_signature` fault: same length, other bytes. */
export function wrongSecret(secret: string): string {
  return `${secret}_tampered`;
}

/**
 * What Checkout hands the browser after a subscription's authentication transaction: the HMAC
 * of `payment_id|subscription_id` (that order) keyed with the API key_secret, as
 * `validatePaymentVerification({ subscription_id, payment_id }, signature, key_secret)` checks.
 */
export function subscriptionSignature(paymentId: string, subscriptionId: string, keySecret: string): string {
  return hmacSha256Hex(keySecret, `${paymentId}|${subscriptionId}`);
}

/**
 * What Checkout's callback carries after a payment-link payment: the HMAC of
 * `payment_link_id|payment_link_reference_id|payment_link_status|payment_id` keyed with the API
 * key_secret, as `validatePaymentVerification({ payment_link_id, … }, signature, key_secret)` checks.
 */
export function paymentLinkSignature(
  link: { readonly id: string; readonly reference_id: string; readonly status: string },
  paymentId: string,
  keySecret: string,
): string {
  return hmacSha256Hex(keySecret, `${link.id}|${link.reference_id}|${link.status}|${paymentId}`);
}
