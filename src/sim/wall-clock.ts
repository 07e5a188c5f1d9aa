/**
 * The one sanctioned read of the machine's clock outside the CLI. Webhook signature
 * timestamps must be wall-clock time, because a billing service checks them against its own
 * system clock (stripe-node rejects a `t` older than 300 s). Nothing recorded in the journal
 * may depend on it.
 */
export function wallClockSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Wall-clock milliseconds, for `serve --clock real` only. */
export function wallClockMs(): number {
  return Date.now();
}

/**
 * A real-time deadline for talking to another process (a billing service that may hang): the
 * harness's patience is wall-clock time by nature, and never reaches the journal.
 */
export function wallClockDeadline(ms: number): AbortSignal {
  return AbortSignal.timeout(ms);
}

/** Waits real time: polling a starting process until it answers. */
export function wallClockSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Calls `fire` after `ms` of real time unless cancelled first (a deadline on another party). */
export function wallClockTimer(ms: number, fire: () => void): () => void {
  const timer = setTimeout(fire, ms);
  timer.unref();
  return () => clearTimeout(timer);
}
