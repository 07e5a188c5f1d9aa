import { describe, expect, it } from 'vitest';
import { BoundExceededError } from '../../src/sim/assert.ts';
import { durationMs, VirtualClock } from '../../src/sim/clock.ts';

const start = Date.UTC(2026, 0, 1);

describe('VirtualClock', () => {
  it('fires timers by due time, then by scheduling order for equal due times', () => {
    const clock = new VirtualClock(start);
    const fired: string[] = [];
    const log = (label: string) => () => fired.push(label);
    clock.schedule({ delayMs: 300, label: 'c', run: log('c') });
    clock.schedule({ delayMs: 100, label: 'a', run: log('a') });
    clock.schedule({ delayMs: 300, label: 'd', run: log('d') });
    clock.schedule({ delayMs: 100, label: 'b', run: log('b') });
    expect(clock.advanceBy(1_000)).toBe(4);
    expect(fired).toEqual(['a', 'b', 'c', 'd']);
  });

  it('runs each timer at its own due time and lands on the target', () => {
    const clock = new VirtualClock(start);
    const seen: number[] = [];
    clock.schedule({ delayMs: 250, label: 'x', run: (at) => seen.push(at, clock.nowMs()) });
    clock.advanceTo(start + 1_000);
    expect(seen).toEqual([start + 250, start + 250]);
    expect(clock.nowMs()).toBe(start + 1_000);
  });

  it('sleep resolves only once virtual time has moved on by the delay', async () => {
    const clock = new VirtualClock(0);
    let woke = false;
    const sleeping = clock.sleep(5_000, 'stalled request').then(() => (woke = true));
    clock.advanceBy(4_999);
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advanceBy(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('never goes backwards', () => {
    const clock = new VirtualClock(start);
    clock.advanceBy(10);
    expect(() => clock.advanceTo(start)).toThrow(/never goes backwards/);
    expect(() => clock.advanceBy(-1)).toThrow(RangeError);
    expect(clock.nowMs()).toBe(start + 10);
  });

  it('fires a timer scheduled in the past at now, not earlier', () => {
    const clock = new VirtualClock(start + 500);
    let firedAt = 0;
    clock.schedule({ atMs: start, label: 'late', run: (at) => (firedAt = at) });
    expect(clock.runDue()).toBe(1);
    expect(firedAt).toBe(start + 500);
  });

  it('fires timers scheduled by timers within the same advance, in order', () => {
    const clock = new VirtualClock(start);
    const fired: number[] = [];
    clock.schedule({
      delayMs: 10,
      label: 'parent',
      run: () => {
        fired.push(clock.nowMs() - start);
        clock.schedule({ delayMs: 5, label: 'child', run: () => fired.push(clock.nowMs() - start) });
      },
    });
    clock.advanceBy(100);
    expect(fired).toEqual([10, 15]);
  });

  it('skips cancelled timers', () => {
    const clock = new VirtualClock(start);
    const fired: string[] = [];
    const handle = clock.schedule({ delayMs: 1, label: 'gone', run: () => fired.push('gone') });
    clock.schedule({ delayMs: 2, label: 'kept', run: () => fired.push('kept') });
    clock.cancel(handle);
    expect(clock.pendingCount()).toBe(1);
    clock.runUntilIdle();
    expect(fired).toEqual(['kept']);
  });

  it('runUntilIdle jumps time to each timer and stops when idle', () => {
    const clock = new VirtualClock(start);
    clock.schedule({ delayMs: 3 * 86_400_000, label: 'in three days', run: () => undefined });
    expect(clock.runUntilIdle()).toBe(1);
    expect(clock.nowMs()).toBe(start + 3 * 86_400_000);
    expect(clock.nextDueAtMs()).toBeUndefined();
  });

  it('turns a self-rescheduling loop into an error naming stepsMax, not a hang', () => {
    const clock = new VirtualClock(start);
    const loop = () => {
      clock.schedule({ delayMs: 0, label: 'loop', run: loop });
    };
    loop();
    expect(() => clock.runUntilIdle({ stepsMax: 50 })).toThrow(BoundExceededError);
    expect(() => clock.runUntilIdle({ stepsMax: 50 })).toThrow(/stepsMax/);
  });

  it('refuses fractional or negative times', () => {
    expect(() => new VirtualClock(1.5)).toThrow(RangeError);
    expect(() => new VirtualClock(-1)).toThrow(RangeError);
  });
});

describe('durationMs', () => {
  it('reads the units scenarios use', () => {
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs('90s')).toBe(90_000);
    expect(durationMs('5m')).toBe(300_000);
    expect(durationMs('1h')).toBe(3_600_000);
    expect(durationMs('31d')).toBe(31 * 86_400_000);
    expect(() => durationMs('1 week')).toThrow(/not a duration/);
  });
});
