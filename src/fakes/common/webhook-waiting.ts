import type { JsonValue } from '../../sim/canonical-json.ts';
import type { VirtualClock } from '../../sim/clock.ts';
import type { SealedChunks } from '../../sim/line-log.ts';
import { ChunkQueue } from './chunk-queue.ts';
import type { RowSpill } from './row-map.ts';
import { SpillFile } from './spill-file.ts';
import type { WebhookDelivery } from './webhook-delivery.ts';

/** One attempt of a delivery, waiting for its time or its turn. */
export interface DueAttempt {
  readonly delivery: WebhookDelivery;
  readonly attempt: number;
  /** A fault already fired for this attempt (it was delayed or reordered): do not fire again. */
  readonly faulted?: boolean;
  /** An old event sent again on purpose (a replay fault): journaled, never retried. */
  readonly replay?: boolean;
}

/**
 * How a dispatcher keeps the deliveries that wait off the heap: as the data its PSP makes each
 * again from (`WebhookDelivery.record`), in chunks a keeper holds (a file, in `serve`). A `serve`
 * whose billing service refuses its webhooks then holds no more for a million waiting retries
 * than for ten; on the heap, each held ~1.7 KB (~55 MB every 5 s at 5,000 events a second).
 */
export interface WebhookParking {
  /** The delivery its `record` was made from, made again. */
  readonly revive: (record: JsonValue) => WebhookDelivery;
  /** Where full chunks of waiting deliveries go; in memory when absent. */
  readonly keeper?: SealedChunks;
  /** Attempts in a chunk (256 by default). */
  readonly chunkLength?: number;
}

const chunkLengthDefault = 256;

/**
 * A fake's parking when its rows spill: chunks of as many deliveries as a spilled kind keeps
 * rows as they are, in a file of their own, made when the first chunk fills.
 */
export function spilledParking(
  spill: RowSpill,
  revive: (record: JsonValue) => WebhookDelivery,
): WebhookParking {
  let file: SpillFile | undefined;
  const opened = (): SpillFile => (file ??= new SpillFile(spill.directory));
  return {
    revive,
    keeper: {
      keep: (bytes) => opened().keepBytes(bytes),
      read: (at, length) => opened().bytesAt(at, length),
    },
    chunkLength: spill.recent,
  };
}

/**
 * Writes waiting attempts as text lines, for a chunk that leaves the heap, and reads them back. A
 * delivery that has a `record` is written as it (`<attempt> <flags> <record JSON>`); any other is
 * held as it is, and its line says where (`#<n>`).
 */
export class DueCodec {
  readonly #revive: ((record: JsonValue) => WebhookDelivery) | undefined;
  readonly #held = new Map<number, DueAttempt>();
  #nextHeld = 0;

  constructor(parking: WebhookParking | undefined) {
    this.#revive = parking?.revive;
  }

  encode(due: DueAttempt): string {
    const record = this.#revive === undefined ? undefined : due.delivery.record;
    if (record === undefined) {
      const at = this.#nextHeld++;
      this.#held.set(at, due);
      return `#${at}`;
    }
    const flags = `${due.faulted === true ? 'f' : '-'}${due.replay === true ? 'r' : '-'}`;
    return `${due.attempt} ${flags} ${JSON.stringify(record)}`;
  }

  /** The attempt a line stands for (each line is read once). */
  decode(line: string): DueAttempt {
    if (line.startsWith('#')) {
      const at = Number(line.slice(1));
      const due = this.#held.get(at)!;
      this.#held.delete(at);
      return due;
    }
    const space = line.indexOf(' ');
    const flags = line.slice(space + 1, space + 3);
    return {
      delivery: this.#revive!(JSON.parse(line.slice(space + 4)) as JsonValue),
      attempt: Number(line.slice(0, space)),
      ...(flags[0] === 'f' ? { faulted: true } : {}),
      ...(flags[1] === 'r' ? { replay: true } : {}),
    };
  }
}

