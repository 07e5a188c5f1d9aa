import { canonicalJson, type JsonValue } from '../../sim/canonical-json.ts';
import type { ApiFaultEffect, ApiRequestFacts } from '../common/faults.ts';
import { IdempotencyStore } from '../common/idempotency.ts';
import type { PspCore, PspRequest, PspResponse, PspResult } from '../common/psp-core.ts';
import { Router, type RouteMatch } from '../common/router.ts';
import { apiKeyOf, checkApiKey } from './auth.ts';
import { stripeApiVersion, type StripeHandler, type StripeRuntime } from './context.ts';
import { beginWork, commitWork } from './engine.ts';
import { stripeError, StripeFailure, type StripeErrorKind } from './errors.ts';
import { expandPaths } from './expand.ts';
import { isKnownVersionFormat, renderForVersion } from './versions.ts';
import { decodeBody, decodeForm, type Params } from './params.ts';
import { stripeRoutes } from './routes.ts';
import { platformScope } from './store.ts';

/** Stripe keeps idempotency keys for at least 24 hours. */
export const idempotencyTtlMs = 24 * 3_600_000;

/** Largest request body the fake accepts, whatever the transport. */
export const requestBytesMax = 1024 * 1024;

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

/**
 * The transport-agnostic fake Stripe: authenticates, routes, applies idempotency, runs the
 * handler in one transaction and renders the answer with `Request-Id` and Stripe's headers.
 */
export class StripeCore implements PspCore {
  readonly psp = 'stripe';
  readonly runtime: StripeRuntime;
  readonly idempotency = new IdempotencyStore({ ttlMs: idempotencyTtlMs });
  readonly #router = new Router<StripeHandler>(stripeRoutes);

  constructor(runtime: StripeRuntime) {
    this.runtime = runtime;
  }

  handle(request: PspRequest): Promise<PspResult> {
    return Promise.resolve(this.handleNow(request));
  }

  /** Handles a request synchronously: the whole request is one step of virtual time. */
  handleNow(request: PspRequest): PspResult {
    const { sim } = this.runtime;
    // Background work that fell due (test-clock advances, auto-advancing invoices) runs first.
    sim.clock.runDue();
    const requestId = this.runtime.ids.stripe('req_');
    const method = request.method.toUpperCase();
    const apiVersion = request.headers['stripe-version']?.split(';')[0]?.trim() || stripeApiVersion;
    const scope = request.headers['stripe-account'] ?? platformScope;
    const key = method === 'POST' ? request.headers['idempotency-key'] : undefined;
    sim.journal.append({
      kind: 'request',
      psp: 'stripe',
      data: {
        requestId,
        method,
        path: request.path,
        query: request.query,
        body: request.rawBody,
        scope,
        idempotencyKey: key === undefined ? null : this.#journalKey(key),
        apiVersion,
      },
    });
    const base = { 'request-id': requestId, 'stripe-version': apiVersion };
    const respond = (result: PspResult): PspResult => {
      sim.journal.append({
        kind: 'response',
        psp: 'stripe',
        data: { requestId, status: result.response.status, events: result.events.map((event) => event.id) },
      });
      return result;
    };
    const failWith = (error: StripeErrorKind) =>
      respond({ response: render(stripeError(error).status, stripeError(error).body, base), events: [] });

    const authProblem = checkApiKey(request.headers.authorization, request.path);
    if (authProblem !== undefined) return failWith(authProblem);
    if (!isKnownVersionFormat(apiVersion)) {
      return failWith({ kind: 'invalid_request', message: `Invalid Stripe API version: ${apiVersion}` });
    }
    if (scope !== platformScope && this.runtime.store.get(platformScope, 'account', scope) === undefined) {
      return failWith({
        kind: 'account_invalid',
        key: apiKeyOf(request.headers.authorization) ?? '',
        account: scope,
      });
    }
    const match = this.#router.match(method, request.path);
    if (match === undefined) return failWith({ kind: 'unrecognized_url', method, path: request.path });
    if (request.bodyError !== undefined) {
      return failWith({ kind: 'body_malformed', message: `Invalid request body: ${request.bodyError}` });
    }
    if (request.rawBody.length > requestBytesMax) {
      return failWith({
        kind: 'body_malformed',
        message: `Request body larger than ${requestBytesMax} bytes.`,
      });
    }
    let params: Params;
    try {
      params = {
        ...decodeForm(request.query),
        ...decodeBody(request.rawBody, request.headers['content-type']),
      };
    } catch (error) {
      return failWith({
        kind: 'body_malformed',
        message: `Invalid request body: ${(error as Error).message}`,
      });
    }

    const facts = { psp: 'stripe' as const, method, path: request.path, requestId };
    const before = this.runtime.faults.api('before', facts);
    if (before !== undefined) {
      const faulted = faultResult(before, base, () => sim.clock.advanceBy(latencyOf(before)));
      if (faulted !== undefined) return respond(faulted);
    }
    if (key !== undefined) {
      const decision = this.idempotency.begin({
        scope,
        key,
        requestId,
        nowMs: sim.clock.nowMs(),
        fingerprint: `${method} ${request.path} ${canonicalJson(params as JsonValue)}`,
      });
      if (decision.kind === 'mismatch') return failWith({ kind: 'idempotency_mismatch', key });
      if (decision.kind === 'in_progress') return failWith({ kind: 'idempotency_in_use', key });
      if (decision.kind === 'replay') {
        const headers = {
          ...decision.response.headers,
          ...base,
          'idempotent-replayed': 'true',
          'original-request': decision.originalRequestId,
          'idempotency-key': key,
        };
        return respond(
          this.#afterFaults(facts, { response: { ...decision.response, headers }, events: [] }, base),
        );
      }
    }
    const apiKey = apiKeyOf(request.headers.authorization);
    const result = this.#execute(match, { params, scope, requestId, key, apiVersion, apiKey }, base);
    if (key !== undefined) {
      if (result.saved) this.idempotency.finish(scope, key, result.response);
      else this.idempotency.release(scope, key);
    }
    const headers =
      key === undefined ? result.response.headers : { ...result.response.headers, 'idempotency-key': key };
    return respond(
      this.#afterFaults(facts, { response: { ...result.response, headers }, events: result.events }, base),
    );
  }

