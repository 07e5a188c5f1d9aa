/**
 * Thrown when one of fakepsp's own invariants breaks: a bug in fakepsp, never a PSP outcome.
 * Expected outcomes (declines, validation errors) are values rendered by each PSP's error module.
 */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/**
 * Asserts a condition that can only be false through a programming error.
 *
 * @example
 * assert(refundedMinor <= capturedMinor, 'refunded more than captured');
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

/**
 * Thrown when a named bound (`stepsMax`, `attemptsMax`, …) is exceeded, so a runaway loop
 * becomes an error that names the bound instead of a hang.
 */
export class BoundExceededError extends Error {
  override readonly name = 'BoundExceededError';
}
