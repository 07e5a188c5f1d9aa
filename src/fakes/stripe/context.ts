import type { BalanceTotals } from './balance-totals.ts';
import type { MeterEventLog } from './metering/event-columns.ts';
import type { VirtualClock } from '../../sim/clock.ts';
import type { IdGenerator } from '../../sim/ids.ts';
import type { Simulation } from '../../sim/simulation.ts';
import type { FaultInjector } from '../common/faults.ts';
import type { WebhookDispatcher } from '../common/webhook-dispatcher.ts';
import type { Params } from './params.ts';
import type { StripeObject, StripeStore } from './store.ts';
import type { Transaction } from './transaction.ts';
import type { Router } from '../common/router.ts';

/** The API version the installed `stripe` package pins; objects are rendered in its shape. */
export const stripeApiVersion = '2026-10-28.endive';

/** An event waiting for its transaction to commit before it is stored and delivered. */
/** What an event carries: a stored object, or one Stripe gives no id (the Balance, a cash balance). */
export type EventObject = StripeObject | { readonly object: string; readonly id?: undefined };

export interface PendingEvent {
  readonly type: string;
  readonly object: EventObject;
  readonly previousAttributes: Record<string, unknown> | undefined;
  readonly scope: string;
}

/** A piece of work for later, in virtual time (invoice auto-advance, a refund that fails…). */
export interface StripeJob {
  readonly label: string;
  readonly scope: string;
  /** The test clock whose time the job follows, or none for the run's clock. */
  readonly testClock?: string;
  readonly delayMs: number;
  readonly run: (context: StripeContext) => void;
}

/** What the whole fake shares across requests. */
export interface StripeRuntime {
  readonly sim: Simulation;
  readonly store: StripeStore;
  /** Each account's balance transactions summed as the store writes them. */
  readonly balances: BalanceTotals;
  readonly ids: IdGenerator;
  readonly dispatcher: WebhookDispatcher;
  /** One virtual clock per Stripe test clock, started at its `frozen_time`. */
  readonly testClocks: Map<string, VirtualClock>;
  /** Webhook endpoint secrets and Connect flags, rendered only when the endpoint is created. */
  readonly endpointSecrets: Map<string, EndpointSecrets>;
  /** The run's fault plan, consulted at the commit point of every request. */
  readonly faults: FaultInjector;
  /** Every endpoint's handler, for the core and for one handler calling another (`callEndpoint`). */
  readonly routes: Router<StripeHandler>;
  /** Every meter event received, as columns: kept beside the store, committed with it. */
  readonly meterEvents: MeterEventLog;
  /** What the harness has lined up for the next requests (`failNextRefund`). */
  readonly harness: { refundFailuresPending: number };
}

/** What is kept of a webhook endpoint beside its public object. */
export interface EndpointSecrets {
  readonly secret: string;
  readonly connect: boolean;
}

/**
 * What a handler sees: its params, a transaction over the store, the time, and ways to emit
 * events and schedule work. Everything it writes, emits or schedules lands only if it returns.
 */
export interface StripeContext {
  readonly runtime: StripeRuntime;
  readonly tx: Transaction;
  readonly params: Params;
  /** The connected account named by `Stripe-Account`, if any. */
  readonly account: string | undefined;
  /** `req_…` of the API request, or `null` inside background work. */
  readonly requestId: string | null;
  readonly idempotencyKey: string | undefined;
  readonly apiVersion: string;
  /** The key (or meter-event session token) the request authenticated with; none in background work. */
  readonly apiKey: string | undefined;
  readonly ids: IdGenerator;
  /** Seconds of the run's clock (or of the test clock a background job follows). */
  readonly nowSeconds: number;
  /** Seconds as seen by objects of `customer`: its test clock's frozen time, if it has one. */
  nowFor(customerId: string | null | undefined): number;
  /** The test clock a customer is bound to, if any. */
  testClockOf(customerId: string | null | undefined): string | undefined;
  emit(type: string, object: EventObject, previousAttributes?: Record<string, unknown>): void;
  later(job: Omit<StripeJob, 'scope'> & { readonly scope?: string }): void;
}

/** What the route handlers return: the response body (a Stripe object or list). */
export type StripeHandler = (context: StripeContext, path: Readonly<Record<string, string>>) => unknown;
