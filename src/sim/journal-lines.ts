import type { JsonValue } from './canonical-json.ts';

// What each kind of journal line carries. The checker, the explainer and the reports read these
// fields by name, so they are typed here once instead of read by convention with `String(…)`.
// A line may carry more (a PSP's own: Stripe's `scope`, Razorpay's `keyId`): `Extra` allows it.

type Extra = { readonly [field: string]: JsonValue | undefined };

/** What every PSP's request line holds (`body` raw, as the hash must see it). */
export interface RequestLineCommon {
  readonly body: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly requestId: string;
}

/** An API request as the fake received it: the common fields and the PSP's own. */
export type RequestLineData = Extra & RequestLineCommon & { readonly idempotencyKey: string | null };

/** The fake's answer: its status, the events it emitted and, for a refusal, the error's gist. */
export type ResponseLineData = Extra & {
  readonly requestId: string;
  readonly status: number;
  readonly events: readonly string[];
  readonly error?: JsonValue;
};

/** A PSP event: what it is about and how many endpoints it goes to. */
export type EventLineData = Extra & {
  readonly id: string;
  readonly type: string;
  /** Absent for an object the PSP gives no id (Stripe's Balance). */
  readonly objectId?: string;
  readonly endpoints: number;
};

/** One delivery attempt of an event to an endpoint, or an endpoint found disabled. */
export type WebhookAttemptLineData = Extra & {
  readonly eventId: string;
  readonly endpointId: string;
  readonly eventType?: string;
  readonly attempt?: number;
  /** The endpoint's HTTP status; absent when the attempt never got one (`error`). */
  readonly status?: number;
  readonly error?: string;
  /** The webhook fault that tampered with the attempt, by kind. */
  readonly fault?: string;
  readonly outcome?: string;
};

/** A fault plan loaded, or a fault fired on an API request or a webhook attempt. */
export type FaultLineData = Extra &
  (
    | { readonly loaded: JsonValue }
    | {
        readonly rule: string | null;
        readonly phase: string;
        readonly effect: JsonValue;
        readonly requestId: string;
      }
    | {
        readonly rule: string | null;
        readonly effect: JsonValue;
        readonly eventId: string;
        readonly attempt: number;
      }
  );

/** Something the harness did: a named PSP action, or an admin call and its status. */
export type ActionLineData = Extra & { readonly action?: string; readonly admin?: string };

/** The virtual clock moved to `nowMs`. */
export type ClockLineData = { readonly nowMs: number };

/** A remark: a scenario step's label, an idempotent replay, an internal error, a disabled endpoint. */
export type NoteLineData = Extra & { readonly label?: string; readonly step?: number };

/** What a caller appends, by kind; the journal adds `seq` and `atMs`. */
export type JournalEntry =
  | { readonly kind: 'request'; readonly psp?: string; readonly data: RequestLineData }
  | { readonly kind: 'response'; readonly psp?: string; readonly data: ResponseLineData }
  | { readonly kind: 'event'; readonly psp?: string; readonly data: EventLineData }
  | { readonly kind: 'webhook_attempt'; readonly psp?: string; readonly data: WebhookAttemptLineData }
  | { readonly kind: 'fault'; readonly psp?: string; readonly data: FaultLineData }
  | { readonly kind: 'action'; readonly psp?: string; readonly data: ActionLineData }
  | { readonly kind: 'clock'; readonly psp?: string; readonly data: ClockLineData }
  | { readonly kind: 'note'; readonly psp?: string; readonly data: NoteLineData };

/** What a journal line is about. */
export type JournalKind = JournalEntry['kind'];

/** One line of the journal: sequence-numbered and stamped with virtual time. */
export type JournalRecord = JournalEntry extends infer Entry
  ? Entry extends JournalEntry
    ? Entry & { readonly seq: number; readonly atMs: number }
    : never
  : never;

/** The line of one kind. */
export type JournalLine<Kind extends JournalKind> = Extract<JournalRecord, { readonly kind: Kind }>;
