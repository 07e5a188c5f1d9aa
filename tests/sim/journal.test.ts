import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonValue } from '../../src/sim/canonical-json.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { Journal, type JournalEntry } from '../../src/sim/journal.ts';

function scriptedRun(seed: number, tweak?: string) {
  const sim = createSimulation({ seed });
  const ids = sim.idsFor('stripe');
  sim.journal.append({
    kind: 'request',
    psp: 'stripe',
    // The seeded id makes the hash depend on the seed.
    data: {
      requestId: ids.stripe('req_'),
      method: 'POST',
      path: '/v1/customers',
      query: '',
      body: '',
      idempotencyKey: null,
    },
  });
  sim.clock.advanceBy(1_500);
  sim.journal.append({
    kind: 'fault',
    psp: 'stripe',
    data: { rule: tweak ?? 'lost-response', phase: 'after', effect: null, requestId: 'req_1' },
  });
  sim.journal.append({
    kind: 'webhook_attempt',
    data: { eventId: 'evt_1', endpointId: 'we_1', attempt: 1, status: 200 },
  });
  return sim.journal;
}

describe('Journal', () => {
  it('numbers records and stamps them with virtual time', () => {
    const records = scriptedRun(1).records();
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3]);
    expect(records[1]!.atMs - records[0]!.atMs).toBe(1_500);
  });

  it('hashes two identical runs identically', () => {
    expect(scriptedRun(1).hash()).toBe(scriptedRun(1).hash());
    expect(scriptedRun(1).hash()).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('changes the hash when any record changes', () => {
    const base = scriptedRun(1).hash();
    expect(scriptedRun(2).hash()).not.toBe(base);
    expect(scriptedRun(1, 'reset').hash()).not.toBe(base);
  });

  it('exports canonical JSONL, one record per line', () => {
    const lines = scriptedRun(1).toJsonl().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const parsed = JSON.parse(lines[1]!) as { kind: string; seq: number };
    expect(parsed).toMatchObject({ kind: 'fault', seq: 2 });
  });

  it('keeps history immune to later edits of the appended object', () => {
    const sim = createSimulation({ seed: 1 });
    const data = { amount: 100 };
    sim.journal.append({ kind: 'note', data });
    data.amount = 999;
    const [record] = sim.journal.records();
    expect(record!.data).toEqual({ amount: 100 });
    expect(Object.isFrozen(record)).toBe(true);
  });

  it('hashes the same content the same regardless of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, 2] }, b: 1 }),
    );
  });

  it('writes each line as canonical JSON of the record, psp or not', () => {
    const lines = scriptedRun(1).toJsonl().trimEnd().split('\n');
    for (const line of lines) expect(canonicalJson(JSON.parse(line) as JsonValue)).toBe(line);
  });

  it('writes the very bytes of canonicalJson for any record, its time repeated or not', () => {
    const entries = fc.array(
      fc.record({
        data: fc.dictionary(fc.string(), fc.jsonValue()),
        kind: fc.constantFrom('request', 'event', 'note'),
        psp: fc.option(fc.string(), { nil: undefined }),
        // Lines share their millisecond more often than not.
        advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 ** 9 })),
      }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(entries, (list) => {
        let nowMs = Date.UTC(2026, 0, 1);
        const journal = new Journal(() => nowMs);
        const expected = list.map(({ data, kind, psp, advanceMs }, index) => {
          nowMs += advanceMs;
          journal.append({ kind, data, ...(psp === undefined ? {} : { psp }) } as JournalEntry);
          const record = { atMs: nowMs, data, kind, ...(psp === undefined ? {} : { psp }), seq: index + 1 };
          return canonicalJson(record as JsonValue);
        });
        expect(journal.toJsonl()).toBe(expected.map((line) => `${line}\n`).join(''));
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('bounded, forgets the oldest records but numbers and hashes every one', () => {
    const bounded = new Journal(() => 0, { recordsMax: 10 });
    const unbounded = new Journal(() => 0);
    for (let n = 1; n <= 100; n++) {
      expect(bounded.append({ kind: 'note', data: { n } })).toBe(n);
      unbounded.append({ kind: 'note', data: { n } });
    }
    expect(bounded.size).toBe(100);
    const kept = bounded.records();
    expect(kept.length).toBeGreaterThanOrEqual(10);
    expect(kept.length).toBeLessThanOrEqual(12);
    expect(kept.at(-1)).toEqual({ seq: 100, atMs: 0, kind: 'note', data: { n: 100 } });
    expect(kept[0]!.seq).toBe(101 - kept.length);
    expect(bounded.forgotten).toBe(100 - kept.length);
    expect(bounded.hash()).toBe(unbounded.hash());
    expect(unbounded.records()).toHaveLength(100);
  });

  it('bounded by characters, forgets the oldest large records first and still hashes every one', () => {
    const bounded = new Journal(() => 0, { charactersMax: 10_000 });
    const unbounded = new Journal(() => 0);
    const body = 'x'.repeat(1_000);
    for (let n = 1; n <= 100; n++) {
      bounded.append({ kind: 'note', data: { n, body } });
      unbounded.append({ kind: 'note', data: { n, body } });
    }
    const kept = bounded.records();
    const characters = bounded.toJsonl().length - kept.length;
    // Never past the bound by more than the batch slack (an eighth), never emptier than the bound allows.
    expect(characters).toBeLessThanOrEqual(10_000 + 10_000 / 8);
    expect(characters).toBeGreaterThan(10_000 - 1_100);
    expect(kept.at(-1)!.seq).toBe(100);
    expect(kept[0]!.seq).toBe(101 - kept.length);
    expect(bounded.forgotten).toBe(100 - kept.length);
    expect(bounded.hash()).toBe(unbounded.hash());
  });

  it('clears back to an empty, fresh hash', () => {
    const journal = scriptedRun(1);
    const empty = createSimulation({ seed: 1 }).journal.hash();
    journal.clear();
    expect(journal.size).toBe(0);
    expect(journal.hash()).toBe(empty);
  });
});

describe('Journal: loopback URLs', () => {
  it('records named ports by name and every other loopback port as the sut, plain or form-encoded', () => {
    const sim = createSimulation({ seed: 1 });
    sim.journal.nameLoopbackPort(40001, 'stripe.fakepsp');
    sim.journal.append({
      kind: 'note',
      data: {
        body: 'url=http%3A%2F%2F127.0.0.1%3A37111%2Fwebhooks%2Fstripe&enabled_events[]=*',
        base: 'http://127.0.0.1:40001/v1/customers',
        other: 'https://localhost:8443/x and http://[::1]:9/y',
        remote: 'https://example.com:8443/x',
      },
    });
    expect(sim.journal.records()[0]!.data).toEqual({
      body: 'url=http%3A%2F%2Fsut%2Fwebhooks%2Fstripe&enabled_events[]=*',
      base: 'http://stripe.fakepsp/v1/customers',
      other: 'https://sut/x and http://sut/y',
      remote: 'https://example.com:8443/x',
    });
  });

  it('hashes the same run identically whatever ports its sockets got', () => {
    const run = (port: number) => {
      const sim = createSimulation({ seed: 1 });
      sim.journal.append({ kind: 'note', data: { url: `http://127.0.0.1:${port}/hooks` } });
      return sim.journal.hash();
    };
    expect(run(41000)).toBe(run(52000));
  });
});
