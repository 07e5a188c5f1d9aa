import type { IdGenerator } from '../../sim/ids.ts';
import type { SeededRandom } from '../../sim/random.ts';
import type { Simulation } from '../../sim/simulation.ts';
import type { FaultInjector } from '../common/faults.ts';
import type { WebhookDispatcher } from '../common/webhook-dispatcher.ts';
import type { RazorpayKeyPair } from './auth.ts';
import type { DisputeEntity, OrderEntity, PaymentEntity, RefundEntity, TokenEntity } from './entities.ts';
import type { PaymentLinkEntity } from './payment-link-entities.ts';
import type { InvoiceEntity, SubscriptionEntity } from './subscription-entities.ts';
import type { Body } from './params.ts';
import type { RazorpayStore } from './store.ts';

/** The account's webhook, as configured in the dashboard. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  /** The events it is subscribed to; `null` for all. */
  readonly events: readonly string[] | null;
}

/** What the whole fake shares across requests. */
export interface RazorpayRuntime {
  readonly sim: Simulation;
  readonly store: RazorpayStore;
  /** Object ids: `order_…`, `pay_…`, `rfnd_…`, `cust_…`, `token_…`, `sub_…`, `inv_…`, `evt_…`. */
  readonly ids: IdGenerator;
  /** Request ids for the journal, from a stream of their own so polling shifts no object id. */
  readonly requestIds: IdGenerator;
  /** Authorisation codes and card tokens. */
  readonly random: SeededRandom;
  readonly dispatcher: WebhookDispatcher;
  readonly faults: FaultInjector;
  readonly keys: readonly RazorpayKeyPair[];
  readonly uniqueReceipts: boolean;
  /** The merchant account's id, as webhooks carry it (`acc_…`). */
  readonly accountId: string;
  readonly webhooks: WebhookEndpoint[];
}

/** An event a handler raised: snapshots of the entities it carries, taken when it fired. */
export interface EventDraft {
  readonly event: string;
  readonly payment?: PaymentEntity;
  readonly order?: OrderEntity;
  readonly refund?: RefundEntity;
  readonly token?: TokenEntity;
  readonly dispute?: DisputeEntity;
  readonly subscription?: SubscriptionEntity;
  readonly invoice?: InvoiceEntity;
  readonly payment_link?: PaymentLinkEntity;
}

/** What caused some work: an API request (with its refund idempotency key), or nothing. */
export interface WorkCause {
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
}

/**
 * What a handler (or a harness action) sees. Handlers validate everything first and write to
 * the store only once nothing can fail any more; events go out only when the handler returns.
 */
export interface RazorpayContext {
  readonly runtime: RazorpayRuntime;
  readonly body: Body;
  readonly query: Body;
  /** The API key of the request; none for an action or a background job. */
  readonly keyId: string | null;
  readonly cause: WorkCause;
  readonly nowSeconds: number;
  /** Queues an event; its entities are copied now (webhooks carry snapshots). */
  emit(draft: EventDraft): void;
}

/** A route handler: returns the response body (Razorpay answers 200 to every success). */
export type RazorpayHandler = (context: RazorpayContext, path: Readonly<Record<string, string>>) => unknown;
