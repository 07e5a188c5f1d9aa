import type { JsonValue } from '../../sim/canonical-json.ts';
import type { PspEvent } from '../common/psp-core.ts';
import {
  stripeApiVersion,
  type PendingEvent,
  type StripeContext,
  type StripeJob,
  type StripeRuntime,
} from './context.ts';
import { StripeFailure } from './errors.ts';
import { checkMoneyRules } from './invariants.ts';
import type { Params } from './params.ts';
import { stripeDelivery } from './webhook-delivery.ts';
import { renderForVersion } from './versions.ts';
import { virtualClockOf } from './test-clock-time.ts';
import { platformScope, type StripeObject } from './store.ts';
import { Transaction } from './transaction.ts';

export { stripeRetryDelaysMs } from '../common/retry-schedules.ts';

/** Options for one unit of work: an API request or a background job. */
export interface WorkOptions {
  readonly scope: string;
  readonly params: Params;
  readonly requestId: string | null;
  readonly idempotencyKey: string | undefined;
  readonly apiVersion: string;
  readonly apiKey?: string | undefined;
  readonly nowSeconds: number;
}

/** A context whose effects are applied by {@link commitWork}, or dropped. */
export interface Work {
  readonly context: StripeContext;
  readonly events: PendingEvent[];
  readonly jobs: StripeJob[];
}

/** Starts a unit of work: a transaction and a context over it. */
export function beginWork(runtime: StripeRuntime, options: WorkOptions): Work {
  const tx = new Transaction(runtime.store, options.scope);
  const events: PendingEvent[] = [];
  const jobs: StripeJob[] = [];
  const testClockOf = (customerId: string | null | undefined): string | undefined => {
    if (customerId === null || customerId === undefined) return undefined;
    const customer = tx.get<StripeObject & { test_clock: string | null }>('customer', customerId);
    return customer?.test_clock ?? undefined;
  };
  const context: StripeContext = {
    runtime,
    tx,
    params: options.params,
    account: options.scope === platformScope ? undefined : options.scope,
    requestId: options.requestId,
    idempotencyKey: options.idempotencyKey,
    apiVersion: options.apiVersion,
    apiKey: options.apiKey,
    ids: runtime.ids,
    nowSeconds: options.nowSeconds,
    testClockOf,
    nowFor: (customerId) => {
      const clockId = testClockOf(customerId);
      const clock = clockId === undefined ? undefined : virtualClockOf(runtime, tx.scope, clockId);
      return clock === undefined ? options.nowSeconds : clock.nowSeconds();
    },
    emit: (type, object, previousAttributes) => {
      // State is frozen, never edited in place: the event keeps the object as it is now.
      events.push({ type, object: runtime.store.freeze(object), previousAttributes, scope: tx.scope });
    },
    later: (job) => jobs.push({ ...job, scope: job.scope ?? tx.scope }),
  };
  return { context, events, jobs };
}

/** Applies a unit of work: its writes, then its events (stored, then queued), then its jobs. */
export function commitWork(runtime: StripeRuntime, work: Work): PspEvent[] {
  checkMoneyRules(work.context.tx);
  work.context.tx.commit();
  const emitted = work.events.map((pending) => storeEvent(runtime, work.context, pending));
  for (const job of work.jobs) scheduleJob(runtime, job);
  return emitted;
}

function storeEvent(runtime: StripeRuntime, context: StripeContext, pending: PendingEvent): PspEvent {
  const endpoints = matchingEndpoints(runtime, pending);
  const event = {
    id: runtime.ids.stripe('evt_'),
    object: 'event',
    ...(pending.scope === platformScope ? {} : { account: pending.scope }),
    api_version: context.apiVersion,
    created: context.nowFor((pending.object as { customer?: string }).customer),
    data: {
      object: pending.object,
      ...(pending.previousAttributes === undefined
        ? {}
        : { previous_attributes: pending.previousAttributes }),
    },
    livemode: false,
    pending_webhooks: endpoints.length,
    request: { id: context.requestId, idempotency_key: context.idempotencyKey ?? null },
    type: pending.type,
  };
  runtime.store.put(pending.scope, event);
  // Rendered only for endpoints that receive it: most events of a busy serve go nowhere.
  const body = endpoints.length === 0 ? '' : JSON.stringify(event, null, 2);
  runtime.sim.journal.append({
    kind: 'event',
    psp: 'stripe',
    // Keys in canonical order already, so the journal need not sort them.
    data: {
      endpoints: endpoints.length,
      id: event.id,
      ...(pending.object.id === undefined ? {} : { objectId: pending.object.id }),
      scope: pending.scope,
      type: event.type,
    },
  });
  enqueueDeliveries(runtime, event, endpoints, body, pending.scope);
  return {
    psp: 'stripe',
    id: event.id,
    type: event.type,
    payload: event as unknown as JsonValue,
    ...(pending.scope === platformScope ? {} : { account: pending.scope }),
  };
}

