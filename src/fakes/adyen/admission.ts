import type { AdmittedFacts, RequestIdentity as PipelineIdentity } from '../common/pipeline.ts';
import { requestBytesMax, type PspRequest } from '../common/psp-core.ts';
import type { Router, RouteMatch } from '../common/router.ts';
import { credentialOf, type Credential } from './auth.ts';
import type { AdyenErrorKind } from './errors.ts';
import { checkoutVersions } from './routes.ts';
import type { AdyenHandler, AdyenRuntime } from './runtime.ts';
import type { Body } from './wire.ts';

/** Longest `Idempotency-Key` Adyen accepts. */
export const idempotencyKeyLengthMax = 64;

/** The request's identity, known before any check: for journaling and error answers. */
export interface RequestIdentity extends PipelineIdentity {
  /** The pspReference Adyen gives the request; also its journal request id. */
  readonly pspReference: string;
  readonly credential: Credential | undefined;
  /** Headers every answer carries: Adyen names the request's pspReference in one. */
  readonly headers: Record<string, string>;
}

/** A request that passed the gate: authenticated, routed, decoded. */
export interface AdmittedRequest extends RequestIdentity, AdmittedFacts {
  readonly credential: Credential;
  readonly path: string;
  readonly match: RouteMatch<AdyenHandler>;
  readonly body: Body;
  readonly query: Readonly<Record<string, string>>;
}

export function identify(runtime: AdyenRuntime, request: PspRequest): RequestIdentity {
  const pspReference = runtime.ids.adyenPspReference();
  const method = request.method.toUpperCase();
  return {
    requestId: pspReference,
    pspReference,
    method,
    credential: credentialOf(request.headers, runtime.apiKeys),
    // Adyen keys POSTs only.
    idempotencyKey: method === 'POST' ? request.headers['idempotency-key'] : undefined,
    headers: { pspreference: pspReference },
  };
}

/** `/v72/payments` → `/payments`, for the Checkout versions the fake answers; else `undefined`. */
export function unversioned(path: string): string | undefined {
  const found = /^\/v(\d+)(\/.*)$/.exec(path);
  if (found === null) return undefined;
  const version = Number(found[1]);
  return version >= checkoutVersions.min && version <= checkoutVersions.max ? found[2] : undefined;
}

function parseBody(request: PspRequest, method: string): { body: Body } | { error: AdyenErrorKind } {
  // The SDK sends an empty body with GET and DELETE; Adyen reads none there.
  if (method === 'GET' || method === 'DELETE') return { body: {} };
  if (request.bodyError !== undefined)
    return { error: { kind: 'body_malformed', detail: request.bodyError } };
  if (request.rawBody.length > requestBytesMax)
    return { error: { kind: 'body_too_large', bytesMax: requestBytesMax } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.rawBody);
  } catch (error) {
    return { error: { kind: 'body_malformed', detail: (error as Error).message } };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { error: { kind: 'body_malformed', detail: 'the body must be a JSON object' } };
  return { body: parsed as Body };
}

// A path that is not valid percent-encoding names no route.
function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a request in Adyen's order — credential, route, idempotency key, body — and returns
 * the first error, or the admitted request. Nothing here changes state.
 */
export function admit(
  runtime: AdyenRuntime,
  router: Router<AdyenHandler>,
  request: PspRequest,
  who: RequestIdentity,
): { readonly error: AdyenErrorKind } | { readonly admitted: AdmittedRequest } {
  if (who.credential === undefined) return { error: { kind: 'unauthorized' } };
  const path = unversioned(request.path);
  const match = path === undefined || !decodable(path) ? undefined : router.match(who.method, path);
  if (match === undefined) {
    const known = path !== undefined && decodable(path) && router.hasPath(path);
    return {
      error: { kind: known ? 'method_not_allowed' : 'not_found', method: who.method, path: request.path },
    };
  }
  if (who.idempotencyKey !== undefined && who.idempotencyKey.length > idempotencyKeyLengthMax)
    return { error: { kind: 'idempotency_key_too_long', lengthMax: idempotencyKeyLengthMax } };
  const parsed = parseBody(request, who.method);
  if ('error' in parsed) return parsed;
  return {
    admitted: {
      ...who,
      credential: who.credential,
      path: request.path,
      match,
      body: parsed.body,
      query: Object.fromEntries(new URLSearchParams(request.query)),
    },
  };
}
