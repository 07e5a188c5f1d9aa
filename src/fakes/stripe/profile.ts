import { canonicalJson, type JsonValue } from '../../sim/canonical-json.ts';
import { faultAnswer } from '../common/fault-answers.ts';
import { PspPipeline, type Executed } from '../common/pipeline.ts';
import { admit, identify, type AdmittedRequest, type RequestIdentity } from './admission.ts';
import type { StripeRuntime } from './context.ts';
import { beginWork, commitWork } from './engine.ts';
import { StripeFailure, type StripeErrorKind } from './errors.ts';
import { expandPaths } from './expand.ts';
import { render, renderError, stripeFaultAnswers } from './render.ts';
import { renderForVersion } from './versions.ts';

/** Stripe keeps idempotency keys for at least 24 hours. */
export const idempotencyTtlMs = 24 * 3_600_000;

// Errors raised before execution begins are not saved under an idempotency key.
const unsavedErrors = new Set<StripeErrorKind['kind']>([
  'parameter_unknown',
  'parameter_missing',
  'parameter_invalid',
  'body_malformed',
  'api_key_missing',
  'api_key_invalid',
  'live_key_refused',
  'rate_limited',
]);

/** The fake Stripe's core: Stripe's rules on the one request pipeline. */
export type StripeCore = PspPipeline<RequestIdentity, AdmittedRequest, StripeErrorKind>;

/**
 * The transport-agnostic fake Stripe: authenticates, routes, applies idempotency (per account,
 * replays marked `Idempotent-Replayed`), runs the handler in one transaction and renders the
 * answer with `Request-Id` and Stripe's headers.
 */
export function stripeCore(runtime: StripeRuntime): StripeCore {
  const journalKey = sdkKeyAliases();
  return new PspPipeline<RequestIdentity, AdmittedRequest, StripeErrorKind>({
    psp: 'stripe',
    sim: runtime.sim,
    faults: runtime.faults,
    idempotency: {
      ttlMs: idempotencyTtlMs,
      scopeOf: (admitted) => admitted.scope,
      fingerprintOf: (admitted) =>
        `${admitted.method} ${admitted.path} ${canonicalJson(admitted.params as JsonValue)}`,
      mismatch: (key) => ({ kind: 'idempotency_mismatch', key }),
      inProgress: (key) => ({ kind: 'idempotency_in_use', key }),
      replayHeaders: (admitted, key, originalRequestId) => ({
        ...admitted.headers,
        'idempotent-replayed': 'true',
        'original-request': originalRequestId,
        'idempotency-key': key,
      }),
      echoKey: true,
    },
    identify: (request) => identify(runtime, request),
    requestLine: (who, request) => ({
      path: request.path,
      query: request.query,
      body: request.rawBody,
      scope: who.scope,
      idempotencyKey: who.idempotencyKey === undefined ? null : journalKey(who.idempotencyKey),
      apiVersion: who.apiVersion,
    }),
    admit: (request, who) => admit(runtime, runtime.routes, request, who),
    refuse: (error, who) => renderError(error, who.headers),
    faulted: (effect, who) => faultAnswer(effect, stripeFaultAnswers(who.headers)),
    execute: (admitted) => execute(runtime, admitted),
  });
}

// stripe-node mints `stripe-node-retry-<uuid4>` keys; the journal names them by first use so
// the same SUT run gives the same journal hash.
function sdkKeyAliases(): (key: string) => string {
  const aliases = new Map<string, string>();
  return (key) => {
    if (!/^stripe-node-retry-[0-9a-f-]{36}$/.test(key)) return key;
    let alias = aliases.get(key);
    if (alias === undefined) aliases.set(key, (alias = `stripe-node-retry-#${aliases.size + 1}`));
    return alias;
  };
}

function execute(runtime: StripeRuntime, admitted: AdmittedRequest): Executed {
  const work = beginWork(runtime, {
    scope: admitted.scope,
    params: admitted.params,
    requestId: admitted.requestId,
    idempotencyKey: admitted.idempotencyKey,
    apiVersion: admitted.apiVersion,
    apiKey: admitted.apiKey,
    nowSeconds: runtime.sim.clock.nowSeconds(),
  });
  try {
    const body = admitted.match.route.handler(work.context, admitted.match.params);
    const expand = admitted.params.expand;
    const expanded = Array.isArray(expand) ? expandPaths(body, expand as string[], work.context.tx) : body;
    const events = commitWork(runtime, work);
    return {
      response: render(200, renderForVersion(expanded, admitted.apiVersion), admitted.headers),
      events,
      saved: true,
    };
  } catch (error) {
    if (error instanceof StripeFailure) {
      // A declined attempt commits what it wrote (see failAttempt); any other error, nothing.
      const events = error.commits ? commitWork(runtime, work) : [];
      return {
        response: renderError(error.error, admitted.headers),
        events,
        saved: !unsavedErrors.has(error.error.kind),
      };
    }
    runtime.sim.journal.append({ kind: 'note', psp: 'stripe', data: { internalError: String(error) } });
    return { response: renderError({ kind: 'api_error' }, admitted.headers), events: [], saved: true };
  }
}
