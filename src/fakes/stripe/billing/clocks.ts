import { VirtualClock } from '../../../sim/clock.ts';
import type { StripeContext, StripeRuntime } from '../context.ts';
import { virtualClockOf } from '../test-clock-time.ts';

export { testClockType, virtualClockOf } from '../test-clock-time.ts';

/** Ensures a just-created test clock has its virtual clock (see {@link virtualClockOf}). */
export function startVirtualClock(runtime: StripeRuntime, clockId: string, frozenTime: number): void {
  if (!runtime.testClocks.has(clockId)) runtime.testClocks.set(clockId, new VirtualClock(frozenTime * 1000));
}

/** Work to run at an instant of a customer's time: its test clock's, or the run's. */
export interface TimedWork {
  readonly customer: string;
  readonly atSeconds: number;
  readonly label: string;
  readonly run: (context: StripeContext) => void;
}

/**
 * Schedules work at an absolute instant as the customer sees time. Jobs on a test clock run
 * only when that clock advances, as Stripe's do.
 */
export function scheduleAt(context: StripeContext, work: TimedWork): void {
  const clockId = context.testClockOf(work.customer);
  const clock =
    clockId === undefined
      ? context.runtime.sim.clock
      : virtualClockOf(context.runtime, context.tx.scope, clockId);
  const nowMs = clock?.nowMs() ?? context.nowFor(work.customer) * 1000;
  const delayMs = Math.max(0, work.atSeconds * 1000 - nowMs);
  context.later({
    label: work.label,
    delayMs,
    ...(clockId === undefined ? {} : { testClock: clockId }),
    run: work.run,
  });
}
