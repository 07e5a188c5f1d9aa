import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { Journal } from '../../src/sim/journal.ts';
import { LineLog, type SealedChunks } from '../../src/sim/line-log.ts';

const drained = (log: LineLog): string => {
  const parts: Buffer[] = [];
  log.drain((bytes) => parts.push(Buffer.from(bytes)));
  return Buffer.concat(parts).toString('utf8');
};

const linesOf = (log: LineLog, from = 0): string[] => {
  const lines: string[] = [];
  log.forEach(from, (line) => lines.push(line));
  return lines;
};

/** Sealed chunks kept in a Map (a file, in `serve`), counting what it was given. */
function sealedInMemory(): SealedChunks & { readonly kept: Map<number, Buffer> } {
  const kept = new Map<number, Buffer>();
  let next = 0;
  return {
    kept,
    keep: (bytes) => (kept.set(next, Buffer.from(bytes)), (next += bytes.length) - bytes.length),
    read: (at, length) => Buffer.from(kept.get(at)!.subarray(0, length)),
  };
}

describe('LineLog', () => {
  it('keeps lines as UTF-8, whatever their characters, and counts their bytes', () => {
    const log = new LineLog();
    expect(log.append('{"a":1}')).toBe(7);
    expect(log.append('{"name":"Zoë 東京 🚀"}')).toBe(Buffer.byteLength('{"name":"Zoë 東京 🚀"}'));
    expect(log.count).toBe(2);
    expect(log.bytes).toBe(7 + Buffer.byteLength('{"name":"Zoë 東京 🚀"}'));
    expect(log.text()).toBe('{"a":1}\n{"name":"Zoë 東京 🚀"}\n');
    expect(linesOf(log, 1)).toEqual(['{"name":"Zoë 東京 🚀"}']);
  });

  it('hands out every appended byte once, in order, across chunks and lines longer than a chunk', () => {
    const log = new LineLog();
    const lines = Array.from({ length: 3000 }, (_, n) => `{"n":${n},"pad":"${'é'.repeat(n % 50)}"}`);
    lines.splice(1500, 0, 'x'.repeat(2 * 1024 * 1024));
    let handed = '';
    for (const [index, line] of lines.entries()) {
      log.append(line);
      if (index % 700 === 0) handed += drained(log);
    }
    handed += drained(log);
    expect(handed).toBe(`${lines.join('\n')}\n`);
    expect(drained(log)).toBe('');
    expect(linesOf(log)).toEqual(lines);
  });

  it('forgets the oldest lines, across chunks, and reads the rest from any line', () => {
    const log = new LineLog();
    const lines = Array.from({ length: 5000 }, (_, n) => `line ${n} ${'y'.repeat(n % 40)}`);
    for (const line of lines) log.append(line);
    drained(log);
    log.forget(4321);
    expect(log.count).toBe(679);
    expect(log.bytes).toBe(Buffer.byteLength(lines.slice(4321).join('')));
    expect(log.text()).toBe(`${lines.slice(4321).join('\n')}\n`);
    expect(linesOf(log, 600)).toEqual(lines.slice(4921));
    log.append('after');
    expect(drained(log)).toBe('after\n');
  });

  it('writes on from the start once every line is forgotten, and clears to empty', () => {
    const log = new LineLog();
    log.append('one');
    log.append('two');
    expect(drained(log)).toBe('one\ntwo\n');
    log.forget(10);
    expect(log.count).toBe(0);
    expect(log.text()).toBe('');
    log.append('three');
    expect(drained(log)).toBe('three\n');
    expect(log.text()).toBe('three\n');
    log.clear();
    expect([log.count, log.bytes, log.text(), drained(log)]).toEqual([0, 0, '', '']);
  });

  it('writes forgotten full chunks over again: a log held at its bound allocates no new buffer', () => {
    const log = new LineLog();
    const lineOf = (n: number) => `${n} ${'x'.repeat(1000)}`;
    let appended = 0;
    // As a bounded journal does: several megabytes of lines forgotten at once, past 6,000 kept.
    const appendBounded = (lines: number) => {
      for (let n = 0; n < lines; n++) {
        log.append(lineOf(appended++));
        if (log.count > 6000) log.forget(log.count - 4000);
      }
      drained(log);
    };
    appendBounded(20_000);
    const allocations = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      appendBounded(20_000);
      expect(allocations).not.toHaveBeenCalled();
    } finally {
      allocations.mockRestore();
    }
    const kept = Array.from({ length: log.count }, (_, n) => lineOf(appended - log.count + n));
    expect(log.text()).toBe(`${kept.join('\n')}\n`);
    log.append('after');
    expect(drained(log)).toBe('after\n');
  });
});

describe('Journal over a LineLog', () => {
  it('hashes exactly its JSONL bytes, bounded or not, with lines of any size and script', () => {
    const unbounded = new Journal(() => 0);
    const bounded = new Journal(() => 0, { recordsMax: 50, charactersMax: 40_000 });
    for (let n = 0; n < 400; n++) {
      const data = { n, text: `Zoë ${'ü'.repeat(n)}`, big: n % 97 === 0 ? 'z'.repeat(30_000) : null };
      unbounded.append({ kind: 'note', data });
      bounded.append({ kind: 'note', data });
    }
    const digest = `sha256:${createHash('sha256').update(unbounded.toJsonl()).digest('hex')}`;
    expect(unbounded.hash()).toBe(digest);
    expect(bounded.hash()).toBe(digest);
    expect(bounded.records().at(-1)!.seq).toBe(400);
    expect(bounded.records().length).toBeLessThanOrEqual(50 + 50 / 8);
    expect(bounded.toJsonl()).toBe(
      unbounded
        .toJsonl()
        .split('\n')
        .slice(-1 - bounded.records().length)
        .join('\n'),
    );
  });

  it('moves full chunks it has handed out to where `sealed` keeps them, and reads them back', () => {
    const sealed = sealedInMemory();
    const log = new LineLog(sealed);
    const plain = new LineLog();
    const lines = Array.from({ length: 20_000 }, (_, n) => `{"n":${n},"name":"Zoë ${'x'.repeat(n % 90)}"}`);
    let handed = '';
    let plainHanded = '';
    for (const [index, line] of lines.entries()) {
      log.append(line);
      plain.append(line);
      if (index % 997 === 0) [handed, plainHanded] = [handed + drained(log), plainHanded + drained(plain)];
    }
    [handed, plainHanded] = [handed + drained(log), plainHanded + drained(plain)];
    expect(handed).toBe(plainHanded);
    expect(sealed.kept.size).toBeGreaterThan(1);
    expect(linesOf(log, 123)).toEqual(lines.slice(123));
    expect(log.text()).toBe(plain.text());
    log.forget(15_000);
    expect(linesOf(log)).toEqual(lines.slice(15_000));
    expect(log.text()).toBe(`${lines.slice(15_000).join('\n')}\n`);
  });
});
