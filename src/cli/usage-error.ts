/**
 * A mistake in how fakepsp was called (a flag, a path, a service that is not there): printed as
 * one line and exit code 2, never a stack trace (unless `--debug`).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The process exit code of a usage mistake. */
export const usageExitCode = 2;
