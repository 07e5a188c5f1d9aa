import type { RequestLineCommon, RequestLineData } from '../../sim/journal-lines.ts';
import type { PspEvent, PspName, PspRequest } from './psp-core.ts';
import type { PspFailure } from './psp-failure.ts';

type Headers = Readonly<Record<string, string>>;

/** What every PSP knows of a request before any check: for its journal line and error answers. */
export interface RequestIdentity {
  /** The journal's id of the request (Stripe's `req_…`, Adyen's pspReference, Razorpay's own). */
  readonly requestId: string;
  readonly method: string;
  /** The idempotency key claimed; once admitted, the key the PSP honours (a route may ignore it). */
  readonly idempotencyKey: string | undefined;
  /** Headers every answer to the request carries (Stripe's Request-Id, Adyen's pspReference). */
  readonly headers: Headers;
}

/** A gate's verdict: the PSP's error, or the request admitted. */
export type Gate<Admitted, Error> = { readonly error: Error } | { readonly admitted: Admitted };

/** A PSP's answer before it is rendered: a status, a JSON body and headers of its own. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Headers;
}

/** An admitted request's unit of work: `answer` runs the handler (or throws the PSP's failure); `commit` applies its writes and publishes its events. */
export interface RequestWork {
  answer(): Answer;
  commit(): readonly PspEvent[];
}

/** How a PSP keeps idempotency keys: the genuine differences between Stripe, Adyen and Razorpay. */
export interface IdempotencyRules<Admitted, Error> {
  /** The request header that carries the key (read on POSTs only). */
  readonly header: string;
  readonly ttlMs: number;
  scopeOf(admitted: Admitted): string;
  /** Two requests with one key are the same request when their fingerprints are equal. */
  fingerprintOf(admitted: Admitted): string;
  mismatch(key: string): Error;
  inProgress(key: string): Error;
  /** Headers a replayed answer carries besides the saved ones (Stripe's `Idempotent-Replayed`…). */
  replayHeaders(admitted: Admitted, key: string, originalRequestId: string): Headers;
  /** Whether every answer to a keyed request echoes the key (Stripe and Adyen do). */
  readonly echoKey: boolean;
  /** Whether an answer (and the error it tells, if any) is saved under the key, or frees it. */
  saves(status: number, error: Error | undefined): boolean;
}

/**
 * One PSP's request lifecycle as data and small functions — who sent it, its journal line, the
 * gate, wire format, errors, idempotency, unit of work. The order of the steps is the pipeline's.
 */
export interface PspProfile<
  Who extends RequestIdentity,
  Admitted extends Who,
  Error extends { kind: string },
> {
  readonly psp: PspName;
  readonly idempotency: IdempotencyRules<Admitted, Error>;
  /** How the PSP answers over HTTP: its JSON's content type and indent, the Retry-After it sends with a 429. */
  readonly wire: {
    readonly contentType: string;
    readonly indent?: number;
    readonly retryAfterSeconds?: number;
  };
  /** The PSP's errors for a 429 and for a 5xx (a fault or a crash). */
  readonly errors: { readonly rateLimited: Error; internal(status?: number): Error };
  identify(request: PspRequest, claimed: Pick<RequestIdentity, 'method' | 'idempotencyKey'>): Who;
  /** The request's journal line, the PSP's fields added, keys in order (the journal need not sort). */
  requestLine(who: Who, common: RequestLineCommon, request: PspRequest): RequestLineData;
  /** Authentication, routing and validation, in the PSP's order; nothing here changes state. */
  admit(request: PspRequest, who: Who): Gate<Admitted, Error>;
  explain(error: Error, who: Who): Answer;
  /** The PSP's own failure, when a handler threw one (anything else is a crash). */
  failureOf(thrown: unknown): PspFailure<Error> | undefined;
  begin(admitted: Admitted): RequestWork;
}
