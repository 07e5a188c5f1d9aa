import nock from 'nock';
import type { PspCore, PspName } from '../fakes/common/psp-core.ts';
import { headersWithLength, noFakeMessage, pspHosts, pspRequestOf } from './psp-hosts.ts';

/** The cores to answer for, by PSP; PSPs left out fail closed. */
export type FakeCores = Partial<Record<PspName, PspCore>>;

/**
 * nock interceptors that answer the PSPs' real hosts from the fakes, for codebases already on
 * nock. Returns a function that removes them.
 *
 * @example
 * const stripe = createStripeFake(createSimulation({ seed: 42 }));
 * const stop = interceptPsps({ stripe: stripe.core });
 * // … new Stripe('sk_test_x') now reaches the fake …
 * stop();
 */
export function interceptPsps(cores: FakeCores): () => void {
  const scopes = (Object.keys(pspHosts) as PspName[]).flatMap((psp) =>
    pspHosts[psp].map((host) => intercept(host, cores[psp])),
  );
  return () => {
    for (const scope of scopes) scope.persist(false);
    nock.cleanAll();
  };
}

function intercept(host: string, core: PspCore | undefined): nock.Scope {
  const scope = nock(`https://${host}`).persist();
  for (const method of ['get', 'post', 'delete', 'put', 'patch'] as const) {
    // nock 15 hands the reply function a fetch `Request` and awaits what it returns.
    scope[method](/.*/).reply(async (request: Request) => {
      if (core === undefined) return [502, JSON.stringify({ error: { message: noFakeMessage(host) } })];
      const result = await core.handle(await pspRequestOf(request));
      // A lost response reaches the client as a network error, as on a real socket.
      if (result.directive !== undefined)
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return [result.response.status, result.response.body, headersWithLength(result.response)];
    });
  }
  return scope;
}
