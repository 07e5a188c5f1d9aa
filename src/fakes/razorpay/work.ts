import type { PspEvent } from '../common/psp-core.ts';
import type { Body } from './params.ts';
import type { EventDraft, RazorpayContext, RazorpayRuntime, WorkCause } from './runtime.ts';
import { publish } from './webhooks.ts';

/** A context and the events it queued, published only once the work has succeeded. */
export interface Work {
  readonly context: RazorpayContext;
  readonly drafts: EventDraft[];
}

/** Starts a unit of work: a request's handler, a harness action or a background job. */
export function beginWork(
  runtime: RazorpayRuntime,
  options: {
    readonly body?: Body;
    readonly query?: Body;
    readonly keyId?: string | null;
    readonly cause?: WorkCause;
  } = {},
): Work {
  const drafts: EventDraft[] = [];
  const context: RazorpayContext = {
    runtime,
    body: options.body ?? {},
    query: options.query ?? {},
    keyId: options.keyId ?? null,
    cause: options.cause ?? { requestId: null, idempotencyKey: null },
    nowSeconds: runtime.sim.clock.nowSeconds(),
    emit: (draft) => drafts.push(structuredClone(draft)),
  };
  return { context, drafts };
}

/** Publishes the events of a finished unit of work, in the order they were raised. */
export function finishWork(work: Work): PspEvent[] {
  return work.drafts.map((draft) => publish(work.context.runtime, draft, work.context.cause));
}

/**
 * Runs work outside any API request — a harness action ("the customer pays on Checkout"), a
 * background job — journaling it as an action before the events it raised, as one unit of work:
 * a Razorpay error thrown by `run` leaves nothing behind.
 */
export function runAction<T>(
  runtime: RazorpayRuntime,
  label: string,
  data: Readonly<Record<string, string | number | null>>,
  run: (context: RazorpayContext) => T,
  cause?: WorkCause,
): T {
  const work = beginWork(runtime, cause === undefined ? {} : { cause });
  const result = runtime.store.unit.run(() => run(work.context));
  runtime.sim.journal.append({ kind: 'action', psp: 'razorpay', data: { action: label, ...data } });
  finishWork(work);
  return result;
}

/** A harness action asked for something no customer or bank could do (a 400 `fakepsp_admin`). */
export class AdminRefusal extends Error {}
