import { canonicalJson, type JsonValue } from '../../sim/canonical-json.ts';
import { faultAnswer } from '../common/fault-answers.ts';
import { PspPipeline, type Executed } from '../common/pipeline.ts';
import { Router } from '../common/router.ts';
import { admit, identify, type AdmittedRequest, type RequestIdentity } from './admission.ts';
import { RazorpayFailure, type RazorpayErrorKind } from './errors.ts';
import { razorpayFaultAnswers, render, renderError } from './render.ts';
import { razorpayRoutes } from './routes.ts';
import type { RazorpayRuntime } from './runtime.ts';
import { beginWork, finishWork } from './work.ts';

/** Razorpay publishes no retention for refund idempotency keys; the fake keeps them a day. */
export const idempotencyTtlMs = 24 * 3_600_000;

/** All keys of one account share one idempotency scope. */
const accountScope = 'account';

/** The fake Razorpay's core: Razorpay's rules on the one request pipeline. */
export type RazorpayCore = PspPipeline<RequestIdentity, AdmittedRequest, RazorpayErrorKind>;

/**
 * The transport-agnostic fake Razorpay: routes, authenticates (Basic key_id:key_secret),
 * applies refund idempotency (`X-Refund-Idempotency`: only a refund that was made is
 * remembered), runs the handler and renders Razorpay's answer.
 */
export function razorpayCore(runtime: RazorpayRuntime): RazorpayCore {
  const router = new Router(razorpayRoutes);
  return new PspPipeline<RequestIdentity, AdmittedRequest, RazorpayErrorKind>({
    psp: 'razorpay',
    sim: runtime.sim,
    faults: runtime.faults,
    idempotency: {
      ttlMs: idempotencyTtlMs,
      scopeOf: () => accountScope,
      fingerprintOf: (admitted) => `${admitted.path} ${canonicalJson(admitted.body as JsonValue)}`,
      mismatch: () => ({ kind: 'idempotency_mismatch' }),
      inProgress: () => ({ kind: 'idempotency_in_progress' }),
      replayHeaders: () => ({}),
      echoKey: false,
    },
    identify: (request) => identify(runtime, request),
    requestLine: (who, request) => ({
      path: request.path,
      query: request.query,
      body: request.rawBody,
      keyId: who.keyId,
      idempotencyKey: who.idempotencyKey ?? null,
    }),
    admit: (request, who) => admit(runtime, router, request, who),
    refuse: (error) => renderError(error),
    faulted: (effect) => faultAnswer(effect, razorpayFaultAnswers),
    execute: (admitted) => execute(runtime, admitted),
  });
}

function execute(runtime: RazorpayRuntime, admitted: AdmittedRequest): Executed {
  const work = beginWork(runtime, {
    body: admitted.body,
    query: admitted.query,
    keyId: admitted.keyId,
    cause: { requestId: admitted.requestId, idempotencyKey: admitted.idempotencyKey ?? null },
  });
  try {
    // The handler's changes commit together, or not at all when it throws.
    const body = runtime.store.unit.run(() =>
      admitted.match.route.handler(work.context, admitted.match.params),
    );
    return { response: render(200, body), events: finishWork(work), saved: true };
  } catch (error) {
    if (error instanceof RazorpayFailure)
      return { response: renderError(error.error), events: [], saved: false };
    runtime.sim.journal.append({ kind: 'note', psp: 'razorpay', data: { internalError: String(error) } });
    return { response: renderError({ kind: 'server_error' }), events: [], saved: false };
  }
}
