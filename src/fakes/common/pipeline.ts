import type { RequestLineFields } from '../../sim/journal-lines.ts';
import type { Simulation } from '../../sim/simulation.ts';
import { errorFields } from './error-summary.ts';
import type { ApiFaultEffect, ApiRequestFacts, FaultInjector } from './faults.ts';
import { IdempotencyStore } from './idempotency.ts';
import type { PspCore, PspName, PspRequest, PspResponse, PspResult } from './psp-core.ts';

/** What every PSP knows of a request before any check: for its journal line and error answers. */
export interface RequestIdentity {
  /** The journal's id of the request (Stripe's `req_…`, Adyen's pspReference, Razorpay's own). */
  readonly requestId: string;
  readonly method: string;
  /** The idempotency key the client claims, as the PSP reads it (or none). */
  readonly idempotencyKey: string | undefined;
  /** Headers every answer to the request carries (Stripe's Request-Id, Adyen's pspReference). */
  readonly headers: Readonly<Record<string, string>>;
}

/** A request that passed a PSP's gate: what the pipeline needs of it besides its own fields. */
export interface AdmittedFacts {
  /** The key the PSP honours for this request (a route may ignore the header). */
  readonly idempotencyKey: string | undefined;
}

/** What the fault plan matches an admitted request by, and the fault it chose before the PSP acts. */
interface Faulting {
  readonly facts: ApiRequestFacts;
  readonly before: ApiFaultEffect | undefined;
}

/** What running a handler came to, and whether its answer is saved under the idempotency key. */
export interface Executed extends PspResult {
  readonly saved: boolean;
}

/** How a PSP keeps idempotency keys: the genuine differences between Stripe, Adyen and Razorpay. */
export interface IdempotencyRules<Admitted, Error> {
  readonly ttlMs: number;
  scopeOf(admitted: Admitted): string;
  /** Two requests with one key are the same request when their fingerprints are equal. */
  fingerprintOf(admitted: Admitted): string;
  mismatch(key: string): Error;
  inProgress(key: string): Error;
  /** Headers a replayed answer carries besides the saved ones (Stripe's `Idempotent-Replayed`…). */
  replayHeaders(admitted: Admitted, key: string, originalRequestId: string): Readonly<Record<string, string>>;
  /** Whether every answer to a keyed request echoes the key (Stripe and Adyen do). */
  readonly echoKey: boolean;
}

/**
 * One PSP's request lifecycle as data and small functions: who sent it, the journal line, the
 * gate, how it refuses, what a fault does to the answer, how idempotency works and how a
 * handler runs. Everything else — the order of the steps — is the pipeline's.
 */
export interface PspProfile<Who extends RequestIdentity, Admitted extends Who & AdmittedFacts, Error> {
  readonly psp: PspName;
  readonly sim: Simulation;
  readonly faults: FaultInjector;
  readonly idempotency: IdempotencyRules<Admitted, Error>;
  identify(request: PspRequest): Who;
  /** The PSP-specific fields of the request's journal line. */
  requestLine(who: Who, request: PspRequest): RequestLineFields;
  /** Authentication, routing and validation, in the PSP's order; nothing here changes state. */
  admit(request: PspRequest, who: Who): { readonly error: Error } | { readonly admitted: Admitted };
  refuse(error: Error, who: Who): PspResponse;
  /** The answer under an API fault, or undefined when the request carries on (latency, stall). */
  faulted(effect: ApiFaultEffect, who: Who): PspResult | undefined;
  /** Runs the handler in one unit of work and renders its answer. */
  execute(admitted: Admitted): Executed;
}

/** How long a fault effect delays a request in virtual time. */
export function delayOf(effect: ApiFaultEffect | undefined): number {
  return effect?.kind === 'latency' || effect?.kind === 'stall' ? effect.delayMs : 0;
}

type Ready<Admitted> =
  { readonly done: PspResult } | { readonly admitted: Admitted; readonly faulting: Faulting };

/**
 * The one request pipeline of every fake: identify → journal → admit → faults before →
 * idempotency → execute → save or release the key → faults after → journal. A `stall` fault
 * keeps the request in flight (holding its key) until virtual time has passed.
 *
 * @example
 * const core = new PspPipeline(adyenProfile(runtime)); // a PspCore
 * await core.handle({ method: 'POST', path: '/v72/payments', query: '', headers, rawBody });
 */
export class PspPipeline<
  Who extends RequestIdentity,
  Admitted extends Who & AdmittedFacts,
  Error,
