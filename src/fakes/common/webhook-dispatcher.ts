import { BoundExceededError } from '../../sim/assert.ts';
import type { VirtualClock } from '../../sim/clock.ts';
import type { Journal } from '../../sim/journal.ts';
import type { SeededRandom } from '../../sim/random.ts';
import type { FaultInjector, WebhookFaultEffect } from './faults.ts';
import type { PspName } from './psp-core.ts';

/** One event on its way to one endpoint. */
export interface WebhookDelivery {
  readonly psp: PspName;
  readonly eventId: string;
  readonly eventType: string;
  readonly endpointId: string;
  readonly url: string;
  /** The exact bytes sent at every attempt. */
  readonly body: string;
  /** Headers for one attempt, signatures included: PSPs sign at each attempt. */
  readonly headersFor: (body: string, tamper?: SignatureTamper) => Readonly<Record<string, string>>;
  /**
   * The bytes of a tampered attempt, for PSPs that sign inside the body (Adyen's
   * `additionalData.hmacSignature`); by default every attempt sends {@link body}.
   */
  readonly bodyFor?: (tamper?: SignatureTamper) => string;
  /** Waits before attempts 2, 3, …; when they run out the delivery is abandoned. */
  readonly retryDelaysMs: readonly number[];
  /**
   * `queue`: the endpoint gets one delivery at a time, the next only once the head is
   * delivered or abandoned (Adyen). Default `independent` (Stripe).
   */
  readonly ordering?: 'independent' | 'queue';
  /** `disable-endpoint`: once a delivery is abandoned, the endpoint gets nothing more (Razorpay). */
  readonly onExhausted?: 'abandon' | 'disable-endpoint';
}

/** How a fault spoils an attempt's signature: signed with the wrong key, or too long ago. */
export type SignatureTamper =
  | { readonly kind: 'bad_signature' }
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'stale'; readonly ageSeconds: number };

/** What an attempt got back: an HTTP status, or a network error. */
export type AttemptOutcome = { readonly status: number; readonly body?: string } | { readonly error: string };

/** Sends one attempt over some transport (fetch in a server, a function call in-process). */
export type WebhookSender = (request: {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}) => Promise<AttemptOutcome>;

interface DueAttempt {
  readonly delivery: WebhookDelivery;
  readonly attempt: number;
  /** A fault already fired for this attempt (it was delayed or reordered): do not fire again. */
  readonly faulted?: boolean;
  /** An old event sent again on purpose (a replay fault): journaled, never retried. */
  readonly replay?: boolean;
}

/** Most attempts one flush sends; a flood past it is an error, not a hang. */
export const attemptsPerFlushMax = 100_000;

/**
 * At-least-once webhook delivery in virtual time: each attempt is a timer on the run's clock;
 * a failed attempt (non-2xx or network error) is retried on the PSP's schedule; every attempt
 * is journaled without its wall-clock signature stamp, so the journal stays deterministic.
 *
 * @example
 * const dispatcher = new WebhookDispatcher({ clock, journal, send: fetchSender });
 * dispatcher.enqueue(delivery);
 * await dispatcher.flush(); // sends what is due now; retries wait for the clock
 */
export class WebhookDispatcher {
  readonly #clock: VirtualClock;
  readonly #journal: Journal;
  readonly #send: WebhookSender | undefined;
  readonly #due: DueAttempt[] = [];
  #flushing: Promise<number> | undefined;
  readonly #queues = new Map<string, WebhookDelivery[]>();
  readonly #disabled = new Set<string>();
  readonly #faults: FaultInjector | undefined;
  readonly #random: SeededRandom | undefined;
  readonly #inFlightMax: number;

  constructor(options: {
    readonly clock: VirtualClock;
    readonly journal: Journal;
    readonly send?: WebhookSender;
    readonly faults?: FaultInjector;
    /** Draws reorder delays. */
    readonly random?: SeededRandom;
    /**
     * How many attempts may be on their way at once. 1 (the default) sends one at a time, so a
     * scenario run's billing service gets its webhooks in one order, run after run; a `serve`
     * sends several, as a PSP's fleet does, and still journals each in the order it started.
     */
    readonly inFlight?: number;
  }) {
    this.#clock = options.clock;
    this.#journal = options.journal;
    this.#send = options.send;
    this.#faults = options.faults;
    this.#random = options.random;
    this.#inFlightMax = Math.max(1, Math.floor(options.inFlight ?? 1));
  }

