import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Landing,
  type LaterWrite,
  type PositionalWrite,
  type Region,
  type WriteDone,
} from '../../src/fakes/common/spill-landing.ts';

/** A disk in memory whose background writes wait until the test says how each one ends. */
function slowDisk() {
  const bytes = Buffer.alloc(1 << 16);
  const waiting: Array<{
    buffer: Buffer;
    offset: number;
    length: number;
    position: number;
    done: WriteDone;
  }> = [];
  const write: LaterWrite = (_fd, buffer, offset, length, position, done) => {
    // A copy, as a write under way must have: the buffer may be reused once this returns.
    waiting.push({
      buffer: Buffer.from(buffer.subarray(offset, offset + length)),
      offset: 0,
      length,
      position,
      done,
    });
  };
  const writeNow: PositionalWrite = (_fd, buffer, offset, length, position) =>
    buffer.copy(bytes, position, offset, offset + length);
  /** Ends the oldest waiting write: all of it, a part, or refused. */
  const end = (how: 'whole' | 'part' | 'full') => {
    const next = waiting.shift();
    if (next === undefined) return;
    if (how === 'full') return next.done(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }), 0);
    const length = how === 'part' ? Math.ceil(next.length / 2) : next.length;
    next.done(null, writeNow(0, next.buffer, next.offset, length, next.position));
  };
  return { bytes, write, writeNow, waiting, end };
}

const steps = fc.array(
  fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 300 }).map((hand) => ({ hand })), weight: 4 },
    { arbitrary: fc.constantFrom('whole', 'part', 'full').map((end) => ({ end })), weight: 4 },
    { arbitrary: fc.constant({ retry: true as const }), weight: 1 },
  ),
  { minLength: 5, maxLength: 60 },
);

describe('Landing', () => {
  it('reads every byte handed, from its buffer until it has landed and from the file after, landing in order', () => {
    let caughtUp = 0;
    fc.assert(
      fc.property(steps, fc.constantFrom(1, 16), (ops, alignment) => {
        const disk = slowDisk();
        const landed: Region[] = [];
        const failures: string[] = [];
        const target = { write: disk.write, writeNow: disk.writeNow, fd: 0, alignment };
        const landing = new Landing({
          target,
          plain: { ...target, alignment: 1 },
          landed: (region) => landed.push(region),
          failed: (error) => failures.push(String(error.code)),
        });
        const handed: Array<{ start: number; text: Buffer }> = [];
        let end = 0;
        for (const op of ops) {
          if ('hand' in op) {
            const text = Buffer.from(`${handed.length}:${'x'.repeat(op.hand)}`);
            // A buffer of its own, as the spill file hands over (and larger, for the padding).
            const buffer = Buffer.alloc(text.length + alignment, 0xee);
            text.copy(buffer);
            const landedBefore = landed.length;
            handed.push({ start: end, text });
            end += landing.hand(buffer, end, text.length);
            // Background writes land only when the test ends them: landing here is catching up.
            if (landed.length > landedBefore) caughtUp++;
          } else if ('end' in op) disk.end(op.end);
          else landing.retry();
          // Every byte handed reads back, wherever it is now.
          for (const { start, text } of handed) {
            const region = landing.regionAt(start);
            const read = region === undefined ? disk.bytes : region.buffer;
            const from = region === undefined ? start : start - region.start;
            expect(read.subarray(from, from + text.length).equals(text)).toBe(true);
            // Below the first region still on its way, the file holds it all.
            if (start + text.length <= (landing.firstStart ?? end))
              expect(disk.bytes.subarray(start, start + text.length).equals(text)).toBe(true);
          }
        }
        expect(landed.map((region) => region.start)).toEqual(
          [...landed.map((region) => region.start)].sort((a, b) => a - b),
        );
        expect(failures.every((code) => code === 'ENOSPC')).toBe(true);
        // Once the disk takes everything, everything lands.
        for (landing.retry(); disk.waiting.length > 0;) disk.end('whole');
        expect(landing.firstStart).toBeUndefined();
        expect(landed.map((region) => region.start)).toEqual(handed.map(({ start }) => start));
        for (const { start, text } of handed)
          expect(disk.bytes.subarray(start, start + text.length).equals(text)).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
    // Buffers piled up past the limit were really written at once, not only allowed to be.
    expect(caughtUp).toBeGreaterThan(10);
  });

  it('closes the file only once every write under way is over, a stale one included', () => {
    const disk = slowDisk();
    const target = { write: disk.write, writeNow: disk.writeNow, fd: 0, alignment: 1 };
    const landing = new Landing({ target, plain: target, landed: () => undefined, failed: () => undefined });
    // Five buffers: the fifth makes the file take them all at once while the first is under way.
    for (let n = 0; n < 5; n++) landing.hand(Buffer.from(`region ${n}`), n * 8, 8);
    expect(landing.firstStart).toBeUndefined();
    landing.hand(Buffer.from('region 5'), 40, 8);
    expect(disk.waiting).toHaveLength(2);
    let closed = 0;
    landing.close(() => closed++);
    disk.end('whole');
    expect(closed).toBe(0);
    disk.end('whole');
    expect(closed).toBe(1);
    expect(disk.bytes.subarray(0, 48).toString()).toBe('region 0region 1region 2region 3region 4region 5');
  });
});
