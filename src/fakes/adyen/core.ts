import { IdempotencyStore } from '../common/idempotency.ts';
import type { PspCore, PspEvent, PspRequest, PspResult } from '../common/psp-core.ts';
import { Router } from '../common/router.ts';
import { admit, identify, type AdmittedRequest, type RequestIdentity } from './admission.ts';
import { AdyenFailure, type AdyenErrorKind } from './errors.ts';
import { delayOf, faultResult, render, renderError } from './render.ts';
import { adyenRoutes } from './routes.ts';
import type { AdyenContext, AdyenRuntime, QueuedNotification } from './runtime.ts';
import { notify } from './webhooks.ts';
import { errorFields } from '../common/error-summary.ts';

/** Adyen keeps idempotency keys for at least 7 days. */
export const idempotencyTtlMs = 7 * 24 * 3_600_000;

/**
 * Adyen documents no behaviour for a key reused with a different body; fakepsp replays the
 * first response (what a key-per-operation store does), so every request with one key has one
 * fingerprint.
 */
const keyFingerprint = 'adyen-idempotency-key';

/** A request admitted and holding its idempotency key, ready to run. */
type Ready = { readonly done: PspResult } | { readonly admitted: AdmittedRequest };

/**
 * The transport-agnostic fake Adyen Checkout API: authenticates, routes, applies idempotency
 * (scoped per API key), runs the handler and renders Adyen's answer with a `pspReference`
 * header; a `stall` fault keeps a request in flight until virtual time has passed.
 */
export class AdyenCore implements PspCore {
  readonly psp = 'adyen';
  readonly runtime: AdyenRuntime;
  readonly idempotency = new IdempotencyStore({ ttlMs: idempotencyTtlMs });
  readonly #router = new Router(adyenRoutes);

  constructor(runtime: AdyenRuntime) {
    this.runtime = runtime;
  }

  async handle(request: PspRequest): Promise<PspResult> {
    const ready = this.#prepare(request);
    if ('done' in ready) return ready.done;
    if (ready.admitted.before?.kind === 'stall') {
      await this.runtime.sim.clock.sleep(
        delayOf(ready.admitted.before),
        `adyen: stalled ${ready.admitted.pspReference}`,
      );
    }
    return this.#complete(ready.admitted);
  }

  #prepare(request: PspRequest): Ready {
    const { sim } = this.runtime;
    // Background work that fell due (delayed captures) runs first.
    sim.clock.runDue();
    const who = identify(this.runtime, request);
    this.#journalRequest(who, request);
    const gate = admit(this.runtime, this.#router, request, who);
    if ('error' in gate) return { done: this.#fail(who, gate.error) };
    const admitted = gate.admitted;
    const faulted =
      admitted.before === undefined ? undefined : faultResult(admitted.before, who.pspReference, who.headers);
    if (faulted !== undefined) return { done: this.#respond(who, faulted) };
    if (admitted.before?.kind === 'latency') sim.clock.advanceBy(delayOf(admitted.before));
    const key = who.idempotencyKey;
    if (key === undefined) return { admitted };
    const decision = this.idempotency.begin({
      scope: admitted.credential.scope,
      key,
      requestId: who.pspReference,
      nowMs: sim.clock.nowMs(),
      fingerprint: keyFingerprint,
    });
    if (decision.kind === 'in_progress' || decision.kind === 'mismatch')
      return { done: this.#fail(who, { kind: 'idempotency_in_progress' }) };
    if (decision.kind === 'replay') {
      // The first response, byte for byte, with the key echoed as Adyen does.
      const headers = { ...decision.response.headers, 'idempotency-key': key };
      const replayed = { response: { ...decision.response, headers }, events: [] };
      sim.journal.append({
        kind: 'note',
        psp: 'adyen',
        data: { requestId: who.pspReference, idempotentReplayOf: decision.originalRequestId },
      });
      return { done: this.#respond(who, this.#afterFaults(admitted, replayed)) };
    }
    return { admitted };
  }

  #complete(admitted: AdmittedRequest): PspResult {
    const key = admitted.idempotencyKey;
    const result = this.#execute(admitted);
    const saved = result.response.status < 400;
    const headers =
      key === undefined ? result.response.headers : { ...result.response.headers, 'idempotency-key': key };
    const response = { ...result.response, headers };
    if (key !== undefined) {
      if (saved) this.idempotency.finish(admitted.credential.scope, key, response);
      else this.idempotency.release(admitted.credential.scope, key);
    }
    return this.#respond(admitted, this.#afterFaults(admitted, { response, events: result.events }));
  }

  // Adyen has acted (and saved the response under the key); the client may never see it.
  #afterFaults(admitted: AdmittedRequest, result: PspResult): PspResult {
    const after = this.runtime.faults.api('after', admitted.facts);
    if (after === undefined) return result;
    if (after.kind === 'latency' || after.kind === 'stall') this.runtime.sim.clock.advanceBy(delayOf(after));
    const lost = faultResult(after, admitted.pspReference, admitted.headers);
    return lost === undefined ? result : { ...lost, events: result.events };
  }

  #execute(admitted: AdmittedRequest): PspResult {
    const queued: QueuedNotification[] = [];
    const context: AdyenContext = {
      runtime: this.runtime,
      body: admitted.body,
      query: admitted.query,
      pspReference: admitted.pspReference,
      idempotencyKey: admitted.idempotencyKey ?? null,
      nowMs: this.runtime.sim.clock.nowMs(),
      emit: (draft, objectId) => queued.push({ draft, objectId }),
    };
    try {
      const answer = admitted.match.route.handler(context, admitted.match.params);
      const cause = { requestId: admitted.pspReference, idempotencyKey: context.idempotencyKey };
      const events: PspEvent[] = queued.map((entry) =>
        notify(this.runtime, entry.draft, entry.objectId, cause),
      );
      return { response: render(answer.status, answer.body, admitted.headers), events };
    } catch (error) {
      if (error instanceof AdyenFailure)
        return { response: renderError(error.error, admitted.pspReference, admitted.headers), events: [] };
      this.runtime.sim.journal.append({ kind: 'note', psp: 'adyen', data: { internalError: String(error) } });
      return {
        response: renderError({ kind: 'internal' }, admitted.pspReference, admitted.headers),
        events: [],
      };
    }
  }

  #fail(who: RequestIdentity, error: AdyenErrorKind): PspResult {
    return this.#respond(who, { response: renderError(error, who.pspReference, who.headers), events: [] });
  }

  #respond(who: RequestIdentity, result: PspResult): PspResult {
    this.runtime.sim.journal.append({
      kind: 'response',
      psp: 'adyen',
      data: {
        requestId: who.pspReference,
        status: result.response.status,
        events: result.events.map((event) => event.id),
        ...errorFields(result.response),
      },
    });
    return result;
  }

  #journalRequest(who: RequestIdentity, request: PspRequest): void {
    this.runtime.sim.journal.append({
      kind: 'request',
      psp: 'adyen',
      data: {
        requestId: who.pspReference,
        method: who.method,
        path: request.path,
        query: request.query,
        body: request.rawBody,
        credential: who.credential?.label ?? null,
        idempotencyKey: who.idempotencyKey ?? null,
      },
    });
  }
}
