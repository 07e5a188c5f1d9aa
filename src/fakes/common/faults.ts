import type { Journal } from '../../sim/journal.ts';
import type { SeededRandom } from '../../sim/random.ts';
import type { PspName } from './psp-core.ts';
import { asJson } from '../../sim/canonical-json.ts';

/**
 * What happens to an API request. `before` effects fire before the PSP acts (nothing changes
 * at the PSP); `after` effects fire once it has acted: the lost response behind most real
 * double charges, which only a fake that is the PSP can tell apart from a failure.
 */
export type ApiFaultEffect =
  | { readonly kind: 'server_error'; readonly status?: 500 | 502 | 503 }
  | { readonly kind: 'rate_limit'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'latency'; readonly delayMs: number }
  /** The request stays in flight (its idempotency key claimed) until virtual time has passed. */
  | { readonly kind: 'stall'; readonly delayMs: number }
  | { readonly kind: 'timeout' };

/** How long a fault effect delays a request in virtual time. */
export function delayOf(effect: ApiFaultEffect | undefined): number {
  return effect?.kind === 'latency' || effect?.kind === 'stall' ? effect.delayMs : 0;
}

/** Selects requests: all given conditions must hold. */
export interface ApiFaultMatch {
  readonly method?: string;
  /** A path, with `*` matching within one segment and `**` across segments. */
  readonly path?: string;
  /** Fire on the nth matching request only (1-based). */
  readonly nth?: number;
  /** Fire with this probability among matching requests, drawn from the run's seeded stream. */
  readonly rate?: number;
}

/** One API fault rule. */
export interface ApiFaultRule {
  readonly name?: string;
  readonly psp?: PspName;
  readonly phase: 'before' | 'after';
  readonly match: ApiFaultMatch;
  readonly effect: ApiFaultEffect;
}

/** What happens to one webhook attempt. */
export type WebhookFaultEffect =
  | { readonly kind: 'drop' }
  | { readonly kind: 'duplicate'; readonly copies?: number }
  | { readonly kind: 'delay'; readonly delayMs: number }
  | { readonly kind: 'reorder'; readonly windowMs: number }
  | { readonly kind: 'bad_signature' }
  /** No signature at all: the header (Adyen: `additionalData.hmacSignature`) left out. */
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'stale_timestamp'; readonly ageSeconds?: number }
  | { readonly kind: 'replay'; readonly afterMs: number };

/** Selects webhook attempts. */
export interface WebhookFaultMatch {
  readonly eventType?: string;
  readonly nth?: number;
  readonly rate?: number;
  /** Only first attempts (default), so a dropped attempt's retry is left alone. */
  readonly retries?: boolean;
}

export interface WebhookFaultRule {
  readonly name?: string;
  readonly psp?: PspName;
  readonly match: WebhookFaultMatch;
  readonly effect: WebhookFaultEffect;
}

/** The receiving endpoint is down for a window of virtual time: every attempt then fails. */
export interface OutageWindow {
  readonly psp?: PspName;
  readonly fromMs: number;
  readonly toMs: number;
}

/** A whole fault plan, declarative and serialisable (it is also what the admin API takes). */
export interface FaultPlan {
  readonly api?: readonly ApiFaultRule[];
  readonly webhooks?: readonly WebhookFaultRule[];
  readonly outages?: readonly OutageWindow[];
}

/** The request facts a rule matches on. */
export interface ApiRequestFacts {
  readonly psp: PspName;
  readonly method: string;
  readonly path: string;
  readonly requestId: string;
}

/** The webhook attempt facts a rule matches on. */
export interface WebhookAttemptFacts {
  readonly psp: PspName;
  readonly eventId: string;
  readonly eventType: string;
  readonly attempt: number;
}

function pathPattern(pattern: string): RegExp {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}

/**
 * Decides, reproducibly, which faults fire: counts and random draws come from the run's own
 * seeded stream, and every firing is a journal entry.
 *
 * @example
 * const faults = new FaultInjector(sim.stream('faults'), sim.journal);
 * faults.load({ api: [{ phase: 'after', match: { method: 'POST', path: '/v1/payment_intents' },
 *   effect: { kind: 'reset' } }] });
 */
export class FaultInjector {
  readonly #random: SeededRandom;
  readonly #journal: Journal;
  #plan: FaultPlan = {};
  readonly #seen = new Map<object, number>();

  constructor(random: SeededRandom, journal: Journal) {
    this.#random = random;
    this.#journal = journal;
  }

  /** Replaces the plan (and its nth-occurrence counters). */
  load(plan: FaultPlan): void {
    this.#plan = plan;
    this.#seen.clear();
    this.#journal.append({ kind: 'fault', data: { loaded: asJson(plan) } });
  }

  plan(): FaultPlan {
    return this.#plan;
  }

  clear(): void {
    this.load({});
  }

  /** The API fault to apply to a request at a phase, if any fires. */
  api(phase: 'before' | 'after', request: ApiRequestFacts): ApiFaultEffect | undefined {
    const rule = this.#first(this.#plan.api ?? [], (candidate) => {
      const { match } = candidate;
      return (
        candidate.phase === phase &&
        (candidate.psp === undefined || candidate.psp === request.psp) &&
        (match.method === undefined || match.method.toUpperCase() === request.method.toUpperCase()) &&
        (match.path === undefined || pathPattern(match.path).test(request.path))
      );
    });
    if (rule === undefined) return undefined;
    this.#journal.append({
      kind: 'fault',
      psp: request.psp,
      data: { rule: rule.name ?? null, phase, effect: asJson(rule.effect), requestId: request.requestId },
    });
    return rule.effect;
  }

  /** The webhook fault to apply to an attempt, if any fires. */
  webhook(attempt: WebhookAttemptFacts): WebhookFaultEffect | undefined {
    const rule = this.#first(this.#plan.webhooks ?? [], (candidate) => {
      const { match } = candidate;
      return (
        (candidate.psp === undefined || candidate.psp === attempt.psp) &&
        (match.retries === true || attempt.attempt === 1) &&
        (match.eventType === undefined || pathPattern(match.eventType).test(attempt.eventType))
      );
    });
    if (rule === undefined) return undefined;
    this.#journal.append({
      kind: 'fault',
      psp: attempt.psp,
      data: {
        rule: rule.name ?? null,
        effect: asJson(rule.effect),
        eventId: attempt.eventId,
        attempt: attempt.attempt,
      },
    });
    return rule.effect;
  }

  /** Whether the receiving endpoint is down at `nowMs`. */
  inOutage(psp: PspName, nowMs: number): boolean {
    return (this.#plan.outages ?? []).some(
      (window) =>
        (window.psp === undefined || window.psp === psp) && nowMs >= window.fromMs && nowMs < window.toMs,
    );
  }

  // Every matching rule counts the occurrence (so `nth` means the nth match whatever other
  // rules did); the first rule selected wins.
  #first<R extends { readonly match: { readonly nth?: number; readonly rate?: number } }>(
    rules: readonly R[],
    matches: (rule: R) => boolean,
  ): R | undefined {
    let chosen: R | undefined;
    for (const rule of rules) {
      if (!matches(rule)) continue;
      const count = (this.#seen.get(rule) ?? 0) + 1;
      this.#seen.set(rule, count);
      if (rule.match.nth !== undefined && count !== rule.match.nth) continue;
      if (rule.match.rate !== undefined && !this.#random.chance(rule.match.rate)) continue;
      chosen ??= rule;
    }
    return chosen;
  }
}