  // The PSP has acted (and saved the response under the key); the client may never see it.
  // A replayed response can be lost just the same.
  #afterFaults(facts: ApiRequestFacts, result: PspResult, base: Record<string, string>): PspResult {
    const after = this.runtime.faults.api('after', facts);
    if (after === undefined) return result;
    const lost = faultResult(after, base, () => this.runtime.sim.clock.advanceBy(latencyOf(after)));
    return lost === undefined ? result : { ...lost, events: result.events };
  }

  // stripe-node mints `stripe-node-retry-<uuid4>` keys; the journal names them by first use so
  // the same SUT run gives the same journal hash.
  readonly #sdkKeyAliases = new Map<string, string>();
  #journalKey(key: string): string {
    if (!/^stripe-node-retry-[0-9a-f-]{36}$/.test(key)) return key;
    let alias = this.#sdkKeyAliases.get(key);
    if (alias === undefined)
      this.#sdkKeyAliases.set(key, (alias = `stripe-node-retry-#${this.#sdkKeyAliases.size + 1}`));
    return alias;
  }

  #execute(
    match: RouteMatch<StripeHandler>,
    request: {
      params: Params;
      scope: string;
      requestId: string;
      key: string | undefined;
      apiVersion: string;
      apiKey: string | undefined;
    },
    headers: Record<string, string>,
  ): PspResult & { saved: boolean } {
    const work = beginWork(this.runtime, {
      scope: request.scope,
      params: request.params,
      requestId: request.requestId,
      idempotencyKey: request.key,
      apiVersion: request.apiVersion,
      apiKey: request.apiKey,
      nowSeconds: this.runtime.sim.clock.nowSeconds(),
    });
    try {
      const body = match.route.handler(work.context, match.params);
      const expand = request.params.expand;
      const expanded = Array.isArray(expand) ? expandPaths(body, expand as string[], work.context.tx) : body;
      const events = commitWork(this.runtime, work);
      const shaped = renderForVersion(expanded, request.apiVersion);
      return { response: render(200, shaped, headers), events, saved: true };
    } catch (error) {
      if (error instanceof StripeFailure) {
        const rendered = stripeError(error.error);
        // A decline is a committed outcome: the PaymentIntent now carries last_payment_error.
        const events = error.error.kind === 'card_declined' ? commitWork(this.runtime, work) : [];
        return {
          response: render(rendered.status, rendered.body, headers),
          events,
          saved: !unsavedErrors.has(error.error.kind),
        };
      }
      this.runtime.sim.journal.append({
        kind: 'note',
        psp: 'stripe',
        data: { internalError: String(error) },
      });
      const rendered = stripeError({ kind: 'api_error' });
      return { response: render(rendered.status, rendered.body, headers), events: [], saved: true };
    }
  }
}

function render(status: number, body: unknown, headers: Record<string, string>): PspResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body, null, 2),
  };
}

function latencyOf(effect: ApiFaultEffect): number {
  return effect.kind === 'latency' ? effect.delayMs : 0;
}

// What the client gets under an API fault; `undefined` means "carry on" (latency only).
function faultResult(
  effect: ApiFaultEffect,
  headers: Record<string, string>,
  wait: () => void,
): PspResult | undefined {
  switch (effect.kind) {
    case 'latency':
      wait();
      return undefined;
    case 'reset':
    case 'timeout':
      return { response: render(502, {}, headers), events: [], directive: { kind: effect.kind } };
    case 'rate_limit': {
      const rendered = stripeError({ kind: 'rate_limited' });
      const retryAfter = String(effect.retryAfterSeconds ?? 1);
      return {
        response: render(rendered.status, rendered.body, { ...headers, 'retry-after': retryAfter }),
        events: [],
      };
    }
    case 'server_error': {
      const rendered = stripeError({ kind: 'api_error' });
      return { response: render(effect.status ?? rendered.status, rendered.body, headers), events: [] };
    }
  }
}
