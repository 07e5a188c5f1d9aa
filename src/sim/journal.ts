import { createHash, type Hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { JournalEntry, JournalRecord } from './journal-lines.ts';
import { normaliseLoopbackUrls } from './loopback-urls.ts';

export type { JournalEntry, JournalKind, JournalLine, JournalRecord } from './journal-lines.ts';

// Lines are hashed once this many characters wait (the digest is the same as line by line).
const hashBatchCharacters = 64 * 1024;

/** How many records a journal keeps. */
export interface JournalOptions {
  /**
   * Most records kept (a long `serve`): past it the oldest are forgotten, while `seq` and the
   * hash still cover every record ever appended. Unbounded when absent (a scenario run, whose
   * checker reads all of it).
   */
  readonly recordsMax?: number;
  /**
   * Most characters of canonical lines kept, likewise: a `serve` fed large requests (a stream
   * of 100 meter events is 12 KB a line) stays bounded in memory, not only in records.
   */
  readonly charactersMax?: number;
}

/**
 * The append-only record of a run: every request, response, event, webhook attempt and
 * fault, stamped with virtual time. Its hash is over the canonical JSONL, so the same seed,
 * scenario and SUT give the same hash, and any changed record changes it. Each record is kept
 * as its canonical line alone (written once, the history nobody can edit) and parsed only
 * when someone reads the records.
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
  readonly #lines: string[] = [];
  #characters = 0;
  /** Records parsed from the first `#parsed.length` kept lines, for repeated reads. */
  readonly #parsed: JournalRecord[] = [];
  #appended = 0;
  #hash: Hash = createHash('sha256');
  /** Lines not yet fed to the hash: hashed in batches, not one native call per record. */
  #unhashed: string[] = [];
  #unhashedCharacters = 0;
  readonly #loopbackNames = new Map<number, string>();

  constructor(nowMs: () => number, options: JournalOptions = {}) {
    this.#nowMs = nowMs;
    this.#recordsMax = options.recordsMax ?? Number.POSITIVE_INFINITY;
    this.#charactersMax = options.charactersMax ?? Number.POSITIVE_INFINITY;
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
    const data = normaliseLoopbackUrls(canonicalJson(entry.data), this.#loopbackNames);
    // The record's canonical JSON, written out: keys in sorted order (atMs, data, kind, psp, seq).
    const psp = entry.psp === undefined ? '' : `"psp":${JSON.stringify(entry.psp)},`;
    const line = `{"atMs":${canonicalJson(this.#nowMs())},"data":${data},"kind":${JSON.stringify(entry.kind)},${psp}"seq":${seq}}`;
    this.#lines.push(line);
    this.#characters += line.length;
    this.#unhashed.push(line);
    this.#unhashedCharacters += line.length;
    if (this.#unhashedCharacters > hashBatchCharacters) this.#hashPending();
    // Dropped in batches, so a full journal does not shift its array on every append.
    const overRecords = this.#lines.length > this.#recordsMax + Math.ceil(this.#recordsMax / 8);
    if (overRecords || this.#characters > this.#charactersMax + this.#charactersMax / 8) this.#forgetOldest();
    return seq;
  }

  /** How many records were ever appended (the `seq` of the last one). */
  get size(): number {
    return this.#appended;
  }

  /** How many of the oldest records a bounded journal has forgotten. */
  get forgotten(): number {
    return this.#appended - this.#lines.length;
  }

  /** The records kept, oldest first (a copy of the list; each record frozen). */
  records(): readonly JournalRecord[] {
    for (let index = this.#parsed.length; index < this.#lines.length; index++) {
      this.#parsed.push(Object.freeze(JSON.parse(this.#lines[index]!) as JournalRecord));
    }
    return [...this.#parsed];
  }

  /** One canonical JSON record per line, each line ending in `\n`. */
  toJsonl(): string {
    return this.#lines.length === 0 ? '' : `${this.#lines.join('\n')}\n`;
  }

  /** `sha256:<hex>` of every record ever appended, as JSONL, kept incrementally. */
  hash(): string {
    this.#hashPending();
    return `sha256:${this.#hash.copy().digest('hex')}`;
  }

  #hashPending(): void {
    if (this.#unhashed.length === 0) return;
    this.#hash.update(`${this.#unhashed.join('\n')}\n`);
    this.#unhashed = [];
    this.#unhashedCharacters = 0;
  }

  /** Forgets everything, for an admin reset between runs. */
  clear(): void {
    this.#lines.length = 0;
    this.#characters = 0;
    this.#parsed.length = 0;
    this.#appended = 0;
    this.#hash = createHash('sha256');
    this.#unhashed = [];
    this.#unhashedCharacters = 0;
  }

  #forgetOldest(): void {
    let excess = Math.max(0, this.#lines.length - this.#recordsMax);
    let characters = this.#characters;
    for (let index = 0; index < excess; index++) characters -= this.#lines[index]!.length;
    while (characters > this.#charactersMax && excess < this.#lines.length)
      characters -= this.#lines[excess++]!.length;
    this.#characters = characters;
    this.#lines.splice(0, excess);
    this.#parsed.splice(0, Math.min(excess, this.#parsed.length));
  }
}
