import type Stripe from 'stripe';
import { VirtualClock } from '../../sim/clock.ts';
import type { StripeRuntime } from './context.ts';
import { isDeleted } from './store.ts';

/** The object type Stripe gives test clocks. */
export const testClockType = 'test_helpers.test_clock';

/**
 * The virtual clock behind a Stripe test clock, created from the stored object's `frozen_time`
 * on first use (so it survives a restore or reset of the registry). Creating it is the one
 * write outside a transaction, and it is harmless: ids are never reused, so a clock left by a
 * rolled-back request is never looked up again.
 */
export function virtualClockOf(
  runtime: StripeRuntime,
  scope: string,
  clockId: string,
): VirtualClock | undefined {
  const existing = runtime.testClocks.get(clockId);
  if (existing !== undefined) return existing;
  const stored = runtime.store.get(scope, testClockType, clockId) as Stripe.TestHelpers.TestClock | undefined;
  if (stored === undefined || isDeleted(stored)) return undefined;
  const clock = new VirtualClock(stored.frozen_time * 1000);
  runtime.testClocks.set(clockId, clock);
  return clock;
}
