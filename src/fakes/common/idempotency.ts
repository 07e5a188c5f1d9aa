import type { PspResponse } from './psp-core.ts';
import { hashOfKey, KeyIndex } from './key-index.ts';
import { SavedBodies } from './saved-bodies.ts';

/** What the store says about a key when a request arrives with it. */
export type IdempotencyDecision =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly response: PspResponse; readonly originalRequestId: string }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in_progress' };

/** A key being executed: one a request in flight, so few and short-lived (kept on the heap). */
interface Claim {
  readonly fingerprint: string;
  readonly createdAtMs: number;
  readonly requestId: string;
}

/** What a saved answer's record keeps besides its body: `[id, fingerprint, requestId, status, headers]`. */
type SavedHead = [string, string, string, number, PspResponse['headers']];

/** An answered key's slot that holds nothing. */
const none = -1;

/** Most keys one store keeps by default: past it the oldest go first, as past their TTL. */
export const idempotencyKeysMax = 10_000;

/**
 * Saved responses by idempotency key, scoped (per Stripe account, per Adyen merchant…), with a
 * time-to-live in virtual time. A key is claimed when execution begins, so a second request
 * with the same key while the first runs is told `in_progress`. Answered keys live off the JS
 * heap: each a record in {@link SavedBodies} (its id, fingerprint, request id, status, headers and
 * body), found through a {@link KeyIndex}, in a ring of {@link idempotencyKeysMax} slots. Every
 * POST stripe-node sends has a key, and a key's record outlives thousands of requests: as heap
 * objects they were promoted and died in the old generation, most of a busy `serve`'s garbage.
 * Bounded three times over: keys past their TTL go, and so do the oldest answered past the ring —
 * under a manual clock virtual time may never reach the TTL while a client sends a fresh key with
 * every POST — and a key goes with its record, once 32 MB of newer ones push that out.
 *
 * @example
 * const store = new IdempotencyStore({ ttlMs: 24 * 3_600_000 });
 * store.begin({ scope: 'acct_1', key: 'k1', fingerprint: 'POST /v1/x a=1', nowMs, requestId });
 */
export class IdempotencyStore {
  readonly #ttlMs: number;
  readonly #claims = new Map<string, Claim>();
  readonly #saved: SavedBodies;
  /** Answered keys by id hash → ring slot. */
  readonly #slots = new KeyIndex((slot) => this.#hashes[slot]!);
  /** By slot: the id's hash, when it was claimed, and where its record is (`none`: empty). */
  #hashes: Uint32Array;
  #createdAtMs: Float64Array;
  #records: Float64Array;
  readonly #keysMax: number;
  /** Ring positions (slot = position % length) from the oldest kept to the next to write. */
  #first = 0;
  #end = 0;
  #answered = 0;

