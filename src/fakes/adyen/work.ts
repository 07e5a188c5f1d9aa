import type { PspEvent } from '../common/psp-core.ts';
import type { AdyenContext, AdyenRuntime, QueuedNotification } from './runtime.ts';
import { notify } from './webhooks.ts';
import type { Body } from './wire.ts';

/** A request's handler context, and the notifications it queued, sent only once the work succeeds. */
export interface Work {
  readonly context: AdyenContext;
  /** Sends the queued notifications, in the order they were raised. */
  publish(): PspEvent[];
}

/** Starts an API request's unit of work: a context over the request and a notification queue. */
export function beginWork(
  runtime: AdyenRuntime,
  request: {
    readonly body: Body;
    readonly query: Readonly<Record<string, string>>;
    readonly pspReference: string;
    readonly idempotencyKey: string | null;
    readonly merchantAccounts: readonly string[] | undefined;
  },
): Work {
  const queued: QueuedNotification[] = [];
  const context: AdyenContext = {
    runtime,
    ...request,
    nowMs: runtime.sim.clock.nowMs(),
    emit: (draft, objectId) => queued.push({ draft, objectId }),
  };
  const cause = { requestId: request.pspReference, idempotencyKey: request.idempotencyKey };
  return {
    context,
    publish: () => queued.map((entry) => notify(runtime, entry.draft, entry.objectId, cause)),
  };
}
