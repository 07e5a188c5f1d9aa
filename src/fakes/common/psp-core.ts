import type { JsonValue } from '../../sim/canonical-json.ts';

/** The PSPs fakepsp fakes. */
export type PspName = 'stripe' | 'adyen' | 'razorpay';

/** Largest request body a fake reads, whatever the transport: larger ones get the PSP's own 400. */
export const requestBytesMax = 1024 * 1024;

/**
 * A request as every transport hands it to a core: nothing of express, msw or nock leaks in.
 * Header names are lowercase; `query` is the raw query string without `?`.
 */
export interface PspRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: string;
  /** Set by a transport that could not read the body (too large, bad encoding). */
  readonly bodyError?: string;
}

/** A response as a core renders it; the transport writes it out verbatim. */
export interface PspResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Something the PSP emitted that goes to the SUT by webhook: the dispatcher signs and
 * delivers it on the PSP's retry schedule.
 */
export interface PspEvent {
  readonly psp: PspName;
  /** The PSP's own event id (`evt_…`, an Adyen pspReference + eventCode, Razorpay `evt_…`). */
  readonly id: string;
  readonly type: string;
  /** The exact JSON document that will be sent (a snapshot taken when the event fired). */
  readonly payload: JsonValue;
  /** For Stripe Connect: the connected account the event belongs to. */
  readonly account?: string;
}

/**
 * What the transport should do instead of answering normally: the lost-response and
 * connection faults that only a transport can carry out.
 */
export type TransportDirective = { readonly kind: 'reset' } | { readonly kind: 'timeout' };

/** The outcome of one request: the response, the events it emitted, maybe a directive. */
export interface PspResult {
  readonly response: PspResponse;
  readonly events: readonly PspEvent[];
  readonly directive?: TransportDirective;
}

/**
 * The contract every fake implements (DESIGN.md, "The core contract of a fake"): a plain
 * request in, a response and events out, over the fake's own state and the run's kernel.
 * A core never reads the wall clock or `Math.random`, and never touches a socket.
 *
 * @example
 * const { core } = createStripeFake(createSimulation({ seed: 1 }));
 * const result = await core.handle({ method: 'GET', path: '/v1/customers', query: 'limit=3',
 *   headers: { authorization: 'Bearer sk_test_123' }, rawBody: '' });
 * result.response.status; // 200
 */
export interface PspCore {
  readonly psp: PspName;
  handle(request: PspRequest): Promise<PspResult>;
}

/** Renders a JSON body response with the given status and extra headers. */
export function jsonResponse(
  status: number,
  body: JsonValue,
  headers: Readonly<Record<string, string>> = {},
): PspResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body, null, 2),
  };
}
