import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

const alphanumeric = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A seeded random stream (fast-check's PRNG, xoroshiro128+). Each component forks its own
 * named stream, derived from the root seed and the name alone, so extra draws in one
 * component never shift another component's numbers.
 *
 * @example
 * const root = SeededRandom.fromSeed(42);
 * const ids = root.fork('stripe/ids');
 * ids.int(0, 9); // the same digit for seed 42, however many draws 'faults' makes
 */
export class SeededRandom {
  readonly seed: number;
  readonly path: string;
  readonly #generator: RandomGenerator;

  private constructor(seed: number, path: string) {
    this.seed = seed;
    this.path = path;
    this.#generator = xoroshiro128plus(deriveSeed(seed, path));
  }

  /** The root stream of a run. `seed` is any safe integer. */
  static fromSeed(seed: number): SeededRandom {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`a seed is a safe integer, got ${seed}`);
    return new SeededRandom(seed, '');
  }

  /** An independent stream named `name` under this one; same seed and path, same numbers. */
  fork(name: string): SeededRandom {
    if (name.length === 0) throw new RangeError('a forked stream needs a name');
    return new SeededRandom(this.seed, this.path === '' ? name : `${this.path}/${name}`);
  }

  /** An integer in `[min, max]`, both included. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new RangeError(`int(${min}, ${max}) needs safe integers with min <= max`);
    }
    return uniformInt(this.#generator, min, max);
  }

  /** True with probability `probability` (0…1), resolved to one part in a million. */
  chance(probability: number): boolean {
    if (!(probability >= 0 && probability <= 1)) {
      throw new RangeError(`a probability is within [0, 1], got ${probability}`);
    }
    return this.int(0, 999_999) < Math.round(probability * 1_000_000);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick needs at least one item');
    return items[this.int(0, items.length - 1)]!;
  }

  /** A new array with the items in a random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const result = [...items];
    for (let index = result.length - 1; index > 0; index--) {
      const other = this.int(0, index);
      [result[index], result[other]] = [result[other]!, result[index]!];
    }
    return result;
  }

  /** A string of `length` characters drawn from `alphabet` (default: base62). */
  string(length: number, alphabet: string = alphanumeric): string {
    if (!Number.isSafeInteger(length) || length < 0 || alphabet.length === 0) {
      throw new RangeError(`string(${length}) needs a non-negative length and an alphabet`);
    }
    // Character codes, then one flat string: ids are hashed and written many times, and a
    // string grown by `+=` is a chain V8 must flatten first. Same draws as `int` each time.
    const codes = new Array<number>(length);
    const last = alphabet.length - 1;
    for (let index = 0; index < length; index++) {
      codes[index] = alphabet.charCodeAt(uniformInt(this.#generator, 0, last));
    }
    return String.fromCharCode(...codes);
  }
}

// The stream's seed depends on the root seed and the path only, never on sibling draws.
function deriveSeed(seed: number, path: string): number {
  return createHash('sha256').update(`${seed}\u0000${path}`).digest().readInt32BE(0);
}
