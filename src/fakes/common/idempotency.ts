import type { PspResponse } from './psp-core.ts';
import { SavedBodies, type BodyPlace } from './saved-bodies.ts';

/** What the store says about a key when a request arrives with it. */
export type IdempotencyDecision =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly response: PspResponse; readonly originalRequestId: string }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in_progress' };

/** A saved answer: its body lives in {@link SavedBodies}, outside the JS heap. */
interface SavedAnswer {
  readonly status: number;
  readonly headers: PspResponse['headers'];
  readonly body: BodyPlace;
}

interface KeyRecord {
  readonly fingerprint: string;
  readonly createdAtMs: number;
  readonly requestId: string;
  saved?: SavedAnswer;
}

/** Most keys one store keeps by default: past it the oldest go first, as past their TTL. */
export const idempotencyKeysMax = 10_000;

/**
 * Saved responses by idempotency key, scoped (per Stripe account, per Adyen merchant…), with a
 * time-to-live in virtual time. A key is claimed when execution begins, so a second request
 * with the same key while the first runs is told `in_progress`. Bounded three times over: keys
 * past their TTL go, and so do the oldest past {@link idempotencyKeysMax} — under a manual clock
 * virtual time may never reach the TTL while a client sends a fresh key with every POST — and a
 * key goes with its saved body, once 32 MB of newer bodies push that out (see SavedBodies).
 *
 * @example
 * const store = new IdempotencyStore({ ttlMs: 24 * 3_600_000 });
 * store.begin({ scope: 'acct_1', key: 'k1', fingerprint: 'POST /v1/x a=1', nowMs, requestId });
 */
export class IdempotencyStore {
  readonly #ttlMs: number;
  readonly #keysMax: number;
  readonly #records = new Map<string, KeyRecord>();
  // The records in claim order, oldest first, for pruning (a Map iterated from its front after
  // many deletions walks their holes on every call). Entries whose record was released or
  // re-claimed are stale and skipped; slots before the head are emptied, so a passed entry
  // never keeps its saved response alive.
  #order: Array<{ readonly id: string; readonly record: KeyRecord } | undefined> = [];
  #head = 0;
  readonly #bodies: SavedBodies;

  constructor(options: {
    readonly ttlMs: number;
    readonly keysMax?: number;
    readonly bodyBytesMax?: number;
  }) {
    this.#ttlMs = options.ttlMs;
    this.#keysMax = options.keysMax ?? idempotencyKeysMax;
    this.#bodies = new SavedBodies(options.bodyBytesMax);
  }

  /** How many keys are kept. */
  get size(): number {
    return this.#records.size;
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
      const decision = this.#decide(existing, request.fingerprint);
      if (decision !== undefined) return decision;
    }
    const record = {
      fingerprint: request.fingerprint,
      createdAtMs: request.nowMs,
      requestId: request.requestId,
    };
    this.#records.set(id, record);
    this.#order.push({ id, record });
    // Released keys leave stale entries behind a live head: drop them once they outnumber the live.
    if (this.#order.length - this.#head > 2 * this.#records.size + 64) this.#compact();
    return { kind: 'new' };
  }

  /** What a kept key says of a request, or undefined once its saved body was forgotten (the key with it). */
  #decide(record: KeyRecord, fingerprint: string): IdempotencyDecision | undefined {
    const { saved } = record;
    if (saved === undefined)
      return record.fingerprint === fingerprint ? { kind: 'in_progress' } : { kind: 'mismatch' };
    const body = this.#bodies.read(saved.body);
    if (body === undefined) return undefined;
    if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
    const response = { status: saved.status, headers: saved.headers, body };
    return { kind: 'replay', response, originalRequestId: record.requestId };
  }

  /** Saves the response of a claimed key: later requests with it replay this. */
  finish(scope: string, key: string, response: PspResponse): void {
    const record = this.#records.get(`${scope}\u0000${key}`);
    if (record === undefined) return;
    const { status, headers } = response;
    record.saved = { status, headers, body: this.#bodies.save(response.body) };
  }

  /** Releases a claimed key without saving (validation failures, 401s and 429s are not saved). */
  release(scope: string, key: string): void {
    const id = `${scope}\u0000${key}`;
    if (this.#records.get(id)?.saved === undefined) this.#records.delete(id);
  }

  /** Drops keys older than the time-to-live, then the oldest past the cap: O(keys dropped). */
  prune(nowMs: number): void {
    const order = this.#order;
    for (; this.#head < order.length; this.#head++) {
      const { id, record } = order[this.#head]!;
      if (this.#records.get(id) === record) {
        if (nowMs - record.createdAtMs < this.#ttlMs && this.#records.size <= this.#keysMax) break;
        // A key still being executed is never dropped: its request would lose its claim.
        if (record.saved === undefined && nowMs - record.createdAtMs < this.#ttlMs) break;
        this.#records.delete(id);
      }
      order[this.#head] = undefined;
    }
    if (this.#head > 1024 && this.#head * 2 > order.length) this.#compact();
  }

  clear(): void {
    this.#records.clear();
    this.#bodies.clear();
    this.#order = [];
    this.#head = 0;
  }

  #compact(): void {
    this.#order = this.#order
      .slice(this.#head)
      .filter((entry) => entry !== undefined && this.#records.get(entry.id) === entry.record);
    this.#head = 0;
  }
}