  constructor(options: {
    readonly ttlMs: number;
    readonly keysMax?: number;
    readonly bodyBytesMax?: number;
  }) {
    this.#ttlMs = options.ttlMs;
    this.#keysMax = options.keysMax ?? idempotencyKeysMax;
    // A scenario run answers a handful of keys: the ring starts small and doubles up to the cap.
    const slots = Math.min(this.#keysMax, 64);
    this.#hashes = new Uint32Array(slots);
    this.#createdAtMs = new Float64Array(slots);
    this.#records = new Float64Array(slots).fill(none);
    this.#saved = new SavedBodies(options.bodyBytesMax);
  }

  /** How many keys are kept. */
  get size(): number {
    return this.#claims.size + this.#answered;
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
    const claim = this.#claims.get(id);
    if (claim !== undefined && request.nowMs - claim.createdAtMs < this.#ttlMs)
      return claim.fingerprint === request.fingerprint ? { kind: 'in_progress' } : { kind: 'mismatch' };
    const answered = this.#findAnswered(id);
    if (answered !== undefined) {
      if (request.nowMs - this.#createdAtMs[answered.slot]! < this.#ttlMs)
        return decide(answered.head, answered.body, request.fingerprint);
      this.#forget(answered.slot);
    }
    const { fingerprint, nowMs: createdAtMs, requestId } = request;
    this.#claims.set(id, { fingerprint, createdAtMs, requestId });
    return { kind: 'new' };
  }

  /** Saves the response of a claimed key: later requests with it replay this. */
  finish(scope: string, key: string, response: PspResponse): void {
    const id = `${scope}\u0000${key}`;
    const claim = this.#claims.get(id);
    if (claim === undefined) return;
    this.#claims.delete(id);
    if (this.#end === this.#records.length && this.#end < this.#keysMax) this.#grow();
    const length = this.#records.length;
    if (this.#end - this.#first === length) {
      this.#forget(this.#first++ % length);
      this.#forgetUnreachable();
    }
    const slot = this.#end++ % length;
    const head: SavedHead = [id, claim.fingerprint, claim.requestId, response.status, response.headers];
    const hash = hashOfKey(id);
    this.#hashes[slot] = hash;
    this.#createdAtMs[slot] = claim.createdAtMs;
    this.#records[slot] = this.#saved.save(JSON.stringify(head), response.body);
    this.#slots.add(slot);
    this.#answered++;
  }

  /** Releases a claimed key without saving (validation failures, 401s and 429s are not saved). */
  release(scope: string, key: string): void {
    this.#claims.delete(`${scope}\u0000${key}`);
  }

  /** Drops keys older than the time-to-live: O(keys dropped, and the keys in flight). */
  prune(nowMs: number): void {
    for (const [id, claim] of this.#claims)
      if (nowMs - claim.createdAtMs >= this.#ttlMs) this.#claims.delete(id);
    const length = this.#records.length;
    for (; this.#first < this.#end; this.#first++) {
      const slot = this.#first % length;
      if (this.#records[slot] === none) continue;
      if (nowMs - this.#createdAtMs[slot]! < this.#ttlMs) break;
      this.#forget(slot);
    }
  }

  clear(): void {
    this.#claims.clear();
    this.#saved.clear();
    this.#slots.clear();
    this.#records.fill(none);
    this.#first = this.#end = this.#answered = 0;
  }

  /** The answered key `id`'s slot and record, unless its record was forgotten (the key with it). */
  #findAnswered(
    id: string,
  ): { readonly slot: number; readonly head: SavedHead; readonly body: string } | undefined {
    let found: { slot: number; head: SavedHead; body: string } | undefined;
    this.#slots.getHashed(hashOfKey(id), (slot) => {
      const record = this.#saved.read(this.#records[slot]!);
      const head = record === undefined ? undefined : (JSON.parse(record.head) as SavedHead);
      if (head?.[0] === id) found = { slot, head, body: record!.body };
      return found !== undefined;
    });
    return found;
  }

  // Only before the ring first wraps, so every position is still its own slot.
  #grow(): void {
    const slots = Math.min(this.#keysMax, this.#records.length * 2);
    const grown = <T extends Uint32Array | Float64Array>(from: T, to: T) => (to.set(from), to);
    this.#hashes = grown(this.#hashes, new Uint32Array(slots));
    this.#createdAtMs = grown(this.#createdAtMs, new Float64Array(slots));
    this.#records = grown(this.#records, new Float64Array(slots).fill(none));
  }

  // Answers are saved in the ring's order: those older than its oldest kept key are unreachable,
  // and their chunks go back (a store of small answers keeps ~10,000 of them, not 32 MB).
  #forgetUnreachable(): void {
    const length = this.#records.length;
    while (this.#first < this.#end && this.#records[this.#first % length] === none) this.#first++;
    if (this.#first < this.#end) this.#saved.forgetBefore(this.#records[this.#first % length]!);
  }

  #forget(slot: number): void {
    if (this.#records[slot] === none) return;
    this.#slots.removeHashed(this.#hashes[slot]!, (candidate) => candidate === slot);
    this.#records[slot] = none;
    this.#answered--;
  }
}

/** What a kept answer says of a request with the same key. */
function decide(head: SavedHead, body: string, fingerprint: string): IdempotencyDecision {
  const [, savedFingerprint, requestId, status, headers] = head;
  if (savedFingerprint !== fingerprint) return { kind: 'mismatch' };
  return { kind: 'replay', response: { status, headers, body }, originalRequestId: requestId };
}
