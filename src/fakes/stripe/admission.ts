import type { AdmittedFacts, RequestIdentity as PipelineIdentity } from '../common/pipeline.ts';
import { requestBytesMax, type PspRequest } from '../common/psp-core.ts';
import type { Router, RouteMatch } from '../common/router.ts';
import { apiKeyOf, checkApiKey } from './auth.ts';
import { stripeApiVersion, type StripeHandler, type StripeRuntime } from './context.ts';
import type { StripeErrorKind } from './errors.ts';
import { decodeBody, decodeForm, type Params } from './params.ts';
import { platformScope } from './store.ts';
import { isKnownVersionFormat } from './versions.ts';

/** The request's identity, known before any check: for journaling and error answers. */
export interface RequestIdentity extends PipelineIdentity {
  readonly apiVersion: string;
  readonly scope: string;
  /** Headers every answer to this request carries. */
  readonly headers: Record<string, string>;
}

/** A request that passed the gate: authenticated, routed, decoded. */
export interface AdmittedRequest extends RequestIdentity, AdmittedFacts {
  readonly path: string;
  readonly apiKey: string | undefined;
  readonly match: RouteMatch<StripeHandler>;
  readonly params: Params;
}

export function identify(runtime: StripeRuntime, request: PspRequest): RequestIdentity {
  const requestId = runtime.ids.stripe('req_');
  const method = request.method.toUpperCase();
  const apiVersion = request.headers['stripe-version']?.split(';')[0]?.trim() || stripeApiVersion;
  return {
    requestId,
    method,
    apiVersion,
    scope: request.headers['stripe-account'] ?? platformScope,
    // Stripe keys POSTs only; GET and DELETE ignore the header.
    idempotencyKey: method === 'POST' ? request.headers['idempotency-key'] : undefined,
    headers: { 'request-id': requestId, 'stripe-version': apiVersion },
  };
}

/**
 * Checks a request in Stripe's order — key, version, account, route, body — and returns the
 * first error, or the admitted request. Nothing here changes state.
 */
export function admit(
  runtime: StripeRuntime,
  router: Router<StripeHandler>,
  request: PspRequest,
  who: RequestIdentity,
): { readonly error: StripeErrorKind } | { readonly admitted: AdmittedRequest } {
  const authProblem = checkApiKey(request.headers.authorization, request.path);
  if (authProblem !== undefined) return { error: authProblem };
  if (!isKnownVersionFormat(who.apiVersion)) {
    return { error: { kind: 'invalid_request', message: `Invalid Stripe API version: ${who.apiVersion}` } };
  }
  const apiKey = apiKeyOf(request.headers.authorization);
  if (who.scope !== platformScope && runtime.store.get(platformScope, 'account', who.scope) === undefined) {
    return { error: { kind: 'account_invalid', key: apiKey ?? '', account: who.scope } };
  }
  const match = router.match(who.method, request.path);
  if (match === undefined)
    return { error: { kind: 'unrecognized_url', method: who.method, path: request.path } };
  if (request.bodyError !== undefined) {
    return { error: { kind: 'body_malformed', message: `Invalid request body: ${request.bodyError}` } };
  }
  if (request.rawBody.length > requestBytesMax) {
    return {
      error: { kind: 'body_malformed', message: `Request body larger than ${requestBytesMax} bytes.` },
    };
  }
  let params: Params;
  try {
    params = {
      ...decodeForm(request.query),
      ...decodeBody(request.rawBody, request.headers['content-type']),
    };
  } catch (error) {
    return {
      error: { kind: 'body_malformed', message: `Invalid request body: ${(error as Error).message}` },
    };
  }
  return {
    admitted: {
      ...who,
      path: request.path,
      apiKey,
      match,
      params,
    },
  };
}
