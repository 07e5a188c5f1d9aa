import { describe, expect, it, vi } from 'vitest';
import { IdempotencyStore } from '../../src/fakes/common/idempotency.ts';
import { SavedBodies } from '../../src/fakes/common/saved-bodies.ts';

const megabyte = 1024 * 1024;

describe('SavedBodies', () => {
  it('gives back every body as saved, in any script, across chunks and larger than a chunk', () => {
    const bodies = new SavedBodies();
    const texts = Array.from(
      { length: 3000 },
      (_, n) => `{"n":${n},"name":"Zoë 東京 🚀 ${'x'.repeat(n % 700)}"}`,
    );
    texts.push('z'.repeat(3 * megabyte), '', '{\n  "pretty": true\n}');
    const records = texts.map((body, n) => ({ head: n % 5 === 0 ? '' : `["k${n}","Zoë"]`, body }));
    const places = records.map(({ head, body }) => bodies.save(head, body));
    expect(places.map((place) => bodies.read(place))).toEqual(records);
  });

  it('forgets the oldest bodies past its bound, and writes their chunks over again', () => {
    const bodies = new SavedBodies(4 * megabyte);
    const textOf = (n: number) => `${n} ${'y'.repeat(1000)}`;
    const places = Array.from({ length: 6000 }, (_, n) => bodies.save(`${n}`, textOf(n)));
    expect(bodies.read(places[0]!)).toBeUndefined();
    expect(bodies.read(places.at(-1)!)).toEqual({ head: '5999', body: textOf(5999) });
    const kept = places.filter((place) => bodies.read(place) !== undefined).length;
    // Whole chunks are forgotten: between three and four megabytes of the newest stay.
    expect(kept).toBeGreaterThan(3000);
    expect(kept).toBeLessThan(4200);
    const allocations = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      for (let n = 6000; n < 12_000; n++) bodies.save(`${n}`, textOf(n));
      expect(allocations).not.toHaveBeenCalled();
    } finally {
      allocations.mockRestore();
    }
    expect(bodies.read(places.at(-1)!)).toBeUndefined();
  });

  it('forgets everything when cleared', () => {
    const bodies = new SavedBodies();
    const place = bodies.save('k1', '{"id":"cus_1"}');
    bodies.clear();
    expect(bodies.read(place)).toBeUndefined();
    expect(bodies.read(bodies.save('k2', '{"id":"cus_2"}'))).toEqual({ head: 'k2', body: '{"id":"cus_2"}' });
  });
});

describe('IdempotencyStore over SavedBodies', () => {
  it('replays the saved answer byte for byte, and runs afresh a key whose body was forgotten', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, bodyBytesMax: 2 * megabyte });
    const claim = (key: string) =>
      store.begin({ scope: 'platform', key, fingerprint: 'POST /v1/x', nowMs: 0, requestId: `req_${key}` });
    const answer = (n: number) => ({
      status: 200,
      headers: { 'request-id': `req_${n}` },
      body: `{"n":${n}}`,
    });
    expect(claim('first').kind).toBe('new');
    store.finish('platform', 'first', answer(0));
    expect(claim('first')).toEqual({ kind: 'replay', response: answer(0), originalRequestId: 'req_first' });
    // ~3 MB of large answers push the first body out of the 2 MB kept.
    for (let n = 1; n <= 30; n++) {
      claim(`large-${n}`);
      store.finish('platform', `large-${n}`, { ...answer(n), body: 'z'.repeat(100_000) });
    }
    expect(claim('large-30').kind).toBe('replay');
    expect(claim('first').kind).toBe('new');
  });

  it('replays the newest answered keys as its ring grows to the cap, and forgets the older', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, keysMax: 200 });
    const claim = (n: number) =>
      store.begin({
        scope: 'acct_1',
        key: `k${n}`,
        fingerprint: `POST /v1/x n=${n}`,
        nowMs: 0,
        requestId: `req_${n}`,
      });
    for (let n = 0; n < 300; n++) {
      expect(claim(n).kind).toBe('new');
      store.finish('acct_1', `k${n}`, {
        status: 200,
        headers: { 'request-id': `req_${n}` },
        body: `{"n":${n}}`,
      });
    }
    expect(store.size).toBe(200);
    for (let n = 100; n < 300; n++)
      expect(claim(n)).toEqual({
        kind: 'replay',
        response: { status: 200, headers: { 'request-id': `req_${n}` }, body: `{"n":${n}}` },
        originalRequestId: `req_${n}`,
      });
    expect(claim(99).kind).toBe('new');
  });

  it('gives back the chunks of answers no kept key reaches, long before its byte bound', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, keysMax: 100 });
    const body = 'b'.repeat(10_000);
    const answer = (n: number) => {
      store.begin({
        scope: 'platform',
        key: `k${n}`,
        fingerprint: 'POST /v1/x',
        nowMs: 0,
        requestId: `req_${n}`,
      });
      store.finish('platform', `k${n}`, { status: 200, headers: {}, body });
    };
    for (let n = 0; n < 500; n++) answer(n);
    // A hundred kept answers are a megabyte: past it the chunks are written over, not added.
    const allocations = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      for (let n = 500; n < 5000; n++) answer(n);
      expect(allocations).not.toHaveBeenCalled();
    } finally {
      allocations.mockRestore();
    }
    expect(
      store.begin({ scope: 'platform', key: 'k4999', fingerprint: 'POST /v1/x', nowMs: 0, requestId: 'r' })
        .kind,
    ).toBe('replay');
  });
});
