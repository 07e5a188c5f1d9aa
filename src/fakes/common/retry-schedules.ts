/**
 * Each PSP's webhook retry schedule: the waits before attempts 2, 3, …. None of the PSPs
 * publishes exact intervals; these follow their documented shapes.
 */
const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/** Waits until `total` would be exceeded, repeating the last wait. */
function until(total: number, waits: readonly number[]): number[] {
  const result: number[] = [];
  let spent = 0;
  for (let index = 0; ; index++) {
    const wait = waits[Math.min(index, waits.length - 1)]!;
    if (spent + wait > total) return result;
    result.push(wait);
    spent += wait;
  }
}

/** Stripe: exponential backoff for up to three days (docs.stripe.com/webhooks). */
export const stripeRetryDelaysMs: readonly number[] = [
  minute,
  5 * minute,
  30 * minute,
  hour,
  2 * hour,
  4 * hour,
  8 * hour,
  16 * hour,
  day,
];

/**
 * Adyen: three quick retries, then the endpoint's retry queue, from minutes up to 8 hours
 * apart, for up to 30 days; the queue waits for the oldest item before sending the next.
 */
export const adyenRetryDelaysMs: readonly number[] = until(30 * day, [
  10 * second,
  10 * second,
  10 * second,
  2 * minute,
  5 * minute,
  10 * minute,
  15 * minute,
  30 * minute,
  hour,
  2 * hour,
  4 * hour,
  8 * hour,
]);

/** Razorpay: exponential backoff for 24 hours, after which the webhook is disabled. */
export const razorpayRetryDelaysMs: readonly number[] = until(day, [
  minute,
  2 * minute,
  4 * minute,
  8 * minute,
  16 * minute,
  32 * minute,
  hour,
  2 * hour,
  4 * hour,
  6 * hour,
  8 * hour,
]);
