import type { JsonValue } from '../../sim/canonical-json.ts';
import type { PspName } from './psp-core.ts';

/** One event on its way to one endpoint. */
export interface WebhookDelivery {
  readonly psp: PspName;
  readonly eventId: string;
  readonly eventType: string;
  readonly endpointId: string;
  readonly url: string;
  /** The exact bytes sent at every attempt. */
  readonly body: string;
  /** Headers for one attempt, signatures included: PSPs sign at each attempt. */
  readonly headersFor: (body: string, tamper?: SignatureTamper) => Readonly<Record<string, string>>;
  /**
   * The bytes of a tampered attempt, for PSPs that sign inside the body (Adyen's
   * `additionalData.hmacSignature`); by default every attempt sends {@link body}.
   */
  readonly bodyFor?: (tamper?: SignatureTamper) => string;
  /** Waits before attempts 2, 3, …; when they run out the delivery is abandoned. */
  readonly retryDelaysMs: readonly number[];
  /**
   * `queue`: the endpoint gets one delivery at a time, the next only once the head is
   * delivered or abandoned (Adyen). Default `independent` (Stripe).
   */
  readonly ordering?: 'independent' | 'queue';
  /** `disable-endpoint`: once a delivery is abandoned, the endpoint gets nothing more (Razorpay). */
  readonly onExhausted?: 'abandon' | 'disable-endpoint';
  /**
   * The delivery as data its PSP makes it again from (a dispatcher's `WebhookParking.revive`):
   * with it, a delivery waiting for a retry or its turn can wait off the heap.
   */
  readonly record?: JsonValue;
}

/** How a fault spoils an attempt's signature: signed with the wrong key, or too long ago. */
export type SignatureTamper =
  | { readonly kind: 'bad_signature' }
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'stale'; readonly ageSeconds: number };

/** What an attempt got back: an HTTP status, or a network error. */
export type AttemptOutcome = { readonly status: number; readonly body?: string } | { readonly error: string };

/** Sends one attempt over some transport (fetch in a server, a function call in-process). */
export type WebhookSender = (request: {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}) => Promise<AttemptOutcome>;
