import { canonicalJson, type JsonValue } from '../../sim/canonical-json.ts';
import { IdempotencyStore } from '../common/idempotency.ts';
import type { PspCore, PspRequest, PspResult } from '../common/psp-core.ts';
import { Router } from '../common/router.ts';
import { admit, identify, type AdmittedRequest, type RequestIdentity } from './admission.ts';
import { RazorpayFailure, type RazorpayErrorKind } from './errors.ts';
import { delayOf, faultResult, render, renderError } from './render.ts';
import { razorpayRoutes } from './routes.ts';
import type { RazorpayRuntime } from './runtime.ts';
import { beginWork, finishWork } from './work.ts';
import { errorFields } from '../common/error-summary.ts';

/** Razorpay publishes no retention for refund idempotency keys; the fake keeps them a day. */
export const idempotencyTtlMs = 24 * 3_600_000;

/** All keys of one account share one idempotency scope. */
const accountScope = 'account';

/** A request admitted and holding its idempotency key, ready to run. */
type Ready = { readonly done: PspResult } | { readonly admitted: AdmittedRequest };

/**
 * The transport-agnostic fake Razorpay: routes, authenticates (Basic key_id:key_secret),
 * applies refund idempotency (`X-Refund-Idempotency`), consults the fault plan at the commit
 * point, runs the handler and renders Razorpay's answer. Every request, response and event is
 * journaled; a `stall` fault keeps a request in flight until virtual time has passed.
 */
export class RazorpayCore implements PspCore {
  readonly psp = 'razorpay';
  readonly runtime: RazorpayRuntime;
  readonly idempotency = new IdempotencyStore({ ttlMs: idempotencyTtlMs });
  readonly #router = new Router(razorpayRoutes);

  constructor(runtime: RazorpayRuntime) {
    this.runtime = runtime;
  }

  async handle(request: PspRequest): Promise<PspResult> {
    const ready = this.#prepare(request);
    if ('done' in ready) return ready.done;
    if (ready.admitted.before?.kind === 'stall') {
      await this.runtime.sim.clock.sleep(
        delayOf(ready.admitted.before),
        `razorpay: stalled ${ready.admitted.requestId}`,
      );
    }
    return this.#complete(ready.admitted);
  }

  #prepare(request: PspRequest): Ready {
    const { sim } = this.runtime;
    // Work that fell due (a recurring debit's bank answer) happens before this request is seen.
    sim.clock.runDue();
    const who = identify(this.runtime, request);
    this.#journalRequest(who, request);
    const gate = admit(this.runtime, this.#router, request, who);
    if ('error' in gate) return { done: this.#fail(who, gate.error) };
    const { admitted } = gate;
    const faulted = admitted.before === undefined ? undefined : faultResult(admitted.before);
    if (faulted !== undefined) return { done: this.#respond(who, faulted) };
    if (admitted.before?.kind === 'latency') sim.clock.advanceBy(delayOf(admitted.before));
    const key = admitted.idempotencyKey;
    if (key === undefined) return { admitted };
    const decision = this.idempotency.begin({
      scope: accountScope,
      key,
      requestId: who.requestId,
      nowMs: sim.clock.nowMs(),
      fingerprint: `${admitted.path} ${canonicalJson(admitted.body as JsonValue)}`,
    });
    if (decision.kind === 'mismatch') return { done: this.#fail(who, { kind: 'idempotency_mismatch' }) };
    if (decision.kind === 'in_progress')
      return { done: this.#fail(who, { kind: 'idempotency_in_progress' }) };
    if (decision.kind === 'replay') {
      sim.journal.append({
        kind: 'note',
        psp: 'razorpay',
        data: { requestId: who.requestId, idempotentReplayOf: decision.originalRequestId },
      });
      const replayed = { response: decision.response, events: [] };
      return { done: this.#respond(who, this.#afterFaults(admitted, replayed)) };
    }
    return { admitted };
  }

  #complete(admitted: AdmittedRequest): PspResult {
    const key = admitted.idempotencyKey;
    const result = this.#execute(admitted);
    if (key !== undefined) {
      // Only a refund that was made is remembered; a refused request leaves the key free.
      if (result.response.status === 200) this.idempotency.finish(accountScope, key, result.response);
      else this.idempotency.release(accountScope, key);
    }
    return this.#respond(admitted, this.#afterFaults(admitted, result));
  }

  // Razorpay has acted; the client may never see the answer. A replay can be lost just the same.
  #afterFaults(admitted: AdmittedRequest, result: PspResult): PspResult {
    const after = this.runtime.faults.api('after', admitted.facts);
    if (after === undefined) return result;
    if (after.kind === 'latency' || after.kind === 'stall') this.runtime.sim.clock.advanceBy(delayOf(after));
    const lost = faultResult(after);
    return lost === undefined ? result : { ...lost, events: result.events };
  }

  #execute(admitted: AdmittedRequest): PspResult {
    const work = beginWork(this.runtime, {
      body: admitted.body,
      query: admitted.query,
      keyId: admitted.keyId,
      cause: { requestId: admitted.requestId, idempotencyKey: admitted.idempotencyKey ?? null },
    });
    try {
      const body = admitted.match.route.handler(work.context, admitted.match.params);
      return { response: render(200, body), events: finishWork(work) };
    } catch (error) {
      if (error instanceof RazorpayFailure) return { response: renderError(error.error), events: [] };
      this.runtime.sim.journal.append({
        kind: 'note',
        psp: 'razorpay',
        data: { internalError: String(error) },
      });
      return { response: renderError({ kind: 'server_error' }), events: [] };
    }
  }

  #fail(who: RequestIdentity, error: RazorpayErrorKind): PspResult {
    return this.#respond(who, { response: renderError(error), events: [] });
  }

  #respond(who: RequestIdentity, result: PspResult): PspResult {
    this.runtime.sim.journal.append({
      kind: 'response',
      psp: 'razorpay',
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
    this.runtime.sim.journal.append({
      kind: 'request',
      psp: 'razorpay',
      data: {
        requestId: who.requestId,
        method: who.method,
        path: request.path,
        query: request.query,
        body: request.rawBody,
        keyId: who.keyId,
        idempotencyKey: who.idempotencyKey ?? null,
      },
    });
  }
}
