import type { AdmittedFacts, RequestIdentity as PipelineIdentity } from '../common/pipeline.ts';
import { requestBytesMax, type PspRequest } from '../common/psp-core.ts';
import type { Router, RouteMatch } from '../common/router.ts';
import { authenticate, claimedKeyId } from './auth.ts';
import type { RazorpayErrorKind } from './errors.ts';
import { decodeBody, decodeQuery, type Body } from './params.ts';
import { refundRoutePattern } from './routes.ts';
import type { RazorpayHandler, RazorpayRuntime } from './runtime.ts';

/** The request's identity, known before any check: for journaling and error answers. */
export interface RequestIdentity extends PipelineIdentity {
  /** The journal's id: Razorpay returns no request id of its own. */
  readonly requestId: string;
  readonly keyId: string | null;
}

/** A request that passed the gate: routed, authenticated, decoded. */
export interface AdmittedRequest extends RequestIdentity, AdmittedFacts {
  readonly keyId: string;
  readonly path: string;
  readonly match: RouteMatch<RazorpayHandler>;
  readonly body: Body;
  readonly query: Body;
}

export function identify(runtime: RazorpayRuntime, request: PspRequest): RequestIdentity {
  const method = request.method.toUpperCase();
  return {
    requestId: runtime.requestIds.razorpay('req_'),
    method,
    keyId: claimedKeyId(request.headers.authorization),
    idempotencyKey: method === 'POST' ? request.headers['x-refund-idempotency'] : undefined,
    headers: {},
  };
}

/** `X-Refund-Idempotency`: at least 10 characters of letters, digits, `-` and `_`. */
export function isIdempotencyKey(key: string): boolean {
  return /^[A-Za-z0-9_-]{10,}$/.test(key);
}

/**
 * Checks a request in Razorpay's order — route, credentials, body, idempotency key — and
 * returns the first error, or the admitted request. Nothing here changes state.
 */
export function admit(
  runtime: RazorpayRuntime,
  router: Router<RazorpayHandler>,
  request: PspRequest,
  who: RequestIdentity,
): { readonly error: RazorpayErrorKind } | { readonly admitted: AdmittedRequest } {
  let match: RouteMatch<RazorpayHandler> | undefined;
  try {
    match = router.match(who.method, request.path);
  } catch {
    // A path segment that is not valid percent-encoding names nothing Razorpay has.
    return { error: { kind: 'url_not_found', method: who.method, path: request.path } };
  }
  if (match === undefined)
    return {
      error: router.hasPath(request.path)
        ? { kind: 'method_not_allowed' }
        : { kind: 'url_not_found', method: who.method, path: request.path },
    };
  const auth = authenticate(request.headers.authorization, runtime.keys);
  if ('error' in auth) return auth;
  if (request.bodyError !== undefined || request.rawBody.length > requestBytesMax)
    return { error: { kind: 'body_malformed' } };
  const decoded = decodeBody(who.method, request.rawBody, request.headers['content-type']);
  if ('error' in decoded) return decoded;
  // Only refunds are idempotent at Razorpay; the header means nothing anywhere else.
  const refund = match.route.pattern === refundRoutePattern;
  const idempotencyKey = refund ? who.idempotencyKey : undefined;
  if (idempotencyKey !== undefined && !isIdempotencyKey(idempotencyKey))
    return { error: { kind: 'idempotency_key_invalid' } };
  return {
    admitted: {
      ...who,
      keyId: auth.key.keyId,
      idempotencyKey,
      path: request.path,
      match,
      body: decoded.body,
      query: decodeQuery(request.query),
    },
  };
}
