import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/sim/random.ts';

const draws = (random: SeededRandom, count = 20) =>
  Array.from({ length: count }, () => random.int(0, 1_000_000));

describe('SeededRandom', () => {
  it('gives the same draws for the same seed', () => {
    expect(draws(SeededRandom.fromSeed(42))).toEqual(draws(SeededRandom.fromSeed(42)));
  });

  it('gives different draws for different seeds', () => {
    expect(draws(SeededRandom.fromSeed(42))).not.toEqual(draws(SeededRandom.fromSeed(43)));
  });

  it('forks streams that do not shift when a sibling draws more', () => {
    const quiet = SeededRandom.fromSeed(7);
    const quietIds = quiet.fork('ids');
    const busy = SeededRandom.fromSeed(7);
    const busyFaults = busy.fork('faults');
    draws(busyFaults, 1_000);
    draws(busy, 1_000);
    const busyIds = busy.fork('ids');
    expect(draws(busyIds)).toEqual(draws(quietIds));
  });

  it('gives different numbers to differently named forks and to nested paths', () => {
    const root = SeededRandom.fromSeed(7);
    expect(draws(root.fork('a'))).not.toEqual(draws(root.fork('b')));
    expect(root.fork('a').fork('b').path).toBe('a/b');
    expect(draws(root.fork('a').fork('b'))).not.toEqual(draws(root.fork('a/c')));
  });

  it('keeps int within its inclusive bounds and reaches both ends', () => {
    const random = SeededRandom.fromSeed(1);
    const seen = new Set(Array.from({ length: 500 }, () => random.int(3, 5)));
    expect([...seen].sort()).toEqual([3, 4, 5]);
    expect(() => random.int(5, 3)).toThrow(RangeError);
  });

  it('honours chance(0) and chance(1) and refuses nonsense probabilities', () => {
    const random = SeededRandom.fromSeed(1);
    expect(Array.from({ length: 100 }, () => random.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => random.chance(1)).every(Boolean)).toBe(true);
    expect(() => random.chance(1.5)).toThrow(RangeError);
  });

  it('shuffles into a permutation and picks members', () => {
    const random = SeededRandom.fromSeed(9);
    const items = [1, 2, 3, 4, 5, 6];
    expect(random.shuffle(items).sort()).toEqual(items);
    expect(items).toContain(random.pick(items));
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it('refuses a seed that is not a safe integer', () => {
    expect(() => SeededRandom.fromSeed(1.5)).toThrow(RangeError);
  });
});
