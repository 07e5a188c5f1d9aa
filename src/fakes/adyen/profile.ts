import { PspPipeline } from '../common/pipeline.ts';
import type { Gate, RequestIdentity } from '../common/psp-profile.ts';
import { requestBytesMax, type PspRequest } from '../common/psp-core.ts';
import { Router, type RouteMatch } from '../common/router.ts';
import { claimedKeyLabel, credentialOf, type Credential } from './auth.ts';
import { adyenError, AdyenFailure, type AdyenErrorKind } from './errors.ts';
import { adyenRoutes, unversioned } from './routes.ts';
import type { AdyenHandler, AdyenRuntime } from './runtime.ts';
import { beginWork } from './work.ts';
import { parseJsonObject, type Body } from './wire.ts';

/** Adyen keeps idempotency keys for at least 7 days. */
export const idempotencyTtlMs = 7 * 24 * 3_600_000;

/** Longest `Idempotency-Key` Adyen accepts. */
export const idempotencyKeyLengthMax = 64;

interface Who extends RequestIdentity {
  readonly credential: Credential | undefined;
}

interface Admitted extends Who {
  readonly credential: Credential;
  readonly match: RouteMatch<AdyenHandler>;
  readonly body: Body;
  readonly query: Readonly<Record<string, string>>;
}

/** The fake Adyen's core: Adyen's rules on the one request pipeline. */
export type AdyenCore = PspPipeline<Who, Admitted, AdyenErrorKind>;

/**
 * The transport-agnostic fake Adyen Checkout API: authenticates, routes, applies idempotency
 * (scoped per API key, answers under 400 saved, the key echoed), runs the handler in one unit
 * of work and answers compact JSON with a `pspReference` header.
 */
export function adyenCore(runtime: AdyenRuntime): AdyenCore {
  const router = new Router(adyenRoutes);
  return new PspPipeline<Who, Admitted, AdyenErrorKind>(runtime, {
    psp: 'adyen',
    idempotency: {
      header: 'idempotency-key',
      ttlMs: idempotencyTtlMs,
      scopeOf: (admitted) => admitted.credential.scope,
      // Adyen documents nothing for a key reused with another body; the first answer is replayed.
      fingerprintOf: () => 'adyen-idempotency-key',
      mismatch: () => ({ kind: 'idempotency_in_progress' }),
      inProgress: () => ({ kind: 'idempotency_in_progress' }),
      replayHeaders: (_admitted, key) => ({ 'idempotency-key': key }),
      echoKey: true,
      saves: (status) => status < 400,
    },
    wire: { contentType: 'application/json;charset=UTF-8', retryAfterSeconds: 1 },
    errors: { rateLimited: { kind: 'rate_limited' }, internal: (status) => ({ kind: 'internal', status }) },
    identify: (request, claimed) => {
      const requestId = runtime.ids.adyenPspReference();
      const credential = credentialOf(request.headers, runtime.apiKeys);
      return { ...claimed, requestId, credential, headers: { pspreference: requestId } };
    },
    requestLine: (who, { body, ...rest }, request) => ({
      body,
      credential: who.credential?.label ?? claimedKeyLabel(request.headers) ?? null,
      idempotencyKey: who.idempotencyKey ?? null,
      ...rest,
    }),
    admit: (request, who) => admit(router, request, who),
    explain: (error, who) => adyenError(error, who.requestId),
    failureOf: (thrown) => (thrown instanceof AdyenFailure ? thrown : undefined),
    begin: ({ body, query, requestId: pspReference, idempotencyKey = null, credential, match }) => {
      const { merchantAccounts } = credential;
      const work = beginWork(runtime, { body, query, pspReference, idempotencyKey, merchantAccounts });
      // The handler's writes commit together when it returns, or not at all when it throws.
      return {
        answer: () => runtime.store.unit.run(() => match.route.handler(work.context, match.params)),
        commit: work.publish,
      };
    },
  });
}

/** Adyen's gate, in its order — credential, route, idempotency key, body. Nothing here changes state. */
function admit(router: Router<AdyenHandler>, request: PspRequest, who: Who): Gate<Admitted, AdyenErrorKind> {
  const { credential, method, idempotencyKey } = who;
  if (credential === undefined) return { error: { kind: 'unauthorized' } };
  const path = unversioned(request.path);
  const match = path === undefined ? undefined : router.match(method, path);
  if (match === undefined) {
    const kind = path !== undefined && router.hasPath(path) ? 'method_not_allowed' : 'not_found';
    return { error: { kind, method, path: request.path } };
  }
  if (idempotencyKey !== undefined && idempotencyKey.length > idempotencyKeyLengthMax)
    return { error: { kind: 'idempotency_key_too_long', lengthMax: idempotencyKeyLengthMax } };
  const query = Object.fromEntries(new URLSearchParams(request.query));
  // The SDK sends an empty body with GET and DELETE; Adyen reads none there.
  if (method === 'GET' || method === 'DELETE')
    return { admitted: { ...who, credential, match, body: {}, query } };
  if (request.bodyError !== undefined)
    return { error: { kind: 'body_malformed', detail: request.bodyError } };
  if (request.rawBody.length > requestBytesMax)
    return { error: { kind: 'body_too_large', bytesMax: requestBytesMax } };
  const body = parseJsonObject(request.rawBody);
  if (typeof body === 'string') return { error: { kind: 'body_malformed', detail: body } };
  return { admitted: { ...who, credential, match, body, query } };
}
