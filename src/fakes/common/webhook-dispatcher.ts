import { BoundExceededError } from '../../sim/assert.ts';
import type { VirtualClock } from '../../sim/clock.ts';
import type { Journal } from '../../sim/journal.ts';
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
  readonly headersFor: (body: string) => Readonly<Record<string, string>>;
  /** Waits before attempts 2, 3, …; when they run out the delivery is abandoned. */
  readonly retryDelaysMs: readonly number[];
}

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
  #send: WebhookSender | undefined;
  readonly #due: DueAttempt[] = [];
  #flushing: Promise<number> | undefined;

  constructor(options: {
    readonly clock: VirtualClock;
    readonly journal: Journal;
    readonly send?: WebhookSender;
  }) {
    this.#clock = options.clock;
    this.#journal = options.journal;
    this.#send = options.send;
  }

  /** Sets how attempts travel (a server's fetch, an in-process call). */
  useSender(send: WebhookSender): void {
    this.#send = send;
  }

  /** Schedules the first attempt of a delivery now. */
  enqueue(delivery: WebhookDelivery): void {
    this.#scheduleAttempt(delivery, 1, 0);
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
    while (this.#due.length > 0) {
      if (sent >= attemptsPerFlushMax) {
        throw new BoundExceededError(`one flush sent ${attemptsPerFlushMax} attempts (attemptsPerFlushMax)`);
      }
      const next = this.#due.shift()!;
      await this.#attempt(next);
      sent++;
      this.#clock.runDue();
    }
    return sent;
  }

  async #attempt({ delivery, attempt }: DueAttempt): Promise<void> {
    const outcome: AttemptOutcome =
      this.#send === undefined
        ? { error: 'no webhook sender configured' }
        : await this.#send({
            url: delivery.url,
            headers: delivery.headersFor(delivery.body),
            body: delivery.body,
          }).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
    const delivered = 'status' in outcome && outcome.status >= 200 && outcome.status < 300;
    const retryInMs = delivered ? undefined : delivery.retryDelaysMs[attempt - 1];
    this.#journal.append({
      kind: 'webhook_attempt',
      psp: delivery.psp,
      data: {
        eventId: delivery.eventId,
        eventType: delivery.eventType,
        endpointId: delivery.endpointId,
        url: delivery.url,
        attempt,
        ...('status' in outcome ? { status: outcome.status } : { error: outcome.error }),
        outcome: delivered ? 'delivered' : retryInMs === undefined ? 'abandoned' : 'retry_scheduled',
        ...(retryInMs === undefined ? {} : { retryInMs }),
      },
    });
    if (retryInMs !== undefined) this.#scheduleAttempt(delivery, attempt + 1, retryInMs);
  }

  #scheduleAttempt(delivery: WebhookDelivery, attempt: number, delayMs: number): void {
    this.#clock.schedule({
      delayMs,
      label: `webhook ${delivery.eventId} → ${delivery.endpointId} #${attempt}`,
      run: () => this.#due.push({ delivery, attempt }),
    });
  }
}
