import type { Simulation } from '../../sim/simulation.ts';
import { renderedAnswer } from './answer-text.ts';
import { errorFields } from './error-summary.ts';
import { delayOf, type ApiFaultEffect, type ApiRequestFacts, type FaultInjector } from './faults.ts';
import { IdempotencyStore } from './idempotency.ts';
import type { PspCore, PspEvent, PspName, PspRequest, PspResponse, PspResult } from './psp-core.ts';
import type { Answer, PspProfile, RequestIdentity } from './psp-profile.ts';

/** The fake's kernel and fault plan, which every PSP's runtime holds. */
type Kernel = { readonly sim: Simulation; readonly faults: FaultInjector };

type Executed = { readonly answer: Answer; readonly events: readonly PspEvent[]; readonly saved: boolean };
type Ready<Admitted> =
  | { readonly done: PspResult }
  | { readonly admitted: Admitted; readonly facts: ApiRequestFacts; readonly stall: number | undefined };

/**
 * The one request pipeline of every fake: identify → journal → admit → faults before →
 * idempotency → execute in a unit of work → save or release the key → faults after → render →
 * journal. A `stall` fault keeps the request in flight (holding its key) until virtual time has passed.
 *
 * @example
 * // What each PSP's profile.ts does: its rules as data, the steps as this class's.
 * const core = new PspPipeline(runtime, { psp: 'adyen', idempotency, wire, errors, identify, … });
 * await core.handle({ method: 'POST', path: '/v72/payments', query: '', headers, rawBody });
 */
export class PspPipeline<
  Who extends RequestIdentity,
  Admitted extends Who,
  Error extends { kind: string },
