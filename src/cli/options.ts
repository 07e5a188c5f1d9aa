import { InvalidArgumentError } from 'commander';

/** Parsers for the command line's values: a bad one is a one-line usage error naming what fits. */

export function integer(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(parsed))
    throw new InvalidArgumentError('expected an integer');
  return parsed;
}

/** A whole number ≥ 1: runs at once, workers, runs to explore. */
export function atLeastOne(value: string): number {
  const parsed = integer(value);
  if (parsed < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return parsed;
}

/** A TCP port; 0 lets the system choose one. */
export function port(value: string): number {
  const parsed = integer(value);
  if (parsed < 0 || parsed > 65_535) throw new InvalidArgumentError('expected a port from 0 to 65535');
  return parsed;
}

/** A number of seconds above zero. */
export function seconds(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0)
    throw new InvalidArgumentError('expected a number of seconds above 0');
  return parsed;
}

/** `--shard i/n`, with 1 ≤ i ≤ n. */
export function shard(value: string): string {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError('expected i/n, e.g. 1/4');
  const [index, count] = [Number(match[1]), Number(match[2])];
  if (count < 1 || index < 1 || index > count) throw new InvalidArgumentError(`expected i/n with 1 ≤ i ≤ n`);
  return `${index}/${count}`;
}

export const reporterNames = ['pretty', 'json', 'junit', 'html'] as const;

/**
 * `--reporter json,html` or `--reporter json --reporter html`: one value per flag, so a path
 * after it is a path, not a reporter.
 */
export function reporters(value: string, previous: readonly string[] | undefined): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(reporterNames as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0)
    throw new InvalidArgumentError(`expected ${reporterNames.join(', ')} (comma-separated or repeated)`);
  return [...(previous ?? []), ...names];
}
