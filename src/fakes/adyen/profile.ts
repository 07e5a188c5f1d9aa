import { faultAnswer } from '../common/fault-answers.ts';
import { PspPipeline, type Executed } from '../common/pipeline.ts';
import type { PspEvent } from '../common/psp-core.ts';
import { Router } from '../common/router.ts';
import { claimedKeyLabel } from './auth.ts';
import { admit, identify, type AdmittedRequest, type RequestIdentity } from './admission.ts';
import { AdyenFailure, type AdyenErrorKind } from './errors.ts';
import { adyenFaultAnswers, render, renderError } from './render.ts';
import { adyenRoutes } from './routes.ts';
import type { AdyenContext, AdyenRuntime, QueuedNotification } from './runtime.ts';
import { notify } from './webhooks.ts';

/** Adyen keeps idempotency keys for at least 7 days. */
export const idempotencyTtlMs = 7 * 24 * 3_600_000;

/**
 * Adyen documents no behaviour for a key reused with a different body; fakepsp replays the
 * first response (what a key-per-operation store does), so every request with one key has one
 * fingerprint.
 */
const keyFingerprint = 'adyen-idempotency-key';

/** The fake Adyen's core: Adyen's rules on the one request pipeline. */
export type AdyenCore = PspPipeline<RequestIdentity, AdmittedRequest, AdyenErrorKind>;

/**
 * The transport-agnostic fake Adyen Checkout API: authenticates, routes, applies idempotency
 * (scoped per API key, answers under 400 saved, the key echoed), runs the handler and renders
 * Adyen's answer with a `pspReference` header.
 */
export function adyenCore(runtime: AdyenRuntime): AdyenCore {
  const router = new Router(adyenRoutes);
  return new PspPipeline<RequestIdentity, AdmittedRequest, AdyenErrorKind>({
    psp: 'adyen',
    sim: runtime.sim,
    faults: runtime.faults,
    idempotency: {
      ttlMs: idempotencyTtlMs,
      scopeOf: (admitted) => admitted.credential.scope,
      fingerprintOf: () => keyFingerprint,
      mismatch: () => ({ kind: 'idempotency_in_progress' }),
      inProgress: () => ({ kind: 'idempotency_in_progress' }),
      // The first response, byte for byte, with the key echoed as Adyen does.
      replayHeaders: (_admitted, key) => ({ 'idempotency-key': key }),
      echoKey: true,
    },
    identify: (request) => identify(runtime, request),
    requestLine: (who, request) => ({
      path: request.path,
      query: request.query,
      body: request.rawBody,
      credential: who.credential?.label ?? claimedKeyLabel(request.headers) ?? null,
      idempotencyKey: who.idempotencyKey ?? null,
    }),
    admit: (request, who) => admit(runtime, router, request, who),
    refuse: (error, who) => renderError(error, who.pspReference, who.headers),
    faulted: (effect, who) => faultAnswer(effect, adyenFaultAnswers(who.pspReference, who.headers)),
    execute: (admitted) => execute(runtime, admitted),
  });
}

function execute(runtime: AdyenRuntime, admitted: AdmittedRequest): Executed {
  const queued: QueuedNotification[] = [];
  const context: AdyenContext = {
    runtime,
    body: admitted.body,
    query: admitted.query,
    pspReference: admitted.pspReference,
    idempotencyKey: admitted.idempotencyKey ?? null,
    merchantAccounts: admitted.credential.merchantAccounts,
    nowMs: runtime.sim.clock.nowMs(),
    emit: (draft, objectId) => queued.push({ draft, objectId }),
  };
  try {
    // The handler's writes commit together, or not at all when it throws.
    const answer = runtime.store.unit.run(() => admitted.match.route.handler(context, admitted.match.params));
    const cause = { requestId: admitted.pspReference, idempotencyKey: context.idempotencyKey };
    const events: PspEvent[] = queued.map((entry) => notify(runtime, entry.draft, entry.objectId, cause));
    // What Adyen answered below 400 is saved under the key; a refusal leaves the key free.
    return {
      response: render(answer.status, answer.body, admitted.headers),
      events,
      saved: answer.status < 400,
    };
  } catch (error) {
    if (error instanceof AdyenFailure) {
      const response = renderError(error.error, admitted.pspReference, admitted.headers);
      return { response, events: [], saved: response.status < 400 };
    }
    runtime.sim.journal.append({ kind: 'note', psp: 'adyen', data: { internalError: String(error) } });
    return {
      response: renderError({ kind: 'internal' }, admitted.pspReference, admitted.headers),
      events: [],
      saved: false,
    };
  }
}
