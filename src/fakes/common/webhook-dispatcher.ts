import { BoundExceededError } from '../../sim/assert.ts';
import type { VirtualClock } from '../../sim/clock.ts';
import type { Journal } from '../../sim/journal.ts';
import type { SeededRandom } from '../../sim/random.ts';
import type { FaultInjector, WebhookFaultEffect } from './faults.ts';
import type { ChunkQueue } from './chunk-queue.ts';
import type { AttemptOutcome, SignatureTamper, WebhookDelivery, WebhookSender } from './webhook-delivery.ts';
import { AttemptLanes, DueCodec, dueQueue, type DueAttempt, type WebhookParking } from './webhook-waiting.ts';

export type { AttemptOutcome, SignatureTamper, WebhookDelivery, WebhookSender } from './webhook-delivery.ts';
export type { WebhookParking } from './webhook-waiting.ts';

const nothingSent = Promise.resolve(0);

/** Most attempts one flush sends; a flood past it is an error, not a hang. */
export const attemptsPerFlushMax = 100_000;

/**
 * At-least-once webhook delivery in virtual time: each attempt waits for its time on the run's
 * clock (on a lane of attempts with the same delay, see {@link AttemptLanes}); a failed attempt
 * (non-2xx or network error) is retried on the PSP's schedule; every attempt is journaled without
 * its wall-clock signature stamp, so the journal stays deterministic.
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
  readonly #parking: WebhookParking | undefined;
  readonly #codec: DueCodec;
  readonly #lanes: AttemptLanes;
  /** Attempts due, not sent yet, oldest first. */
  readonly #due: ChunkQueue<DueAttempt>;
  #flushing: Promise<number> | undefined;
  /** Endpoints that take one delivery at a time (Adyen's) and have one under way. */
  readonly #busy = new Set<string>();
  /** The deliveries waiting behind it, by endpoint. */
  readonly #queues = new Map<string, ChunkQueue<DueAttempt>>();
  readonly #disabled = new Set<string>();
  readonly #faults: FaultInjector | undefined;
  readonly #random: SeededRandom | undefined;
  readonly #inFlightMax: number;
  readonly #delivered: ((delivery: WebhookDelivery) => void) | undefined;

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
    /** Keeps the deliveries that wait off the heap (a `serve`'s); on the heap when absent. */
    readonly parking?: WebhookParking;
    /** Told once a delivery's endpoint took it (a 2xx), as Stripe counts down `pending_webhooks`. */
    readonly delivered?: (delivery: WebhookDelivery) => void;
  }) {
    this.#clock = options.clock;
    this.#journal = options.journal;
    this.#send = options.send;
    this.#faults = options.faults;
    this.#random = options.random;
    this.#inFlightMax = Math.max(1, Math.floor(options.inFlight ?? 1));
    this.#parking = options.parking;
    this.#delivered = options.delivered;
    this.#codec = new DueCodec(options.parking);
    this.#due = dueQueue(this.#parking, this.#codec);
    this.#lanes = new AttemptLanes({
      clock: options.clock,
      codec: this.#codec,
      parking: options.parking,
      due: (due) => this.#due.push(due),
    });
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
      if (this.#busy.has(delivery.endpointId)) {
        this.#queueOf(delivery.endpointId).push({ delivery, attempt: 1 });
        return;
      }
      this.#busy.add(delivery.endpointId);
    }
    this.#scheduleAttempt(delivery, 1, 0);
  }

  /** Endpoints switched off after exhausting their retries (Razorpay's behaviour). */
  disabledEndpoints(): readonly string[] {
    return [...this.#disabled];
  }

  // A delivery is done (delivered or abandoned): a queued endpoint's next one starts.
  #settled(delivery: WebhookDelivery, delivered: boolean): void {
    if (delivered) this.#delivered?.(delivery);
    if (!delivered && delivery.onExhausted === 'disable-endpoint') {
      this.#disabled.add(delivery.endpointId);
      this.#journal.append({
        kind: 'note',
        psp: delivery.psp,
        data: { endpointDisabled: delivery.endpointId },
      });
    }
    if (delivery.ordering !== 'queue') return;
    // A disabled endpoint's queue is dropped.
    if (this.#disabled.has(delivery.endpointId)) this.#queues.delete(delivery.endpointId);
    const next = this.#queues.get(delivery.endpointId)?.shift();
    if (next === undefined) this.#busy.delete(delivery.endpointId);
    else this.#scheduleAttempt(next.delivery, 1, 0);
  }

  #queueOf(endpointId: string): ChunkQueue<DueAttempt> {
    let queue = this.#queues.get(endpointId);
    if (queue === undefined) this.#queues.set(endpointId, (queue = dueQueue(this.#parking, this.#codec)));
    return queue;
  }

  /** Attempts waiting (for their time, their turn or to be sent), and the chunks of them kept off the heap. */
  waiting(): { readonly attempts: number; readonly keptChunks: number } {
    const queues = [this.#due, ...this.#queues.values(), ...this.#lanes.queues()];
    return {
      attempts: queues.reduce((sum, queue) => sum + queue.length, 0),
      keptChunks: queues.reduce((sum, queue) => sum + queue.keptChunks, 0),
    };
  }

  /** Attempts whose time has come but that have not been sent yet. */
  dueCount(): number {
    return this.#due.length;
  }

  /** Sends every attempt due at the current virtual time, in order; resolves to how many. */
  flush(): Promise<number> {
    // Most answers of a busy `serve` leave nothing to send: no flush to start for them.
    const next = this.#clock.nextDueAtMs();
    const idle = next === undefined || next > this.#clock.nowMs();
    if (idle && this.#flushing === undefined && this.#due.length === 0) return nothingSent;
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
    this.#lanes.add(due, delayMs);
  }

  #scheduleAttempt(delivery: WebhookDelivery, attempt: number, delayMs: number): void {
    this.#schedule({ delivery, attempt }, delayMs);
  }
}

function isDelivered(outcome: AttemptOutcome): boolean {
  return 'status' in outcome && outcome.status >= 200 && outcome.status < 300;
}
