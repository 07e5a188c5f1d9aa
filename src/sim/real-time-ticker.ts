import type { VirtualClock } from './clock.ts';
import { wallClockMs } from './wall-clock.ts';

/** How often `serve --clock real` moves virtual time up to the wall clock. */
export const tickIntervalMs = 250;

/**
 * Drives a virtual clock from the wall clock (`fakepsp serve --clock real`), calling `onTick`
 * after each move so due webhooks go out. Returns a function that stops it.
 */
export function startRealTimeTicker(clockOf: () => VirtualClock, onTick: () => unknown): () => void {
  const timer = setInterval(() => {
    const clock = clockOf();
    const now = wallClockMs();
    if (now > clock.nowMs()) clock.advanceTo(now);
    void Promise.resolve(onTick()).catch(() => undefined);
  }, tickIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