  /** Schedules the first attempt of a delivery now. */
  enqueue(delivery: WebhookDelivery): void {
    if (this.#disabled.has(delivery.endpointId)) {
      this.#journal.append({
        kind: 'webhook_attempt',
        psp: delivery.psp,
        data: { eventId: delivery.eventId, endpointId: delivery.endpointId, outcome: 'endpoint_disabled' },
      });
      return;
    }
    if (delivery.ordering === 'queue') {
      const queue = this.#queues.get(delivery.endpointId) ?? [];
      this.#queues.set(delivery.endpointId, [...queue, delivery]);
      if (queue.length > 0) return;
    }
    this.#scheduleAttempt(delivery, 1, 0);
  }

  /** Endpoints switched off after exhausting their retries (Razorpay's behaviour). */
  disabledEndpoints(): readonly string[] {
    return [...this.#disabled];
  }

  // The head of a queued endpoint is done (delivered or abandoned): start the next one.
  #settled(delivery: WebhookDelivery, delivered: boolean): void {
    if (!delivered && delivery.onExhausted === 'disable-endpoint') {
      this.#disabled.add(delivery.endpointId);
      this.#journal.append({
        kind: 'note',
        psp: delivery.psp,
        data: { endpointDisabled: delivery.endpointId },
      });
    }
    if (delivery.ordering !== 'queue') return;
    const [, ...rest] = this.#queues.get(delivery.endpointId) ?? [];
    this.#queues.set(delivery.endpointId, rest);
    const next = rest[0];
    if (next !== undefined && this.#disabled.has(next.endpointId)) this.#queues.set(next.endpointId, []);
    else if (next !== undefined) this.#scheduleAttempt(next, 1, 0);
  }

  /** Attempts whose time has come but that have not been sent yet. */
  dueCount(): number {
    return this.#due.length;
  }

  /** Sends every attempt due at the current virtual time, in order; resolves to how many. */
  flush(): Promise<number> {
    // One flush at a time keeps attempts in a single, deterministic order.
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #drain(): Promise<number> {
    let sent = 0;
    this.#clock.runDue();
    // Attempts on their way, oldest first: each settles (is journaled, retried…) in the order it
    // started, whatever order the answers come back in.
    const started: Array<Promise<() => Promise<void>>> = [];
    while (this.#due.length > 0 || started.length > 0) {
      while (this.#due.length > 0 && started.length < this.#inFlightMax && sent < attemptsPerFlushMax) {
        started.push(this.#start(this.#due.shift()!));
        sent++;
      }
      if (started.length === 0) {
        throw new BoundExceededError(`one flush sent ${attemptsPerFlushMax} attempts (attemptsPerFlushMax)`);
      }
      const settle = await started.shift()!;
      await settle();
      this.#clock.runDue();
    }
    return sent;
  }

  /** Sends an attempt (a fault may hold it back instead); resolves to what settles it. */
  async #start(due: DueAttempt): Promise<() => Promise<void>> {
    const { delivery, attempt } = due;
    const fault =
      due.faulted === true || due.replay === true
        ? undefined
        : this.#faults?.webhook({
            psp: delivery.psp,
            eventId: delivery.eventId,
            eventType: delivery.eventType,
            attempt,
          });
    if (fault?.kind === 'delay' || fault?.kind === 'reorder') {
      const delayMs =
        fault.kind === 'delay' ? fault.delayMs : (this.#random?.int(1, fault.windowMs) ?? fault.windowMs);
      this.#schedule({ ...due, faulted: true }, delayMs);
      return async () => undefined;
    }
    const outcome = await this.#sendOnce(delivery, fault);
    return () => this.#settle(due, fault, outcome);
  }

  /** Journals an answered attempt, sends the copies a fault asks for, and schedules what follows. */
  async #settle(
    due: DueAttempt,
    fault: WebhookFaultEffect | undefined,
    outcome: AttemptOutcome,
  ): Promise<void> {
    const { delivery, attempt } = due;
    const delivered = isDelivered(outcome);
    // A replayed copy is extra traffic, not an attempt: it is never retried.
    const retryInMs = delivered || due.replay === true ? undefined : delivery.retryDelaysMs[attempt - 1];
    const verdict =
      due.replay === true
        ? undefined
        : delivered
          ? 'delivered'
          : retryInMs === undefined
            ? 'abandoned'
            : 'retry_scheduled';
    this.#record(due, outcome, fault, { verdict, retryInMs });
    for (let copy = 1; copy <= (fault?.kind === 'duplicate' ? (fault.copies ?? 1) : 0); copy++) {
      this.#record(due, await this.#sendOnce(delivery, fault), fault, { copy });
    }
    if (fault?.kind === 'replay') this.#schedule({ delivery, attempt, replay: true }, fault.afterMs);
    if (retryInMs !== undefined) this.#scheduleAttempt(delivery, attempt + 1, retryInMs);
    else if (due.replay !== true) this.#settled(delivery, delivered);
  }

  async #sendOnce(delivery: WebhookDelivery, fault: WebhookFaultEffect | undefined): Promise<AttemptOutcome> {
    if (this.#faults?.inOutage(delivery.psp, this.#clock.nowMs()) === true)
      return { error: 'endpoint down (outage fault)' };
    if (fault?.kind === 'drop') return { error: 'attempt dropped (drop fault)' };
    if (this.#send === undefined) return { error: 'no webhook sender configured' };
    const tamper: SignatureTamper | undefined =
      fault?.kind === 'bad_signature' || fault?.kind === 'unsigned'
        ? { kind: fault.kind }
        : fault?.kind === 'stale_timestamp'
          ? { kind: 'stale', ageSeconds: fault.ageSeconds ?? 3_600 }
          : undefined;
    const sent =
      tamper === undefined || delivery.bodyFor === undefined ? delivery.body : delivery.bodyFor(tamper);
    return this.#send({
      url: delivery.url,
      headers: delivery.headersFor(sent, tamper),
      body: sent,
    }).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
  }

  // One line per request made (or suppressed by a fault), so the checker sees what the SUT got.
  #record(
    due: DueAttempt,
    outcome: AttemptOutcome,
    fault: WebhookFaultEffect | undefined,
    extra: {
      readonly verdict?: string | undefined;
      readonly retryInMs?: number | undefined;
      readonly copy?: number;
    },
  ): void {
    this.#journal.append({
      kind: 'webhook_attempt',
      psp: due.delivery.psp,
      data: {
        eventId: due.delivery.eventId,
        eventType: due.delivery.eventType,
        endpointId: due.delivery.endpointId,
        attempt: due.attempt,
        ...('status' in outcome ? { status: outcome.status } : { error: outcome.error }),
        ...(extra.verdict === undefined ? {} : { outcome: extra.verdict }),
        ...(extra.retryInMs === undefined ? {} : { retryInMs: extra.retryInMs }),
        ...(fault === undefined ? {} : { fault: fault.kind }),
        ...(extra.copy === undefined ? {} : { copy: extra.copy }),
        ...(due.replay === true ? { replay: true } : {}),
      },
    });
  }

  #schedule(due: DueAttempt, delayMs: number): void {
    this.#clock.schedule({
      delayMs,
      label: `webhook ${due.delivery.eventId} → ${due.delivery.endpointId} #${due.attempt}`,
      run: () => this.#due.push(due),
    });
  }

  #scheduleAttempt(delivery: WebhookDelivery, attempt: number, delayMs: number): void {
    this.#schedule({ delivery, attempt }, delayMs);
  }
}

function isDelivered(outcome: AttemptOutcome): boolean {
  return 'status' in outcome && outcome.status >= 200 && outcome.status < 300;
}
