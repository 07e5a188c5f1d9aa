import type { IdGenerator } from '../../sim/ids.ts';
import type { SeededRandom } from '../../sim/random.ts';
import type { Simulation } from '../../sim/simulation.ts';
import type { FaultInjector } from '../common/faults.ts';
import type { WebhookDispatcher } from '../common/webhook-dispatcher.ts';
import type { AdyenApiCredential } from './auth.ts';
import type { ItemDraft } from './notifications.ts';
import type { AdyenStore } from './store.ts';
import type { Body } from './wire.ts';

/** The merchant's standard webhook, as configured in the Customer Area. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly hmacKeyHex: string;
}

/** What the whole fake shares across requests. */
export interface AdyenRuntime {
  readonly sim: Simulation;
  readonly store: AdyenStore;
  readonly ids: IdGenerator;
  /** Draws authorisation codes. */
  readonly random: SeededRandom;
  readonly dispatcher: WebhookDispatcher;
  readonly faults: FaultInjector;
  readonly webhooks: WebhookEndpoint[];
  /** Merchant accounts the API key may use; `undefined` accepts any name. */
  readonly merchantAccounts: readonly string[] | undefined;
  /** The API keys the account has: any other is refused with 401. */
  readonly apiKeys: readonly AdyenApiCredential[];
}

/** What caused a notification: the API request being handled, or nothing (a job, an action). */
export interface NotificationCause {
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
}

/**
 * What a handler sees: the request's body and query, its pspReference, the time, and a way to
 * emit notifications. Handlers validate everything first and write to the store only once
 * nothing can fail any more; notifications go out only when the handler returns.
 */
export interface AdyenContext {
  readonly runtime: AdyenRuntime;
  readonly body: Body;
  readonly query: Readonly<Record<string, string>>;
  /** The pspReference Adyen gives this request: a new payment's or modification's own. */
  readonly pspReference: string;
  readonly idempotencyKey: string | null;
  /** The merchant accounts the request's credential may act for; absent (an action) for all. */
  readonly merchantAccounts?: readonly string[] | undefined;
  readonly nowMs: number;
  /** Queues a notification about `objectId`, sent once the request succeeds. */
  emit(draft: ItemDraft, objectId: string): void;
}

/** A handler's answer: a status and a JSON body (`null` for 204). */
export interface HandlerResult {
  readonly status: number;
  readonly body: unknown;
}

/** What the route handlers are. */
export type AdyenHandler = (context: AdyenContext, path: Readonly<Record<string, string>>) => HandlerResult;

/** A notification queued by a handler, waiting for the request to succeed. */
export interface QueuedNotification {
  readonly draft: ItemDraft;
  readonly objectId: string;
}

/** Raises a notification about an object (the unit of work sends it once it succeeds). */
export type Emit = (draft: ItemDraft, objectId: string) => void;