/** Queues the event for every endpoint that listens, rendered in each endpoint's API version. */
function enqueueDeliveries(
  runtime: StripeRuntime,
  event: { readonly id: string; readonly type: string; readonly api_version: string },
  endpoints: readonly EndpointRecord[],
  body: string,
  scope: string,
): void {
  for (const endpoint of endpoints) {
    const secret = runtime.endpointSecrets.get(endpoint.id)!.secret;
    // An endpoint pinned to an older API version gets the event rendered in that version.
    const version = endpoint.api_version ?? event.api_version;
    const sent =
      version === event.api_version
        ? body
        : JSON.stringify(renderForVersion({ ...event, api_version: version }, version), null, 2);
    runtime.dispatcher.enqueue(
      stripeDelivery({
        eventId: event.id,
        eventType: event.type,
        endpointId: endpoint.id,
        url: endpoint.url,
        body: sent,
        secret,
        // Where the delivery is counted once taken (see countDelivered).
        ...(scope === platformScope ? {} : { scope }),
      }),
    );
  }
}

interface EndpointRecord extends StripeObject {
  readonly url: string;
  readonly status: string;
  readonly enabled_events: readonly string[];
  readonly api_version: string | null;
}

function matchingEndpoints(runtime: StripeRuntime, pending: PendingEvent): EndpointRecord[] {
  const fromConnectedAccount = pending.scope !== platformScope;
  return (runtime.store.values(platformScope, 'webhook_endpoint') as EndpointRecord[]).filter((endpoint) => {
    const secrets = runtime.endpointSecrets.get(endpoint.id);
    if (secrets === undefined || endpoint.status !== 'enabled') return false;
    if (secrets.connect !== fromConnectedAccount) return false;
    return endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(pending.type);
  });
}

function scheduleJob(runtime: StripeRuntime, job: StripeJob): void {
  const clock =
    job.testClock === undefined ? runtime.sim.clock : virtualClockOf(runtime, job.scope, job.testClock);
  // A job for a deleted test clock has nothing left to act on.
  if (clock === undefined) return;
  clock.schedule({
    delayMs: job.delayMs,
    label: `stripe: ${job.label}`,
    run: () => runJob(runtime, job, clock.nowSeconds()),
  });
}

function runJob(runtime: StripeRuntime, job: StripeJob, nowSeconds: number): void {
  try {
    runWork(runtime, { scope: job.scope, label: job.label, nowSeconds }, job.run);
  } catch (error) {
    // A job whose objects are gone (deleted, reset) must not stop the clock for everyone else.
    const reason = error instanceof StripeFailure ? error.error.kind : String(error);
    runtime.sim.journal.append({ kind: 'note', psp: 'stripe', data: { job: job.label, failed: reason } });
  }
}

/**
 * Runs work outside any API request (a background job, or a harness action such as "the
 * customer fails 3DS") as one transaction, and returns what it produced.
 */
export function runWork<T>(
  runtime: StripeRuntime,
  options: { readonly scope: string; readonly label: string; readonly nowSeconds?: number },
  run: (context: StripeContext) => T,
): T {
  const work = beginWork(runtime, {
    scope: options.scope,
    params: {},
    requestId: null,
    idempotencyKey: undefined,
    apiVersion: stripeApiVersion,
    nowSeconds: options.nowSeconds ?? runtime.sim.clock.nowSeconds(),
  });
  const result = run(work.context);
  runtime.sim.journal.append({
    kind: 'action',
    psp: 'stripe',
    data: { action: options.label, scope: options.scope },
  });
  commitWork(runtime, work);
  return result;
}
