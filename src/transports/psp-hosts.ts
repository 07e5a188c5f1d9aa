import type { PspName, PspRequest, PspResponse } from '../fakes/common/psp-core.ts';

/** The real hosts each PSP's SDK talks to, which interception transports answer for. */
export const pspHosts: Readonly<Record<PspName, readonly string[]>> = {
  stripe: ['api.stripe.com', 'meter-events.stripe.com', 'files.stripe.com', 'connect.stripe.com'],
  adyen: ['checkout-test.adyen.com', 'pal-test.adyen.com', 'management-test.adyen.com'],
  razorpay: ['api.razorpay.com'],
};

/** What an intercepted request to a PSP without a fake gets: a loud, closed failure. */
export function noFakeMessage(host: string): string {
  return `fakepsp: ${host} is a real PSP host and no fake is registered for it; refusing to let the request out.`;
}

/** A fetch `Request` (what msw and nock hand over) as the plain request a PSP core takes. */
export async function pspRequestOf(request: Request): Promise<PspRequest> {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ''),
    headers: Object.fromEntries([...request.headers].map(([name, value]) => [name.toLowerCase(), value])),
    rawBody: await request.text(),
  };
}

/**
 * The headers an intercepted answer goes out with: the fake's, and the body's length, as the PSPs
 * send it. Without a length, msw's interceptors stream the body chunked, and a stripe-node call
 * through them cost three times the CPU (1,350 calls a second against 3,800 with a fixed answer,
 * and falling as a run went on).
 */
export function headersWithLength(response: PspResponse): Record<string, string> {
  return { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) };
}
