import { http, HttpResponse, type HttpHandler } from 'msw';
import type { PspCore, PspName } from '../fakes/common/psp-core.ts';
import { headersWithLength, noFakeMessage, pspHosts, pspRequestOf } from './psp-hosts.ts';

/** The cores to answer for, by PSP; PSPs left out fail closed. */
export type FakeCores = Partial<Record<PspName, PspCore>>;

/**
 * msw handlers that answer the PSPs' real hosts from the fakes, so a Node billing service needs
 * no configuration change: `setupServer(...fakepspHandlers({ stripe: stripe.core }))`.
 *
 * @example
 * import { setupServer } from 'msw/node';
 * const stripe = createStripeFake(createSimulation({ seed: 42 }));
 * const server = setupServer(...fakepspHandlers({ stripe: stripe.core }));
 * server.listen({ onUnhandledFrame: 'error' });
 */
export function fakepspHandlers(cores: FakeCores): HttpHandler[] {
  return (Object.keys(pspHosts) as PspName[]).flatMap((psp) =>
    pspHosts[psp].map((host) => http.all(`https://${host}/*`, ({ request }) => answer(cores[psp], request))),
  );
}

async function answer(core: PspCore | undefined, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (core === undefined)
    return HttpResponse.json({ error: { message: noFakeMessage(url.host) } }, { status: 502 });
  const result = await core.handle(await pspRequestOf(request));
  // A lost response or reset reaches the client as a network error, as on a real socket.
  if (result.directive !== undefined) return HttpResponse.error();
  return new HttpResponse(result.response.body, {
    status: result.response.status,
    headers: headersWithLength(result.response),
  });
}
