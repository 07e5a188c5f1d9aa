import { canonicalJson, type JsonValue } from '../../sim/canonical-json.ts';
import { PspPipeline } from '../common/pipeline.ts';
import type { Gate, RequestIdentity } from '../common/psp-profile.ts';
import { requestBytesMax, type PspRequest } from '../common/psp-core.ts';
import type { RouteMatch } from '../common/router.ts';
import { apiKeyOf, checkApiKey } from './auth.ts';
import { stripeApiVersion, type StripeHandler, type StripeRuntime } from './context.ts';
import { beginWork, commitWork } from './engine.ts';
import { bodyTooLarge, savedUnderKey, stripeError, StripeFailure, type StripeErrorKind } from './errors.ts';
import { expandPaths } from './expand.ts';
import { decodeBody, decodeForm, type Params } from './params.ts';
import { sdkRetryKeyAliases } from './sdk-retry-keys.ts';
import { platformScope } from './store.ts';
import { stripeAnswerIndent } from './spilled-records.ts';
import { isKnownVersionFormat, renderForVersion } from './versions.ts';

/** Stripe keeps idempotency keys for at least 24 hours. */
export const idempotencyTtlMs = 24 * 3_600_000;

interface Who extends RequestIdentity {
  readonly apiVersion: string;
  readonly scope: string;
}

interface Admitted extends Who {
  readonly path: string;
  readonly apiKey: string | undefined;
  readonly match: RouteMatch<StripeHandler>;
  readonly params: Params;
}

/** The fake Stripe's core: Stripe's rules on the one request pipeline. */
export type StripeCore = PspPipeline<Who, Admitted, StripeErrorKind>;

/**
 * The transport-agnostic fake Stripe: authenticates, routes, applies idempotency (per account,
 * replays marked `Idempotent-Replayed`), runs the handler in one transaction and answers
 * pretty-printed JSON with `Request-Id` and `Stripe-Version`.
 */
export function stripeCore(runtime: StripeRuntime): StripeCore {
  const journalKey = sdkRetryKeyAliases();
  return new PspPipeline<Who, Admitted, StripeErrorKind>(runtime, {
    psp: 'stripe',
    idempotency: {
      header: 'idempotency-key',
      ttlMs: idempotencyTtlMs,
      scopeOf: (admitted) => admitted.scope,
      fingerprintOf: ({ method, path, params }) => `${method} ${path} ${canonicalJson(params as JsonValue)}`,
      mismatch: (key) => ({ kind: 'idempotency_mismatch', key }),
      inProgress: (key) => ({ kind: 'idempotency_in_use', key }),
      replayHeaders: (admitted, key, originalRequestId) => ({
        ...admitted.headers,
        'idempotent-replayed': 'true',
        'original-request': originalRequestId,
        'idempotency-key': key,
      }),
      echoKey: true,
      saves: (_status, error) => error === undefined || savedUnderKey(error),
    },
    wire: { contentType: 'application/json', indent: stripeAnswerIndent, retryAfterSeconds: 1 },
    errors: { rateLimited: { kind: 'rate_limited' }, internal: () => ({ kind: 'api_error' }) },
    identify: (request, claimed) => {
      const requestId = runtime.ids.stripe('req_');
      const apiVersion = request.headers['stripe-version']?.split(';')[0]?.trim() || stripeApiVersion;
      const scope = request.headers['stripe-account'] ?? platformScope;
      const headers = { 'request-id': requestId, 'stripe-version': apiVersion };
      return { ...claimed, requestId, apiVersion, scope, headers };
    },
    requestLine: (who, { body, ...rest }) => ({
      apiVersion: who.apiVersion,
      body,
      idempotencyKey: who.idempotencyKey === undefined ? null : journalKey(who.idempotencyKey),
      ...rest,
      scope: who.scope,
    }),
    admit: (request, who) => admit(runtime, request, who),
    explain: (error) => stripeError(error),
    failureOf: (thrown) => (thrown instanceof StripeFailure ? thrown : undefined),
    begin: (admitted) => {
      const work = beginWork(runtime, { ...admitted, nowSeconds: runtime.sim.clock.nowSeconds() });
      const { match, params, apiVersion } = admitted;
      const answer = () => {
        const body = match.route.handler(work.context, match.params);
        const expand = Array.isArray(params.expand) ? (params.expand as string[]) : undefined;
        const expanded = expand === undefined ? body : expandPaths(body, expand, work.context.tx);
        return { status: 200, body: renderForVersion(expanded, apiVersion) };
      };
      return { answer, commit: () => commitWork(runtime, work) };
    },
  });
}

/** Stripe's gate, in its order — key, version, account, route, body. Nothing here changes state. */
function admit(runtime: StripeRuntime, request: PspRequest, who: Who): Gate<Admitted, StripeErrorKind> {
  const { authorization } = request.headers;
  const authProblem = checkApiKey(authorization, request.path);
  if (authProblem !== undefined) return { error: authProblem };
  if (!isKnownVersionFormat(who.apiVersion))
    return { error: { kind: 'invalid_request', message: `Invalid Stripe API version: ${who.apiVersion}` } };
  const apiKey = apiKeyOf(authorization);
  if (who.scope !== platformScope && runtime.store.get(platformScope, 'account', who.scope) === undefined)
    return { error: { kind: 'account_invalid', key: apiKey ?? '', account: who.scope } };
  const match = runtime.routes.match(who.method, request.path);
  if (match === undefined)
    return { error: { kind: 'unrecognized_url', method: who.method, path: request.path } };
  const malformed = (problem: string): { readonly error: StripeErrorKind } => ({
    error: { kind: 'body_malformed', message: `Invalid request body: ${problem}` },
  });
  if (request.bodyError !== undefined) return malformed(request.bodyError);
  if (request.rawBody.length > requestBytesMax)
    return { error: { kind: 'body_malformed', message: bodyTooLarge } };
  try {
    const params = {
      ...decodeForm(request.query),
      ...decodeBody(request.rawBody, request.headers['content-type']),
    };
    return { admitted: { ...who, path: request.path, apiKey, match, params } };
  } catch (error) {
    return malformed((error as Error).message);
  }
}
