import type { JournalLine, JournalRecord } from '../sim/journal.ts';
import type { Witness } from './breaks.ts';
import type { MoneyMovement, MovementKind } from './psp-records.ts';

/** A journal, or its records. */
export type JournalInput = readonly JournalRecord[] | { records(): readonly JournalRecord[] };

/** The event types that announce each kind of movement, for journals without exact event ids. */
const announcing: Readonly<Record<MovementKind, readonly string[]>> = {
  capture: ['charge.succeeded', 'charge.captured', 'payment_intent.succeeded'],
  refund: ['refund.created'],
  refund_reversal: ['refund.failed', 'REFUND_FAILED'],
  capture_reversal: ['CAPTURE_FAILED'],
  dispute_withdrawal: ['charge.dispute.created', 'charge.dispute.funds_withdrawn'],
  dispute_reinstatement: ['charge.dispute.funds_reinstated'],
  transfer: ['transfer.created'],
  application_fee: ['application_fee.created'],
};

const is2xx = (status: unknown): boolean => typeof status === 'number' && status >= 200 && status < 300;

/**
 * The journal, indexed once so each break finds its witnesses in constant time: events by id
 * and object, requests and responses by request id, webhook attempts and faults by event.
 */
export class JournalIndex {
  readonly records: readonly JournalRecord[];
  private readonly events = new Map<string, JournalLine<'event'>>();
  private readonly eventsByObject = new Map<string, JournalLine<'event'>[]>();
  private readonly requests = new Map<string, JournalRecord>();
  private readonly responses = new Map<string, JournalRecord>();
  private readonly attemptsByEvent = new Map<string, JournalLine<'webhook_attempt'>[]>();
  private readonly webhookFaults = new Map<string, JournalRecord>();
  private readonly apiFaults = new Map<string, JournalRecord[]>();
  // What caused each event line: the request being handled, or the harness action before it.
  private readonly causes = new Map<number, JournalRecord>();

  constructor(input: JournalInput) {
    this.records = Array.isArray(input)
      ? input
      : (input as { records(): readonly JournalRecord[] }).records();
    let cause: JournalRecord | undefined;
    for (const record of this.records) {
      if (record.kind === 'request') {
        this.requests.set(record.data.requestId, record);
        cause = record;
      } else if (record.kind === 'response') {
        this.responses.set(record.data.requestId, record);
        cause = undefined;
      } else if (record.kind === 'action') cause = record;
      else if (record.kind === 'event') {
        this.events.set(record.data.id, record);
        if (record.data.objectId !== undefined) push(this.eventsByObject, record.data.objectId, record);
        if (cause !== undefined) this.causes.set(record.seq, cause);
      } else if (record.kind === 'webhook_attempt') push(this.attemptsByEvent, record.data.eventId, record);
      else if (record.kind === 'fault' && 'eventId' in record.data) {
        this.webhookFaults.set(`${record.data.eventId}#${record.data.attempt}`, record);
      } else if (record.kind === 'fault' && 'requestId' in record.data) {
        push(this.apiFaults, record.data.requestId, record);
      }
      // Anything but an event or a fault line ends what the last request or action caused.
      const keeps = record.kind === 'event' || record.kind === 'fault';
      if (!keeps && record.kind !== 'request' && record.kind !== 'action') cause = undefined;
    }
  }

  /** The journal's event line for a PSP event id. */
  event(eventId: string): JournalLine<'event'> | undefined {
    return this.events.get(eventId);
  }

  /** The object an event was about, from its journal line. */
  eventObjectId(eventId: string): string | null {
    const record = this.events.get(eventId);
    return record?.data.objectId ?? null;
  }

  /** The webhook attempts of one event, oldest first. */
  attempts(eventId: string): readonly JournalLine<'webhook_attempt'>[] {
    return this.attemptsByEvent.get(eventId) ?? [];
  }

  /** Every webhook attempt line. */
  *allAttempts(): Iterable<JournalLine<'webhook_attempt'>> {
    for (const list of this.attemptsByEvent.values()) yield* list;
  }

  /** The fault line that tampered with an attempt, if any. */
  webhookFault(eventId: string, attempt: unknown): JournalRecord | undefined {
    return this.webhookFaults.get(`${eventId}#${String(attempt)}`);
  }

  /** The request and response lines of an API request, and any fault that hit it (a lost response). */
  exchange(requestId: string): JournalRecord[] {
    const lines = [this.requests.get(requestId), this.responses.get(requestId)].filter(
      (r) => r !== undefined,
    );
    return [...lines, ...(this.apiFaults.get(requestId) ?? [])];
  }

  /**
   * The minimal witness of a movement: the request (or harness action) that made it, the
   * event that announced it, and the webhook attempts the SUT acknowledged — or, when it
   * acknowledged none, the last attempt, which shows delivery never succeeded.
   */
  movementWitness(movement: MoneyMovement): JournalRecord[] {
    const events = this.announcingEvents(movement);
    const found: JournalRecord[] = [];
    for (const requestId of movement.requestIds) found.push(...this.exchange(requestId));
    for (const event of events) {
      const cause = this.causes.get(event.seq);
      if (cause !== undefined) {
        found.push(cause);
        if (cause.kind === 'request') found.push(...this.exchange(cause.data.requestId));
      }
      found.push(event);
      const attempts = this.attempts(event.data.id);
      const acknowledged = attempts.filter((attempt) => is2xx(attempt.data.status));
      found.push(...(acknowledged.length > 0 ? acknowledged : attempts.slice(-1)));
    }
    return found;
  }

  private announcingEvents(movement: MoneyMovement): JournalLine<'event'>[] {
    const exact = movement.eventIds.map((id) => this.events.get(id)).filter((r) => r !== undefined);
    if (exact.length > 0 || movement.eventIds.length > 0) return exact;
    const types = announcing[movement.kind];
    return [movement.objectId, ...movement.aliases]
      .flatMap((id) => this.eventsByObject.get(id) ?? [])
      .filter((record) => types.includes(record.data.type));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** A witness from journal lines: deduplicated and in journal order. */
export function witnessOf(records: Iterable<JournalRecord>): Witness {
  const bySeq = new Map<number, JournalRecord>();
  for (const record of records) bySeq.set(record.seq, record);
  const sorted = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { seqs: sorted.map((record) => record.seq), records: sorted };
}

export { is2xx };