> implements PspCore {
  readonly psp: PspName;
  /** The run's kernel: the fake's clock, random streams and journal. */
  readonly sim: Simulation;
  readonly idempotency: IdempotencyStore;
  readonly #profile: PspProfile<Who, Admitted, Error>;

  constructor(profile: PspProfile<Who, Admitted, Error>) {
    this.psp = profile.psp;
    this.sim = profile.sim;
    this.#profile = profile;
    this.idempotency = new IdempotencyStore({ ttlMs: profile.idempotency.ttlMs });
  }

  async handle(request: PspRequest): Promise<PspResult> {
    const ready = this.#prepare(request);
    if ('done' in ready) return ready.done;
    const { before } = ready.faulting;
    if (before?.kind === 'stall')
      await this.#profile.sim.clock.sleep(
        delayOf(before),
        `${this.psp}: stalled ${ready.admitted.requestId}`,
      );
    return this.#complete(ready);
  }

  /** Handles a request synchronously (a call from inside another request): a stall is plain latency. */
  handleNow(request: PspRequest): PspResult {
    const ready = this.#prepare(request);
    if ('done' in ready) return ready.done;
    if (ready.faulting.before?.kind === 'stall')
      this.#profile.sim.clock.advanceBy(delayOf(ready.faulting.before));
    return this.#complete(ready);
  }

  #prepare(request: PspRequest): Ready<Admitted> {
    const { sim, idempotency: rules } = this.#profile;
    // Background work that fell due (delayed captures, test clocks, bank answers) runs first.
    sim.clock.runDue();
    // Keys past their time-to-live go, so a long `serve` keeps a bounded store.
    this.idempotency.prune(sim.clock.nowMs());
    const who = this.#profile.identify(request);
    sim.journal.append({
      kind: 'request',
      psp: this.psp,
      data: { requestId: who.requestId, method: who.method, ...this.#profile.requestLine(who, request) },
    });
    const gate = this.#profile.admit(request, who);
    if ('error' in gate) return { done: this.#refuse(gate.error, who) };
    const { admitted } = gate;
    const facts = { psp: this.psp, method: who.method, path: request.path, requestId: who.requestId };
    const faulting = { facts, before: this.#profile.faults.api('before', facts) };
    const { before } = faulting;
    const faulted = before === undefined ? undefined : this.#profile.faulted(before, who);
    if (faulted !== undefined) return { done: this.#respond(who, faulted) };
    if (before?.kind === 'latency') sim.clock.advanceBy(delayOf(before));
    const key = admitted.idempotencyKey;
    if (key === undefined) return { admitted, faulting };
    const decision = this.idempotency.begin({
      scope: rules.scopeOf(admitted),
      key,
      requestId: who.requestId,
      nowMs: sim.clock.nowMs(),
      fingerprint: rules.fingerprintOf(admitted),
    });
    if (decision.kind === 'mismatch') return { done: this.#refuse(rules.mismatch(key), who) };
    if (decision.kind === 'in_progress') return { done: this.#refuse(rules.inProgress(key), who) };
    if (decision.kind === 'new') return { admitted, faulting };
    sim.journal.append({
      kind: 'note',
      psp: this.psp,
      data: { requestId: who.requestId, idempotentReplayOf: decision.originalRequestId },
    });
    const headers = {
      ...decision.response.headers,
      ...rules.replayHeaders(admitted, key, decision.originalRequestId),
    };
    return {
      done: this.#respond(
        who,
        this.#afterFaults(admitted, facts, { response: { ...decision.response, headers }, events: [] }),
      ),
    };
  }

  #complete({ admitted, faulting }: { readonly admitted: Admitted; readonly faulting: Faulting }): PspResult {
    const key = admitted.idempotencyKey;
    const rules = this.#profile.idempotency;
    const result = this.#profile.execute(admitted);
    const headers =
      key === undefined || !rules.echoKey
        ? result.response.headers
        : { ...result.response.headers, 'idempotency-key': key };
    const response = { ...result.response, headers };
    if (key !== undefined) {
      if (result.saved) this.idempotency.finish(rules.scopeOf(admitted), key, response);
      else this.idempotency.release(rules.scopeOf(admitted), key);
    }
    return this.#respond(
      admitted,
      this.#afterFaults(admitted, faulting.facts, { response, events: result.events }),
    );
  }

  // The PSP has acted (and saved the answer under the key); the client may never see it.
  // A replayed answer can be lost just the same.
  #afterFaults(admitted: Admitted, facts: ApiRequestFacts, result: PspResult): PspResult {
    const after = this.#profile.faults.api('after', facts);
    if (after === undefined) return result;
    if (after.kind === 'latency' || after.kind === 'stall') this.#profile.sim.clock.advanceBy(delayOf(after));
    const lost = this.#profile.faulted(after, admitted);
    return lost === undefined ? result : { ...lost, events: result.events };
  }

  #refuse(error: Error, who: Who): PspResult {
    return this.#respond(who, { response: this.#profile.refuse(error, who), events: [] });
  }

  #respond(who: Who, result: PspResult): PspResult {
    this.#profile.sim.journal.append({
      kind: 'response',
      psp: this.psp,
      data: {
        requestId: who.requestId,
        status: result.response.status,
        events: result.events.map((event) => event.id),
        ...errorFields(result.response),
      },
    });
    return result;
  }
}
