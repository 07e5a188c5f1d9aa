import type { StripeDump } from '../store.ts';
import { BigIntColumn, TypedColumn } from '../../common/chunked-column.ts';
import { IdentifierIndex } from './identifier-index.ts';
import type { MeterEventErrorCode, MeterEventRow, MeterEventSource, MeterEventStatus } from './records.ts';

// Small enums stored as bytes: their position in these lists.
const statuses: readonly MeterEventStatus[] = ['accepted', 'rejected', 'cancelled'];
const sources: readonly MeterEventSource[] = ['v1', 'v2', 'v2_stream'];
const errorCodes: ReadonlyArray<MeterEventErrorCode | null> = [
  null,
  'no_meter',
  'archived_meter',
  'meter_event_no_customer_defined',
  'meter_event_customer_not_found',
  'meter_event_invalid_value',
  'meter_event_value_too_many_digits',
  'timestamp_in_future',
  'timestamp_too_far_in_past',
];

// A scaled value past 64 bits is kept aside; the column holds this marker for it.
const largeMarker = -1n;
const int64Max = (1n << 63n) - 1n;

/** Strings kept once and referred to by number: meter ids, customer ids, event names (0 is null). */
export class Interned {
  readonly #numbers = new Map<string, number>();
  readonly #strings: Array<string | null> = [null];

  numberOf(value: string | null): number {
    if (value === null) return 0;
    let found = this.#numbers.get(value);
    if (found === undefined) this.#numbers.set(value, (found = this.#strings.push(value) - 1));
    return found;
  }

  /** The number of a string already kept, or -1 (no row can name it). */
  existing(value: string): number {
    return this.#numbers.get(value) ?? -1;
  }

  stringOf(number: number): string | null {
    return this.#strings[number] ?? null;
  }
}

/** A window of one meter and customer, by event timestamp, optionally by reporting time. */
export interface ColumnWindow {
  readonly meter: string;
  readonly customer: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** Only events reported at or before this (the billing grace), when set. */
  readonly reportedBy?: number | undefined;
}

/**
 * One account's meter events, a column per field in typed arrays: a million events take tens of
 * megabytes instead of the ~1 KB an object each would (issue 18's meter stream). Rows are
 * appended at commit and only their status changes afterwards.
 */
export class MeterEventColumns {
  readonly #strings: Interned;
  #size = 0;
  readonly #timestamp = new TypedColumn((length) => new Float64Array(length));
  readonly #receivedAt = new TypedColumn((length) => new Float64Array(length));
  readonly #reportedAt = new TypedColumn((length) => new Float64Array(length));
  readonly #scaled = new BigIntColumn();
  readonly #large = new Map<number, bigint>();
  readonly #eventName = new TypedColumn((length) => new Int32Array(length));
  readonly #meter = new TypedColumn((length) => new Int32Array(length));
  readonly #customer = new TypedColumn((length) => new Int32Array(length));
  readonly #status = new TypedColumn((length) => new Uint8Array(length));
  readonly #errorCode = new TypedColumn((length) => new Uint8Array(length));
  readonly #source = new TypedColumn((length) => new Uint8Array(length));
  readonly #identifiers = new IdentifierIndex();
  /** The rows of each meter and customer, oldest first: a summary or invoice reads its own, not all. */
  readonly #rowsOf = new Map<number, Map<number, RowList>>();
  /** The rows with an error, oldest first: an error report reads these, not every event. */
  readonly #failed = new RowList();

  constructor(strings: Interned) {
    this.#strings = strings;
  }

  get size(): number {
    return this.#size;
  }

  append(row: MeterEventRow): number {
    const index = this.#size++;
    this.#timestamp.set(index, row.timestamp);
    this.#receivedAt.set(index, row.receivedAt);
    this.#reportedAt.set(index, row.reportedAt);
    const fits = row.scaledValue <= int64Max;
    this.#scaled.set(index, fits ? row.scaledValue : largeMarker);
    if (!fits) this.#large.set(index, row.scaledValue);
    this.#eventName.set(index, this.#strings.numberOf(row.eventName));
    this.#meter.set(index, this.#strings.numberOf(row.meter));
    this.#customer.set(index, this.#strings.numberOf(row.customer));
    this.#status.set(index, statuses.indexOf(row.status));
    this.#errorCode.set(index, errorCodes.indexOf(row.errorCode));
    this.#source.set(index, sources.indexOf(row.source));
    this.#identifiers.add(row.identifier);
    this.#rowListOf(this.#meter.get(index), this.#customer.get(index)).push(index);
    if (row.errorCode !== null) this.#failed.push(index);
    return index;
  }