/** A queue of waiting attempts, as the dispatcher's parking keeps them. */
export function attemptQueue<T>(
  parking: WebhookParking | undefined,
  encode: (item: T) => string,
  decode: (line: string) => T,
): ChunkQueue<T> {
  const { keeper } = parking ?? {};
  return new ChunkQueue<T>({
    chunkLength: parking?.chunkLength ?? chunkLengthDefault,
    keeper: keeper === undefined ? undefined : { keep: keeper.keep, read: keeper.read, encode, decode },
  });
}

/** A queue of attempts, written with `codec` when a chunk leaves the heap. */
export function dueQueue(parking: WebhookParking | undefined, codec: DueCodec): ChunkQueue<DueAttempt> {
  return attemptQueue<DueAttempt>(
    parking,
    (due) => codec.encode(due),
    (line) => codec.decode(line),
  );
}

/** An attempt on a lane: when it is due, and its place in the clock's order. */
interface Waiting {
  readonly dueAtMs: number;
  readonly sequence: number;
  readonly due: DueAttempt;
}

interface Lane {
  readonly delayMs: number;
  readonly queue: ChunkQueue<Waiting>;
  /** Its timer's label (what a clock that never goes idle names). */
  readonly label: string;
}

/**
 * Attempts scheduled to run after a delay, a lane a delay: attempts put on one lane come due in
 * the order they were put there, so a lane arms one clock timer, for its oldest. Each attempt
 * takes its place in the clock's order when it is put on its lane, and fires exactly where a
 * timer of its own would have: the journal reads the same, with the waiting kept off the heap.
 */
export class AttemptLanes {
  readonly #clock: VirtualClock;
  readonly #codec: DueCodec;
  readonly #parking: WebhookParking | undefined;
  readonly #due: (due: DueAttempt) => void;
  readonly #lanes = new Map<number, Lane>();

  /** `due`: called with each attempt when its time comes, from the clock's timer. */
  constructor(options: {
    readonly clock: VirtualClock;
    readonly codec: DueCodec;
    readonly parking: WebhookParking | undefined;
    readonly due: (due: DueAttempt) => void;
  }) {
    this.#clock = options.clock;
    this.#codec = options.codec;
    this.#parking = options.parking;
    this.#due = options.due;
  }

  /** The queue of every lane, for its sizes. */
  queues(): Array<{ readonly length: number; readonly keptChunks: number }> {
    return [...this.#lanes.values()].map((lane) => lane.queue);
  }

  /** Runs `due` after `delayMs`, in the clock's order as of now. */
  add(due: DueAttempt, delayMs: number): void {
    const sequence = this.#clock.reserveSequence();
    const dueAtMs = this.#clock.nowMs() + delayMs;
    let lane = this.#lanes.get(delayMs);
    if (lane === undefined) {
      lane = { delayMs, queue: this.#queue(), label: `webhook attempts ${delayMs} ms after their turn` };
      this.#lanes.set(delayMs, lane);
    }
    lane.queue.push({ dueAtMs, sequence, due });
    if (lane.queue.length === 1) this.#arm(lane);
  }

  #queue(): ChunkQueue<Waiting> {
    const codec = this.#codec;
    return attemptQueue<Waiting>(
      this.#parking,
      ({ dueAtMs, sequence, due }) => `${dueAtMs} ${sequence} ${codec.encode(due)}`,
      (line) => {
        const first = line.indexOf(' ');
        const second = line.indexOf(' ', first + 1);
        return {
          dueAtMs: Number(line.slice(0, first)),
          sequence: Number(line.slice(first + 1, second)),
          due: codec.decode(line.slice(second + 1)),
        };
      },
    );
  }

  #arm(lane: Lane): void {
    const { dueAtMs, sequence } = lane.queue.peek()!;
    this.#clock.schedule({
      atMs: dueAtMs,
      sequence,
      label: lane.label,
      run: () => this.#fire(lane),
    });
  }

  #fire(lane: Lane): void {
    const { due } = lane.queue.shift()!;
    if (lane.queue.length > 0) this.#arm(lane);
    // A delay drawn once (a reorder fault's) leaves no lane behind.
    else this.#lanes.delete(lane.delayMs);
    this.#due(due);
  }
}
