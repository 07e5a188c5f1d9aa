import { createHash, type Hash } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonical-json.ts';
import { normaliseLoopbackUrls } from './loopback-urls.ts';

/** What a journal record is about. */
export type JournalKind =
  'request' | 'response' | 'event' | 'webhook_attempt' | 'fault' | 'action' | 'clock' | 'note';

/** One line of the journal: sequence-numbered and stamped with virtual time. */
export interface JournalRecord {
  readonly seq: number;
  readonly atMs: number;
  readonly kind: JournalKind;
  /** The PSP the record concerns (`stripe`, `adyen`, `razorpay`), if any. */
  readonly psp?: string;
  readonly data: JsonValue;
}

/** What a caller appends; the journal adds `seq` and `atMs`. */
export interface JournalEntry {
  readonly kind: JournalKind;
  readonly psp?: string;
  readonly data: JsonValue;
}

/**
 * The append-only record of a run: every request, response, event, webhook attempt and
 * fault, stamped with virtual time. Its hash is over the canonical JSONL, so the same seed,
 * scenario and SUT give the same hash, and any changed record changes it.
 *
 * @example
 * const journal = new Journal(() => clock.nowMs());
 * journal.append({ kind: 'fault', psp: 'stripe', data: { rule: 'lost-response' } });
 * journal.hash(); // 'sha256:…'
 */
export class Journal {
  readonly #nowMs: () => number;
  readonly #records: JournalRecord[] = [];
  readonly #lines: string[] = [];
  #hash: Hash = createHash('sha256');
  readonly #loopbackNames = new Map<number, string>();

  constructor(nowMs: () => number) {
    this.#nowMs = nowMs;
  }

  /**
   * Names a loopback port (a fake's server): its URLs are recorded as `http://<name>`, and
   * every other loopback URL as `http://sut`, so ephemeral ports never reach the hash.
   */
  nameLoopbackPort(port: number, name: string): void {
    this.#loopbackNames.set(port, name);
  }

  /** Appends a record and returns it (frozen: history is not edited). */
  append(entry: JournalEntry): JournalRecord {
    const record: JournalRecord = Object.freeze({
      seq: this.#records.length + 1,
      atMs: this.#nowMs(),
      kind: entry.kind,
      ...(entry.psp === undefined ? {} : { psp: entry.psp }),
      // A private copy, so later changes to the caller's object cannot rewrite history.
      data: JSON.parse(normaliseLoopbackUrls(canonicalJson(entry.data), this.#loopbackNames)) as JsonValue,
    });
    const line = canonicalJson(record as unknown as JsonValue);
    this.#records.push(record);
    this.#lines.push(line);
    this.#hash.update(line).update('\n');
    return record;
  }

  /** How many records there are. */
  get size(): number {
    return this.#records.length;
  }

  /** The records, oldest first (a copy of the list). */
  records(): readonly JournalRecord[] {
    return [...this.#records];
  }

  /** One canonical JSON record per line, each line ending in `\n`. */
  toJsonl(): string {
    return this.#lines.map((line) => `${line}\n`).join('');
  }

  /** `sha256:<hex>` of {@link toJsonl}, kept incrementally. */
  hash(): string {
    return `sha256:${this.#hash.copy().digest('hex')}`;
  }

  /** Forgets everything, for an admin reset between runs. */
  clear(): void {
    this.#records.length = 0;
    this.#lines.length = 0;
    this.#hash = createHash('sha256');
  }
}
