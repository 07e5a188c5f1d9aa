import { canonicalJson, type JsonValue } from '../../sim/canonical-json.ts';
import { IdempotencyStore } from '../common/idempotency.ts';
import type { PspCore, PspRequest, PspResult } from '../common/psp-core.ts';
import { Router } from '../common/router.ts';
import { admit, identify, type AdmittedRequest, type RequestIdentity } from './admission.ts';
import type { StripeHandler, StripeRuntime } from './context.ts';
import { beginWork, commitWork } from './engine.ts';
import { stripeError, StripeFailure, type StripeErrorKind } from './errors.ts';
import { expandPaths } from './expand.ts';
import { delayOf, faultResult, render } from './render.ts';
import { stripeRoutes } from './routes.ts';
import { renderForVersion } from './versions.ts';
import { errorFields } from '../common/error-summary.ts';

export { requestBytesMax } from './admission.ts';

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

/** A request admitted and holding its idempotency key, ready to run. */
type Ready = { readonly done: PspResult } | { readonly admitted: AdmittedRequest };

/**
 * The transport-agnostic fake Stripe: authenticates, routes, applies idempotency, runs the
 * handler in one transaction and renders the answer with `Request-Id` and Stripe's headers.
 */
export class StripeCore implements PspCore {
  readonly psp = 'stripe';
  readonly runtime: StripeRuntime;
  readonly idempotency = new IdempotencyStore({ ttlMs: idempotencyTtlMs });
  readonly #router = new Router<StripeHandler>(stripeRoutes);
  readonly #sdkKeyAliases = new Map<string, string>();

  constructor(runtime: StripeRuntime) {
    this.runtime = runtime;
  }

  /** Handles a request; a `stall` fault keeps it in flight until virtual time has passed. */
  async handle(request: PspRequest): Promise<PspResult> {
    const ready = this.#prepare(request);
    if ('done' in ready) return ready.done;
    if (ready.admitted.before?.kind === 'stall') {
      await this.runtime.sim.clock.sleep(
        delayOf(ready.admitted.before),
        `stalled ${ready.admitted.requestId}`,
      );
    }
    return this.#complete(ready.admitted);
  }

  /** Handles a request synchronously: a stall becomes plain latency. */
  handleNow(request: PspRequest): PspResult {
    const ready = this.#prepare(request);
    if ('done' in ready) return ready.done;
    if (ready.admitted.before?.kind === 'stall')
      this.runtime.sim.clock.advanceBy(delayOf(ready.admitted.before));
    return this.#complete(ready.admitted);
  }

  #prepare(request: PspRequest): Ready {
    const { sim } = this.runtime;
    // Background work that fell due (test-clock advances, auto-advancing invoices) runs first.
    sim.clock.runDue();
    const who = identify(this.runtime, request);
    this.#journalRequest(who, request);
    const gate = admit(this.runtime, this.#router, request, who);
    if ('error' in gate) return { done: this.#fail(who, gate.error) };
    const admitted = gate.admitted;
    const faulted = admitted.before === undefined ? undefined : faultResult(admitted.before, who.headers);
    if (faulted !== undefined) return { done: this.#respond(who, faulted) };
    if (admitted.before?.kind === 'latency') sim.clock.advanceBy(delayOf(admitted.before));
    const key = who.idempotencyKey;
    if (key === undefined) return { admitted };
    const decision = this.idempotency.begin({
      scope: who.scope,
      key,
      requestId: who.requestId,
      nowMs: sim.clock.nowMs(),
      fingerprint: `${who.method} ${admitted.path} ${canonicalJson(admitted.params as JsonValue)}`,
    });
    if (decision.kind === 'mismatch') return { done: this.#fail(who, { kind: 'idempotency_mismatch', key }) };
    if (decision.kind === 'in_progress')
      return { done: this.#fail(who, { kind: 'idempotency_in_use', key }) };
    if (decision.kind === 'replay') {
      const headers = {
        ...decision.response.headers,
        ...who.headers,
        'idempotent-replayed': 'true',
        'original-request': decision.originalRequestId,
        'idempotency-key': key,
      };
      return {
        done: this.#respond(
          who,
          this.#afterFaults(admitted, { response: { ...decision.response, headers }, events: [] }),
        ),
      };
    }
    return { admitted };
  }

  #complete(admitted: AdmittedRequest): PspResult {
    const key = admitted.idempotencyKey;
    const result = this.#execute(admitted);
    if (key !== undefined) {
      if (result.saved) this.idempotency.finish(admitted.scope, key, result.response);
      else this.idempotency.release(admitted.scope, key);
    }
    const headers =
      key === undefined ? result.response.headers : { ...result.response.headers, 'idempotency-key': key };
    return this.#respond(
      admitted,
      this.#afterFaults(admitted, { response: { ...result.response, headers }, events: result.events }),
    );
  }

  // The PSP has acted (and saved the response under the key); the client may never see it.
  // A replayed response can be lost just the same.
  #afterFaults(admitted: AdmittedRequest, result: PspResult): PspResult {
    const after = this.runtime.faults.api('after', admitted.facts);
    if (after === undefined) return result;
    if (after.kind === 'latency' || after.kind === 'stall') this.runtime.sim.clock.advanceBy(delayOf(after));
    const lost = faultResult(after, admitted.headers);
    return lost === undefined ? result : { ...lost, events: result.events };
  }

