import { canonicalJson, type JsonValue } from '../../sim/canonical-json.ts';
import { PspPipeline } from '../common/pipeline.ts';
import type { Gate, RequestIdentity } from '../common/psp-profile.ts';
import { requestBytesMax, type PspRequest } from '../common/psp-core.ts';
import { Router, type RouteMatch } from '../common/router.ts';
import { authenticate, claimedKeyId } from './auth.ts';
import { razorpayError, RazorpayFailure, type RazorpayErrorKind } from './errors.ts';
import { decodeBody, decodeQuery, type Body } from './params.ts';
import { razorpayRoutes, refundRoutePattern } from './routes.ts';
import type { RazorpayHandler, RazorpayRuntime } from './runtime.ts';
import { beginWork, finishWork } from './work.ts';

/** Razorpay publishes no retention for refund idempotency keys; the fake keeps them a day. */
export const idempotencyTtlMs = 24 * 3_600_000;

interface Who extends RequestIdentity {
  readonly keyId: string | null;
}

interface Admitted extends Who {
  readonly keyId: string;
  readonly path: string;
  readonly match: RouteMatch<RazorpayHandler>;
  readonly body: Body;
  readonly query: Body;
}

/** The fake Razorpay's core: Razorpay's rules on the one request pipeline. */
export type RazorpayCore = PspPipeline<Who, Admitted, RazorpayErrorKind>;

/**
 * The transport-agnostic fake Razorpay: routes, authenticates (Basic key_id:key_secret),
 * applies refund idempotency (`X-Refund-Idempotency`: only a refund that was made is
 * remembered, one scope per account), runs the handler in one unit of work and answers compact JSON.
 */
export function razorpayCore(runtime: RazorpayRuntime): RazorpayCore {
  const router = new Router(razorpayRoutes);
  return new PspPipeline<Who, Admitted, RazorpayErrorKind>(runtime, {
    psp: 'razorpay',
    idempotency: {
      header: 'x-refund-idempotency',
      ttlMs: idempotencyTtlMs,
      scopeOf: () => 'account',
      fingerprintOf: (admitted) => `${admitted.path} ${canonicalJson(admitted.body as JsonValue)}`,
      mismatch: () => ({ kind: 'idempotency_mismatch' }),
      inProgress: () => ({ kind: 'idempotency_in_progress' }),
      replayHeaders: () => ({}),
      echoKey: false,
      saves: (_status, error) => error === undefined,
    },
    // Razorpay sends no Retry-After: a 429 carries one only when the fault plan names it.
    wire: { contentType: 'application/json' },
    errors: { rateLimited: { kind: 'rate_limited' }, internal: () => ({ kind: 'server_error' }) },
    identify: (request, claimed) => {
      const keyId = claimedKeyId(request.headers.authorization);
      return { ...claimed, requestId: runtime.requestIds.razorpay('req_'), keyId, headers: {} };
    },
    requestLine: ({ keyId, idempotencyKey = null }, { body, ...more }) => ({
      body,
      idempotencyKey,
      keyId,
      ...more,
    }),
    admit: (request, who) => admit(runtime, router, request, who),
    explain: (error) => razorpayError(error),
    failureOf: (thrown) => (thrown instanceof RazorpayFailure ? thrown : undefined),
    begin: ({ body, query, keyId, requestId, idempotencyKey = null, match }) => {
      const work = beginWork(runtime, { body, query, keyId, cause: { requestId, idempotencyKey } });
      const run = () => match.route.handler(work.context, match.params);
      // The handler's changes commit together when it returns, or not at all when it throws.
      return {
        answer: () => ({ status: 200, body: runtime.store.unit.run(run) }),
        commit: () => finishWork(work),
      };
    },
  });
}

/** Razorpay's gate, in its order — route, credentials, body, idempotency key. Nothing here changes state. */
function admit(
  runtime: RazorpayRuntime,
  router: Router<RazorpayHandler>,
  request: PspRequest,
  who: Who,
): Gate<Admitted, RazorpayErrorKind> {
  const { method } = who;
  const { path } = request;
  const match = router.match(method, path);
  if (match === undefined)
    return {
      error: router.hasPath(path) ? { kind: 'method_not_allowed' } : { kind: 'url_not_found', method, path },
    };
  const auth = authenticate(request.headers.authorization, runtime.keys);
  if ('error' in auth) return auth;
  if (request.bodyError !== undefined || request.rawBody.length > requestBytesMax)
    return { error: { kind: 'body_malformed' } };
  const decoded = decodeBody(method, request.rawBody, request.headers['content-type']);
  if ('error' in decoded) return decoded;
  // Only refunds are idempotent at Razorpay; the header means nothing anywhere else. A key is
  // at least 10 characters of letters, digits, `-` and `_`.
  const idempotencyKey = match.route.pattern === refundRoutePattern ? who.idempotencyKey : undefined;
  if (idempotencyKey !== undefined && !/^[A-Za-z0-9_-]{10,}$/.test(idempotencyKey))
    return { error: { kind: 'idempotency_key_invalid' } };
  const query = decodeQuery(request.query);
  return {
    admitted: { ...who, keyId: auth.key.keyId, idempotencyKey, path, match, body: decoded.body, query },
  };
}
