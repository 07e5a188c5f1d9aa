import type { PspResponse } from './psp-core.ts';

/** What the store says about a key when a request arrives with it. */
export type IdempotencyDecision =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly response: PspResponse; readonly originalRequestId: string }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in_progress' };

interface KeyRecord {
  readonly fingerprint: string;
  readonly createdAtMs: number;
  readonly requestId: string;
  response?: PspResponse;
}

/**
 * Saved responses by idempotency key, scoped (per Stripe account, per Adyen merchant…), with a
 * time-to-live in virtual time. A key is claimed when execution begins, so a second request
 * with the same key while the first runs is told `in_progress`.
 *
 * @example
 * const store = new IdempotencyStore({ ttlMs: 24 * 3_600_000 });
 * store.begin({ scope: 'acct_1', key: 'k1', fingerprint: 'POST /v1/x a=1', nowMs, requestId });
 */
export class IdempotencyStore {
  readonly #ttlMs: number;
  readonly #records = new Map<string, KeyRecord>();

  constructor(options: { readonly ttlMs: number }) {
    this.#ttlMs = options.ttlMs;
  }

  /** Claims the key for a new execution, or says how to answer instead. */
  begin(request: {
    readonly scope: string;
    readonly key: string;
    readonly fingerprint: string;
    readonly nowMs: number;
    readonly requestId: string;
  }): IdempotencyDecision {
    const id = `${request.scope}\u0000${request.key}`;
    const existing = this.#records.get(id);
    if (existing !== undefined && request.nowMs - existing.createdAtMs < this.#ttlMs) {
      if (existing.fingerprint !== request.fingerprint) return { kind: 'mismatch' };
      if (existing.response === undefined) return { kind: 'in_progress' };
      return { kind: 'replay', response: existing.response, originalRequestId: existing.requestId };
    }
    this.#records.set(id, {
      fingerprint: request.fingerprint,
      createdAtMs: request.nowMs,
      requestId: request.requestId,
    });
    return { kind: 'new' };
  }

  /** Saves the response of a claimed key: later requests with it replay this. */
  finish(scope: string, key: string, response: PspResponse): void {
    const record = this.#records.get(`${scope}\u0000${key}`);
    if (record !== undefined) record.response = response;
  }

  /** Releases a claimed key without saving (validation failures, 401s and 429s are not saved). */
  release(scope: string, key: string): void {
    const id = `${scope}\u0000${key}`;
    if (this.#records.get(id)?.response === undefined) this.#records.delete(id);
  }

  /** Drops keys older than the time-to-live. */
  prune(nowMs: number): void {
    for (const [id, record] of this.#records) {
      if (nowMs - record.createdAtMs >= this.#ttlMs) this.#records.delete(id);
    }
  }

  clear(): void {
    this.#records.clear();
  }
}