  #execute(admitted: AdmittedRequest): PspResult & { saved: boolean } {
    const work = beginWork(this.runtime, {
      scope: admitted.scope,
      params: admitted.params,
      requestId: admitted.requestId,
      idempotencyKey: admitted.idempotencyKey,
      apiVersion: admitted.apiVersion,
      apiKey: admitted.apiKey,
      nowSeconds: this.runtime.sim.clock.nowSeconds(),
    });
    try {
      const body = admitted.match.route.handler(work.context, admitted.match.params);
      const expand = admitted.params.expand;
      const expanded = Array.isArray(expand) ? expandPaths(body, expand as string[], work.context.tx) : body;
      const events = commitWork(this.runtime, work);
      const shaped = renderForVersion(expanded, admitted.apiVersion);
      return { response: render(200, shaped, admitted.headers), events, saved: true };
    } catch (error) {
      if (error instanceof StripeFailure) {
        const rendered = stripeError(error.error);
        // A payment (or setup) attempt that was declined is an outcome: the intent now carries
        // its last error. A card refused before any attempt (on attach) changes nothing.
        const attempted =
          error.error.kind === 'card_declined' &&
          (error.error.paymentIntent !== undefined || error.error.setupIntent !== undefined);
        const events = attempted ? commitWork(this.runtime, work) : [];
        const saved = !unsavedErrors.has(error.error.kind);
        return { response: render(rendered.status, rendered.body, admitted.headers), events, saved };
      }
      this.runtime.sim.journal.append({
        kind: 'note',
        psp: 'stripe',
        data: { internalError: String(error) },
      });
      const rendered = stripeError({ kind: 'api_error' });
      return { response: render(rendered.status, rendered.body, admitted.headers), events: [], saved: true };
    }
  }

  #fail(who: RequestIdentity, error: StripeErrorKind): PspResult {
    const rendered = stripeError(error);
    return this.#respond(who, { response: render(rendered.status, rendered.body, who.headers), events: [] });
  }

  #respond(who: RequestIdentity, result: PspResult): PspResult {
    this.runtime.sim.journal.append({
      kind: 'response',
      psp: 'stripe',
      data: {
        requestId: who.requestId,
        status: result.response.status,
        events: result.events.map((event) => event.id),
        ...errorFields(result.response),
      },
    });
    return result;
  }

  #journalRequest(who: RequestIdentity, request: PspRequest): void {
    const key = who.idempotencyKey;
    this.runtime.sim.journal.append({
      kind: 'request',
      psp: 'stripe',
      data: {
        requestId: who.requestId,
        method: who.method,
        path: request.path,
        query: request.query,
        body: request.rawBody,
        scope: who.scope,
        idempotencyKey: key === undefined ? null : this.#journalKey(key),
        apiVersion: who.apiVersion,
      },
    });
  }

  // stripe-node mints `stripe-node-retry-<uuid4>` keys; the journal names them by first use so
  // the same SUT run gives the same journal hash.
  #journalKey(key: string): string {
    if (!/^stripe-node-retry-[0-9a-f-]{36}$/.test(key)) return key;
    let alias = this.#sdkKeyAliases.get(key);
    if (alias === undefined)
      this.#sdkKeyAliases.set(key, (alias = `stripe-node-retry-#${this.#sdkKeyAliases.size + 1}`));
    return alias;
  }
}