  setStatus(index: number, status: MeterEventStatus): void {
    this.#status.set(index, statuses.indexOf(status));
  }

  row(index: number): MeterEventRow {
    const scaled = this.#scaled.get(index);
    return {
      index,
      identifier: this.#identifiers.identifier(index),
      eventName: this.#strings.stringOf(this.#eventName.get(index)) ?? '',
      timestamp: this.#timestamp.get(index),
      receivedAt: this.#receivedAt.get(index),
      reportedAt: this.#reportedAt.get(index),
      meter: this.#strings.stringOf(this.#meter.get(index)),
      customer: this.#strings.stringOf(this.#customer.get(index)),
      scaledValue: scaled === largeMarker ? this.#large.get(index)! : scaled,
      status: statuses[this.#status.get(index)]!,
      errorCode: errorCodes[this.#errorCode.get(index)] ?? null,
      source: sources[this.#source.get(index)]!,
    };
  }

  /** The index of the latest event that used `identifier`, if any. */
  latestWithIdentifier(identifier: string): number | undefined {
    return this.#identifiers.latest(identifier);
  }

  /** The indexes of the accepted events in the window, oldest first (status as committed). */
  acceptedIn(window: ColumnWindow): number[] {
    const meter = this.#strings.existing(window.meter);
    const customer = this.#strings.existing(window.customer);
    const found: number[] = [];
    const rows = this.#rowsOf.get(meter)?.get(customer);
    if (rows === undefined) return found;
    const accepted = statuses.indexOf('accepted');
    const reportedBy = window.reportedBy ?? Number.POSITIVE_INFINITY;
    for (let at = 0; at < rows.length; at++) {
      const index = rows.at(at);
      const timestamp = this.#timestamp.get(index);
      if (this.#status.get(index) !== accepted || timestamp < window.startSeconds) continue;
      if (timestamp < window.endSeconds && this.#reportedAt.get(index) <= reportedBy) found.push(index);
    }
    return found;
  }

  #rowListOf(meter: number, customer: number): RowList {
    let ofMeter = this.#rowsOf.get(meter);
    if (ofMeter === undefined) this.#rowsOf.set(meter, (ofMeter = new Map()));
    let rows = ofMeter.get(customer);
    if (rows === undefined) ofMeter.set(customer, (rows = new RowList()));
    return rows;
  }

  /** The indexes of events with an error, received in [from, to), oldest first. */
  failedBetween(fromSeconds: number, toSeconds: number): number[] {
    const found: number[] = [];
    for (let at = 0; at < this.#failed.length; at++) {
      const index = this.#failed.at(at);
      const receivedAt = this.#receivedAt.get(index);
      if (receivedAt >= fromSeconds && receivedAt < toSeconds) found.push(index);
    }
    return found;
  }
}

/** Row numbers in a typed array that doubles as it fills (most customers have few rows). */
class RowList {
  #rows = new Int32Array(4);
  length = 0;

  push(row: number): void {
    if (this.length === this.#rows.length) {
      const grown = new Int32Array(this.#rows.length * 2);
      grown.set(this.#rows);
      this.#rows = grown;
    }
    this.#rows[this.length++] = row;
  }

  at(position: number): number {
    return this.#rows[position]!;
  }
}

/** Every account's committed meter events, as columns (one set per account scope). */
export class MeterEventLog {
  readonly #strings = new Interned();
  readonly #scopes = new Map<string, MeterEventColumns>();

  columns(scope: string): MeterEventColumns {
    let columns = this.#scopes.get(scope);
    if (columns === undefined) this.#scopes.set(scope, (columns = new MeterEventColumns(this.#strings)));
    return columns;
  }

  /** Forgets every event (the bench measures what the log holds by dropping it). */
  clear(): void {
    this.#scopes.clear();
  }

  /** The events as objects in a store dump (`fakepsp.meter_event`, by scope), for the admin state. */
  addTo(dump: StripeDump): StripeDump {
    const result = { ...dump };
    for (const [scope, columns] of this.#scopes) {
      const rows = Array.from({ length: columns.size }, (_, index) => columns.row(index));
      const objects = rows.map(({ scaledValue, ...row }) => ({
        id: `mev_${row.index + 1}`,
        object: 'fakepsp.meter_event',
        ...row,
        scaledValue: scaledValue.toString(),
      }));
      result[scope] = { ...result[scope], 'fakepsp.meter_event': objects };
    }
    return result;
  }
}
