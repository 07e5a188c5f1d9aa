import { createHash, type Hash } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonical-json.ts';
import type { JournalEntry, JournalRecord } from './journal-lines.ts';
import { LineLog, type SealedChunks } from './line-log.ts';
import { normaliseLoopbackUrls } from './loopback-urls.ts';

export type { JournalEntry, JournalKind, JournalLine, JournalRecord } from './journal-lines.ts';

// Lines are hashed once this many bytes wait (the digest is the same as line by line).
const hashBatchBytes = 64 * 1024;

// Kinds and PSP names, quoted once each (a few of each; the cache is capped all the same).
const quotedNames = new Map<string, string>();

function quotedName(name: string): string {
  let text = quotedNames.get(name);
  if (text === undefined) {
    text = JSON.stringify(name);
    if (quotedNames.size < 64) quotedNames.set(name, text);
  }
  return text;
}

/** How many records a journal keeps. */
export interface JournalOptions {
  /**
   * Most records kept (a long `serve`): past it the oldest are forgotten, while `seq` and the
   * hash still cover every record ever appended. Unbounded when absent (a scenario run, whose
   * checker reads all of it).
   */
  readonly recordsMax?: number;
  /**
   * Most characters of canonical lines kept (UTF-8 bytes: one a character for ASCII), likewise:
   * a `serve` fed large requests (a stream of 100 meter events is 12 KB a line) stays bounded in
   * memory, not only in records.
   */
  readonly charactersMax?: number;
  /** Where the lines of full chunks go once hashed (a file, in a long `serve`); all in memory when absent. */
  readonly sealedChunks?: SealedChunks;
}

/**
 * The append-only record of a run: every request, response, event, webhook attempt and
 * fault, stamped with virtual time. Its hash is over the canonical JSONL, so the same seed,
 * scenario and SUT give the same hash, and any changed record changes it. Each record is kept
 * as its canonical line alone, in UTF-8 off the JS heap (written once, the history nobody can
 * edit), and parsed only when someone reads the records.
 *
 * @example
 * const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
 * const journal = new Journal(() => clock.nowMs());
 * journal.append({ kind: 'note', data: { label: 'a customer signs up' } });
 * journal.hash(); // 'sha256:…'
 */
export class Journal {
  readonly #nowMs: () => number;
  readonly #recordsMax: number;
  readonly #charactersMax: number;
  /** The kept canonical lines, as bytes off the JS heap. */
  readonly #lines: LineLog;
  /** Records parsed from the first `#parsed.length` kept lines, for repeated reads. */
  readonly #parsed: JournalRecord[] = [];
  #appended = 0;
  #hash: Hash = createHash('sha256');
  /** Bytes appended and not yet fed to the hash: hashed in batches, not one native call per record. */
  #unhashedBytes = 0;
  readonly #loopbackNames = new Map<number, string>();
  /** The time of the last line, and the line's start written with it. */
  #atMs = Number.NaN;
  #atMsText = '';

  constructor(nowMs: () => number, options: JournalOptions = {}) {
    this.#nowMs = nowMs;
    this.#recordsMax = options.recordsMax ?? Number.POSITIVE_INFINITY;
    this.#charactersMax = options.charactersMax ?? Number.POSITIVE_INFINITY;
    this.#lines = new LineLog(options.sealedChunks);
  }

  /**
   * Names a loopback port (a fake's server): its URLs are recorded as `http://<name>`, and
   * every other loopback URL as `http://sut`, so ephemeral ports never reach the hash.
   */
  nameLoopbackPort(port: number, name: string): void {
    this.#loopbackNames.set(port, name);
  }

  /** Appends a record and returns its `seq`. */
  append(entry: JournalEntry): number {
    const seq = ++this.#appended;
    const { data, kind, psp } = entry;
    const line = this.#line(this.#nowMs(), data, kind, psp, seq);
    this.#unhashedBytes += this.#lines.append(line) + 1;
    if (this.#unhashedBytes > hashBatchBytes) this.#hashPending();
    // Dropped in batches, so a full journal does not forget on every append.
    const overRecords = this.#lines.count > this.#recordsMax + Math.ceil(this.#recordsMax / 8);
    if (overRecords || this.#lines.bytes > this.#charactersMax + this.#charactersMax / 8)
      this.#forgetOldest();
    return seq;
  }

  /**
   * The canonical line of `{ atMs, data, kind, psp, seq }` (keys in that order, the canonical
   * one): its fixed members written as text, `data` through canonicalJson. The same bytes as
   * canonicalJson of the whole record, for less: JSON.stringify spends ~200 ns on a 13-digit
   * time alone, and most lines of a busy `serve` share their millisecond, kept here as text.
   * Only `data` can hold a URL, so normalising it normalises the line.
   */
  #line(atMs: number, data: JsonValue, kind: string, psp: string | undefined, seq: number): string {
    if (data === undefined || !Number.isFinite(atMs)) {
      const record = psp === undefined ? { atMs, data, kind, seq } : { atMs, data, kind, psp, seq };
      return normaliseLoopbackUrls(canonicalJson(record), this.#loopbackNames);
    }
    if (atMs !== this.#atMs) {
      this.#atMs = atMs;
      this.#atMsText = `{"atMs":${JSON.stringify(atMs)},"data":`;
    }
    const dataText = normaliseLoopbackUrls(canonicalJson(data), this.#loopbackNames);
    const pspText = psp === undefined ? '' : `,"psp":${quotedName(psp)}`;
    return `${this.#atMsText}${dataText},"kind":${quotedName(kind)}${pspText},"seq":${seq}}`;
  }

  /** How many records were ever appended (the `seq` of the last one). */
  get size(): number {
    return this.#appended;
  }

  /** How many of the oldest records a bounded journal has forgotten. */
  get forgotten(): number {
    return this.#appended - this.#lines.count;
  }

  /** The records kept, oldest first (a copy of the list; each record frozen). */
  records(): readonly JournalRecord[] {
    this.#lines.forEach(this.#parsed.length, (line) => {
      this.#parsed.push(Object.freeze(JSON.parse(line) as JournalRecord));
    });
    return [...this.#parsed];
  }

  /** One canonical JSON record per line, each line ending in `\n`. */
  toJsonl(): string {
    return this.#lines.text();
  }

  /** `sha256:<hex>` of every record ever appended, as JSONL, kept incrementally. */
  hash(): string {
    this.#hashPending();
    return `sha256:${this.#hash.copy().digest('hex')}`;
  }

  #hashPending(): void {
    if (this.#unhashedBytes === 0) return;
    this.#lines.drain((bytes) => this.#hash.update(bytes));
    this.#unhashedBytes = 0;
  }

  /** Forgets everything, for an admin reset between runs. */
  clear(): void {
    this.#lines.clear();
    this.#parsed.length = 0;
    this.#appended = 0;
    this.#hash = createHash('sha256');
    this.#unhashedBytes = 0;
  }

  #forgetOldest(): void {
    // The hash covers every record ever appended: what is forgotten is hashed first.
    this.#hashPending();
    const lines = this.#lines;
    const excess = Math.max(0, lines.count - this.#recordsMax);
    lines.forget(excess);
    let forgotten = excess;
    while (lines.bytes > this.#charactersMax && lines.count > 0) {
      // Large lines go one by one until the rest fit.
      lines.forget(1);
      forgotten++;
    }
    this.#parsed.splice(0, Math.min(forgotten, this.#parsed.length));
  }
}
