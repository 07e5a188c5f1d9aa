import type { StripeContext } from '../context.ts';
import type { Transaction } from '../transaction.ts';
import type { ColumnWindow, MeterEventColumns } from './event-columns.ts';
import { identifierWindowSeconds, type MeterEventRow, type MeterEventStatus } from './records.ts';

type NewRow = Omit<MeterEventRow, 'index'>;

/**
 * One unit of work's view of an account's meter events: the committed columns with the events
 * it adds and the cancellations it makes, applied only when its transaction commits.
 */
export class MeterEventView {
  readonly #columns: MeterEventColumns;
  readonly #added: MeterEventRow[] = [];
  readonly #addedByIdentifier = new Map<string, MeterEventRow>();
  /** Status changes of committed rows, by index. */
  readonly #statuses = new Map<number, MeterEventStatus>();

  constructor(columns: MeterEventColumns) {
    this.#columns = columns;
  }

  add(row: NewRow): MeterEventRow {
    // Its index if committed now; `commit` appends in order whatever the columns hold by then.
    const added = { ...row, index: this.#columns.size + this.#added.length };
    this.#added.push(added);
    this.#addedByIdentifier.set(added.identifier, added);
    return added;
  }

  latestWithIdentifier(identifier: string): MeterEventRow | undefined {
    const added = this.#addedByIdentifier.get(identifier);
    if (added !== undefined) return added;
    const index = this.#columns.latestWithIdentifier(identifier);
    return index === undefined ? undefined : this.#row(index);
  }

  /** The accepted events of one meter and customer in the window, in arrival order. */
  acceptedIn(window: ColumnWindow): MeterEventRow[] {
    const committed = this.#columns.acceptedIn(window).map((index) => this.#row(index));
    const reportedBy = window.reportedBy ?? Number.POSITIVE_INFINITY;
    const added = this.#added.filter(
      (row) =>
        row.meter === window.meter &&
        row.customer === window.customer &&
        row.timestamp >= window.startSeconds &&
        row.timestamp < window.endSeconds &&
        row.reportedAt <= reportedBy,
    );
    return [...committed, ...added].filter((row) => row.status === 'accepted');
  }

  /** The events with an error received in [from, to), in arrival order. */
  failedBetween(fromSeconds: number, toSeconds: number): MeterEventRow[] {
    const committed = this.#columns.failedBetween(fromSeconds, toSeconds).map((index) => this.#row(index));
    const added = this.#added.filter(
      (row) => row.errorCode !== null && row.receivedAt >= fromSeconds && row.receivedAt < toSeconds,
    );
    return [...committed, ...added];
  }

  setStatus(row: MeterEventRow, status: MeterEventStatus): void {
    const position = this.#added.findIndex(
      (added) => added.identifier === row.identifier && added.index === row.index,
    );
    if (position < 0) this.#statuses.set(row.index, status);
    else {
      const changed = { ...this.#added[position]!, status };
      this.#added[position] = changed;
      this.#addedByIdentifier.set(changed.identifier, changed);
    }
  }

  /** Applies the unit of work's events and cancellations to the columns. */
  commit(): void {
    for (const [index, status] of this.#statuses) this.#columns.setStatus(index, status);
    for (const row of this.#added) this.#columns.append(row);
  }

  #row(index: number): MeterEventRow {
    return this.#current(this.#columns.row(index));
  }

  #current(row: MeterEventRow): MeterEventRow {
    const status = this.#statuses.get(row.index);
    return status === undefined ? row : { ...row, status };
  }
}

const views = new WeakMap<Transaction, MeterEventView>();

/** The meter events of the context's account, as its unit of work sees them. */
export function meterEvents(context: StripeContext): MeterEventView {
  let view = views.get(context.tx);
  if (view === undefined) {
    const created = new MeterEventView(context.runtime.meterEvents.columns(context.tx.scope));
    context.tx.onCommit(() => created.commit());
    views.set(context.tx, (view = created));
  }
  return view;
}

/** The event that last used `identifier`, if it was received within the dedupe window. */
export function recentIdentifierUse(context: StripeContext, identifier: string): MeterEventRow | undefined {
  const row = meterEvents(context).latestWithIdentifier(identifier);
  return row === undefined || context.nowSeconds - row.receivedAt >= identifierWindowSeconds
    ? undefined
    : row;
}