> implements PspCore {
  readonly psp: PspName;
  /** The run's kernel: the fake's clock, random streams and journal. */
  readonly sim: Simulation;
  readonly idempotency: IdempotencyStore;
  readonly #profile: PspProfile<Who, Admitted, Error>;
  readonly #faults: FaultInjector;

  constructor(runtime: Kernel, profile: PspProfile<Who, Admitted, Error>) {
    this.psp = profile.psp;
    this.sim = runtime.sim;
    this.#faults = runtime.faults;
    this.#profile = profile;
    this.idempotency = new IdempotencyStore({ ttlMs: profile.idempotency.ttlMs });
  }

  async handle(request: PspRequest): Promise<PspResult> {
    const ready = this.#prepare(request);
    if ('done' in ready) return ready.done;
    if (ready.stall !== undefined)
      await this.sim.clock.sleep(ready.stall, `${this.psp}: stalled ${ready.admitted.requestId}`);
    return this.#complete(ready.admitted, ready.facts);
  }

  /** Handles a request synchronously (a call from inside another request): a stall is plain latency. */
  handleNow(request: PspRequest): PspResult {
    const ready = this.#prepare(request);
    if ('done' in ready) return ready.done;
    if (ready.stall !== undefined) this.sim.clock.advanceBy(ready.stall);
    return this.#complete(ready.admitted, ready.facts);
  }

  #prepare(request: PspRequest): Ready<Admitted> {
    const { sim } = this;
    const rules = this.#profile.idempotency;
    // Background work that fell due (delayed captures, test clocks, bank answers) runs first.
    sim.clock.runDue();
    // Keys past their time-to-live go, so a long `serve` keeps a bounded store.
    this.idempotency.prune(sim.clock.nowMs());
    const method = request.method.toUpperCase();
    // Every PSP keys POSTs only; GET and DELETE ignore the header.
    const claimed = method === 'POST' ? request.headers[rules.header] : undefined;
    const who = this.#profile.identify(request, { method, idempotencyKey: claimed });
    const { requestId } = who;
    const { path, query, rawBody: body } = request;
    const line = this.#profile.requestLine(who, { body, method, path, query, requestId }, request);
    sim.journal.append({ kind: 'request', psp: this.psp, data: line });
    const gate = this.#profile.admit(request, who);
    if ('error' in gate) return { done: this.#refuse(gate.error, who) };
    const { admitted } = gate;
    const facts = { psp: this.psp, method, path, requestId };
    const before = this.#faults.api('before', facts);
    const faulted = before === undefined ? undefined : this.#faulted(before, who);
    if (faulted !== undefined) return { done: this.#respond(who, faulted) };
    if (before?.kind === 'latency') sim.clock.advanceBy(delayOf(before));
    const key = admitted.idempotencyKey;
    const ready = { admitted, facts, stall: before?.kind === 'stall' ? delayOf(before) : undefined };
    if (key === undefined) return ready;
    const scope = rules.scopeOf(admitted);
    const fingerprint = rules.fingerprintOf(admitted);
    const decision = this.idempotency.begin({ scope, key, requestId, nowMs: sim.clock.nowMs(), fingerprint });
    if (decision.kind === 'mismatch') return { done: this.#refuse(rules.mismatch(key), who) };
    if (decision.kind === 'in_progress') return { done: this.#refuse(rules.inProgress(key), who) };
    if (decision.kind === 'new') return ready;
    const { originalRequestId: original, response } = decision;
    const note = { requestId, idempotentReplayOf: original };
    sim.journal.append({ kind: 'note', psp: this.psp, data: note });
    const headers = { ...response.headers, ...rules.replayHeaders(admitted, key, original) };
    const replayed = this.#afterFaults(admitted, facts, { response: { ...response, headers }, events: [] });
    return { done: this.#respond(who, replayed) };
  }

  #complete(admitted: Admitted, facts: ApiRequestFacts): PspResult {
    const key = admitted.idempotencyKey;
    const rules = this.#profile.idempotency;
    const { answer, events, saved } = this.#execute(admitted);
    const echo = key !== undefined && rules.echoKey ? { 'idempotency-key': key } : {};
    const response = this.#render({ ...answer, headers: { ...answer.headers, ...echo } }, admitted);
    if (key !== undefined) {
      if (saved) this.idempotency.finish(rules.scopeOf(admitted), key, response);
      else this.idempotency.release(rules.scopeOf(admitted), key);
    }
    return this.#respond(admitted, this.#afterFaults(admitted, facts, { response, events }));
  }

  #execute(admitted: Admitted): Executed {
    const { explain, errors, idempotency } = this.#profile;
    const work = this.#profile.begin(admitted);
    try {
      const answer = work.answer();
      return { answer, events: work.commit(), saved: idempotency.saves(answer.status, undefined) };
    } catch (thrown) {
      const failure = this.#profile.failureOf(thrown);
      if (failure === undefined)
        this.sim.journal.append({ kind: 'note', psp: this.psp, data: { internalError: String(thrown) } });
      const error = failure?.error ?? errors.internal();
      // A declined attempt commits what it wrote (the failed charge and its events); any other error, nothing.
      const events = failure?.commits === true ? work.commit() : [];
      const answer = explain(error, admitted);
      return { answer, events, saved: idempotency.saves(answer.status, error) };
    }
  }

  // The PSP has acted (and saved the answer under the key); the client may never see it.
  // A replayed answer can be lost just the same.
  #afterFaults(admitted: Admitted, facts: ApiRequestFacts, result: PspResult): PspResult {
    const after = this.#faults.api('after', facts);
    if (after === undefined) return result;
    if (after.kind === 'latency' || after.kind === 'stall') this.sim.clock.advanceBy(delayOf(after));
    const lost = this.#faulted(after, admitted);
    return lost === undefined ? result : { ...lost, events: result.events };
  }

  /** What the client gets under an API fault, in the PSP's own shapes; undefined: the request carries on. */
  #faulted(effect: ApiFaultEffect, who: Who): PspResult | undefined {
    const { explain, errors } = this.#profile;
    if (effect.kind === 'latency' || effect.kind === 'stall') return undefined;
    // A reset or timeout: the transport drops the connection; the 502 stands in for the answer.
    if (effect.kind === 'reset' || effect.kind === 'timeout')
      return { ...this.#result({ status: 502, body: {} }, who), directive: { kind: effect.kind } };
    if (effect.kind === 'server_error') {
      const internal = explain(errors.internal(effect.status), who);
      return this.#result({ ...internal, status: effect.status ?? internal.status }, who);
    }
    const seconds = effect.retryAfterSeconds ?? this.#profile.wire.retryAfterSeconds;
    const rateLimited = explain(errors.rateLimited, who);
    const retryAfter = seconds === undefined ? {} : { 'retry-after': String(seconds) };
    return this.#result({ ...rateLimited, headers: { ...rateLimited.headers, ...retryAfter } }, who);
  }

  #result(answer: Answer, who: Who): PspResult {
    return { response: this.#render(answer, who), events: [] };
  }

  /** The answer on the wire: the PSP's JSON (no body for a 204) with the request's headers. */
  #render(answer: Answer, who: Who): PspResponse {
    const headers = { ...who.headers, ...answer.headers };
    if (answer.status === 204) return { status: 204, headers, body: '' };
    const { contentType, indent } = this.#profile.wire;
    const body = renderedAnswer(answer.body, indent);
    return { status: answer.status, headers: { 'content-type': contentType, ...headers }, body };
  }

  #refuse(error: Error, who: Who): PspResult {
    return this.#respond(who, this.#result(this.#profile.explain(error, who), who));
  }

  #respond(who: Who, result: PspResult): PspResult {
    const { status } = result.response;
    const events = result.events.map((event) => event.id);
    // Keys in canonical order already, so the journal need not sort them.
    const line = { ...errorFields(result.response), events, requestId: who.requestId, status };
    this.sim.journal.append({ kind: 'response', psp: this.psp, data: line });
    return result;
  }
}
