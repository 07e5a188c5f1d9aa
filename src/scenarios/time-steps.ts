import { BoundExceededError } from '../sim/assert.ts';
import { durationMs } from '../sim/clock.ts';
import type { BillingSystem } from '../sut/contract.ts';
import type { PspEnvironment } from './environment.ts';

/** Most timers one `advance` steps through before it calls the run a runaway. */
export const advanceHopsMax = 100_000;

/** How long one `settle` may keep flushing webhooks before it calls the run stuck. */
export const settleRoundsMax = 50;

/** Lets the SUT finish its work and sends it every webhook that is due, until both are quiet. */
export async function settleRun(env: PspEnvironment, sut: BillingSystem): Promise<void> {
  for (let round = 0; round < settleRoundsMax; round++) {
    await sut.settle();
    if ((await env.flush()) === 0) return;
  }
  throw new BoundExceededError(
    `the SUT was still receiving webhooks after ${settleRoundsMax} rounds (settleRoundsMax)`,
  );
}

/**
 * Moves virtual time forward by `duration`, hopping from one due timer to the next and sending
 * what fell due at each: a retry, a delayed or shuffled webhook, the next notification of
 * Adyen's queue happen at their own times. Then the SUT is told the time and settles.
 */
export async function advanceRun(
  env: PspEnvironment,
  sut: BillingSystem,
  duration: string | number,
): Promise<void> {
  const { clock, journal } = env.sim;
  const targetMs = clock.nowMs() + durationMs(duration);
  for (let hops = 0; ; hops++) {
    const nextMs = clock.nextDueAtMs();
    if (nextMs === undefined || nextMs >= targetMs) break;
    if (hops >= advanceHopsMax) {
      throw new BoundExceededError(
        `more than ${advanceHopsMax} timers fell due in one advance (advanceHopsMax)`,
      );
    }
    clock.advanceTo(nextMs);
    await env.flush();
  }
  clock.advanceTo(targetMs);
  journal.append({ kind: 'clock', data: { nowMs: clock.nowMs() } });
  await env.flush();
  await sut.advanceClock({ now: clock.now().toISOString() });
  await settleRun(env, sut);
}
