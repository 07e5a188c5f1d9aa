import { assert, BoundExceededError } from './assert.ts';

/** What a timer runs when it fires. Timers are synchronous so firing order is the only order. */
export type TimerCallback = (firedAtMs: number) => void;

/** A handle returned by {@link VirtualClock.schedule}, used to cancel the timer. */
export interface TimerHandle {
  readonly id: number;
  readonly dueAtMs: number;
  readonly label: string;
}

interface Timer extends TimerHandle {
  readonly sequence: number;
  readonly run: TimerCallback;
}

/** The default bound on timers fired by one advance; a loop past it is a bug, not a long run. */
export const stepsMaxDefault = 100_000;

/** Options for the calls that fire timers. */
export interface RunOptions {
  /** Most timers this call may fire before it throws {@link BoundExceededError}. */
  readonly stepsMax?: number;
}

/**
 * Virtual time with millisecond precision. Time moves only when told to and never goes
 * backwards; timers fire in (due time, scheduling sequence) order, so two runs with the same
 * schedule fire identically.
 *
 * @example
 * const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
 * clock.schedule({ delayMs: 60_000, label: 'retry', run: () => console.log('retrying') });
 * clock.advanceBy(60_000); // fires 'retry' at exactly +60 s
 */
export class VirtualClock {
  #nowMs: number;
  #sequence = 0;
  #nextId = 1;
  // A binary min-heap keyed by (dueAtMs, sequence).
  readonly #heap: Timer[] = [];
  readonly #cancelled = new Set<number>();

  constructor(startAtMs: number) {
    assertTime(startAtMs);
    this.#nowMs = startAtMs;
  }

  /** The current virtual time in milliseconds since the Unix epoch. */
  nowMs(): number {
    return this.#nowMs;
  }

  /** The current virtual time in whole seconds, as Stripe and Razorpay timestamps use. */
  nowSeconds(): number {
    return Math.floor(this.#nowMs / 1000);
  }

  /** The current virtual time as a `Date` (a fresh object each call). */
  now(): Date {
    return new Date(this.#nowMs);
  }

  /** How many timers are waiting (cancelled ones excluded). */
  pendingCount(): number {
    return this.#heap.length - this.#cancelled.size;
  }

  /** The due time of the next live timer, or `undefined` when idle. */
  nextDueAtMs(): number | undefined {
    this.#dropCancelledHead();
    return this.#heap[0]?.dueAtMs;
  }

  /**
   * A place in the firing order, taken now for a timer scheduled later (pass it as `sequence`):
   * a queue that arms one timer for the head of many fires each item exactly where a timer of its
   * own, scheduled now, would have fired.
   */
  reserveSequence(): number {
    return this.#sequence++;
  }

  /** Schedules `run` at an absolute time (`atMs`) or after a delay (`delayMs`) from now. */
  schedule(
    options: { readonly label: string; readonly run: TimerCallback; readonly sequence?: number } & (
      { readonly atMs: number } | { readonly delayMs: number }
    ),
  ): TimerHandle {
    const dueAtMs = 'atMs' in options ? options.atMs : this.#nowMs + options.delayMs;
    assertTime(dueAtMs);
    // A timer in the past fires at "now": time never goes backwards to honour it.
    const timer: Timer = {
      id: this.#nextId++,
      dueAtMs: Math.max(dueAtMs, this.#nowMs),
      label: options.label,
      sequence: options.sequence ?? this.#sequence++,
      run: options.run,
    };
    this.#push(timer);
    return { id: timer.id, dueAtMs: timer.dueAtMs, label: timer.label };
  }

  /**
   * Resolves once virtual time has moved `delayMs` on: a request a `stall` fault holds in flight
   * waits here while the scenario (or the real-time ticker) advances the clock.
   */
  sleep(delayMs: number, label: string): Promise<void> {
    return new Promise((resolve) => {
      this.schedule({ delayMs, label, run: () => resolve() });
    });
  }

  /** Cancels a timer that has not fired yet; cancelling a fired or unknown timer does nothing. */
  cancel(handle: TimerHandle): void {
    if (this.#heap.some((timer) => timer.id === handle.id)) this.#cancelled.add(handle.id);
  }

  /** Fires every timer due at or before now. Returns how many fired. */
  runDue(options: RunOptions = {}): number {
    return this.#fireUntil(this.#nowMs, options.stepsMax ?? stepsMaxDefault);
  }

  /** Moves time forward to `targetMs`, firing due timers in order along the way. */
  advanceTo(targetMs: number, options: RunOptions = {}): number {
    assertTime(targetMs);
    if (targetMs < this.#nowMs) {
      throw new RangeError(`virtual time never goes backwards: now is ${this.#nowMs}, asked for ${targetMs}`);
    }
    const fired = this.#fireUntil(targetMs, options.stepsMax ?? stepsMaxDefault);
    this.#nowMs = targetMs;
    return fired;
  }

  /** Moves time forward by `deltaMs` (≥ 0), firing due timers in order. */
  advanceBy(deltaMs: number, options: RunOptions = {}): number {
    if (!Number.isSafeInteger(deltaMs) || deltaMs < 0) {
      throw new RangeError(`advanceBy needs a non-negative integer of ms, got ${deltaMs}`);
    }
    return this.advanceTo(this.#nowMs + deltaMs, options);
  }

  /** Fires timers, jumping time to each, until none is left. Bounded by `stepsMax`. */
  runUntilIdle(options: RunOptions = {}): number {
    return this.#fireUntil(Number.MAX_SAFE_INTEGER, options.stepsMax ?? stepsMaxDefault);
  }

  #fireUntil(limitMs: number, stepsMax: number): number {
    let fired = 0;
    for (;;) {
      this.#dropCancelledHead();
      const head = this.#heap[0];
      if (head === undefined || head.dueAtMs > limitMs) return fired;
      if (fired >= stepsMax) {
        throw new BoundExceededError(
          `clock fired ${stepsMax} timers without going idle (stepsMax); next: '${head.label}'`,
        );
      }
      this.#pop();
      assert(head.dueAtMs >= this.#nowMs, 'a timer was due before now');
      this.#nowMs = head.dueAtMs;
      fired++;
      head.run(head.dueAtMs);
    }
  }

  #dropCancelledHead(): void {
    let head = this.#heap[0];
    while (head !== undefined && this.#cancelled.has(head.id)) {
      this.#cancelled.delete(head.id);
      this.#pop();
      head = this.#heap[0];
    }
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    heap.push(timer);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.dueAtMs < b.dueAtMs || (a.dueAtMs === b.dueAtMs && a.sequence < b.sequence);
}

function assertTime(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`virtual time is a non-negative integer of ms, got ${ms}`);
  }
}

/** Parses durations such as `'31d'`, `'1h'`, `'90s'`, `'250ms'` or a plain number of ms. */
export function durationMs(duration: string | number): number {
  if (typeof duration === 'number') return duration;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(duration.trim());
  if (!match) throw new RangeError(`not a duration: '${duration}' (use e.g. 250ms, 90s, 1h, 31d)`);
  const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}
