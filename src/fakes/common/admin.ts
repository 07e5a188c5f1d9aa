import type { JsonValue } from '../../sim/canonical-json.ts';
import { durationMs } from '../../sim/clock.ts';
import type { Simulation } from '../../sim/simulation.ts';
import { parseFaultPlan } from './fault-plan-schema.ts';
import type { FaultInjector } from './faults.ts';
import { jsonResponse, type PspCore, type PspName, type PspRequest, type PspResult } from './psp-core.ts';

/** The harness's view of one fake, behind `/_fakepsp/`. */
export interface AdminHooks {
  readonly psp: PspName;
  readonly sim: Simulation;
  /** Everything the fake holds, for the state dump. */
  readonly state: () => unknown;
  /** Sends the webhook attempts that are due. */
  readonly flushWebhooks: () => Promise<number>;
  readonly faults: FaultInjector;
  /** PSP-side actors (disputes, dashboard refunds, 3DS, checkout), by name. */
  readonly actions?: Readonly<Record<string, AdminAction>>;
  /** Starts a fresh run with the same seed (state, journal, clock and faults). */
  readonly reset?: () => Promise<JsonValue>;
}

/** One PSP-side action: a JSON body in, a status and JSON body out. */
export type AdminAction = (body: unknown) => { readonly status: number; readonly body: JsonValue };

/** The prefix of the admin API; no PSP has paths under it. */
export const adminPrefix = '/_fakepsp';

/**
 * Wraps a PSP core with the admin API: `GET /_fakepsp/health`, `GET /_fakepsp/state`,
 * `GET /_fakepsp/journal` (JSONL), `GET /_fakepsp/clock`, `POST /_fakepsp/clock/advance`
 * (`{"by":"1h"}` or `{"to":"2026-02-01T00:00:00Z"}`), `POST /_fakepsp/webhooks/flush`,
 * `GET|POST|DELETE /_fakepsp/faults` (the fault plan), `POST /_fakepsp/actions/<name>` (PSP-side
 * actors: disputes, dashboard refunds, 3DS, checkout).
 */
export function withAdmin(core: PspCore, hooks: AdminHooks): PspCore {
  return {
    psp: core.psp,
    handle: (request) =>
      request.path === adminPrefix || request.path.startsWith(`${adminPrefix}/`)
        ? handleAdmin(request, hooks)
        : core.handle(request),
  };
}

async function handleAdmin(request: PspRequest, hooks: AdminHooks): Promise<PspResult> {
  const { sim } = hooks;
  const route = `${request.method.toUpperCase()} ${request.path.slice(adminPrefix.length) || '/'}`;
  const answer = (status: number, body: JsonValue): PspResult => ({
    response: jsonResponse(status, body),
    events: [],
  });
  switch (route) {
    case 'GET /':
      return answer(200, adminIndex(hooks));
    case 'GET /health':
      return answer(200, { ok: true, psp: hooks.psp, seed: sim.seed, now: sim.clock.now().toISOString() });
    case 'GET /state':
      // A typed dump is JSON by construction; the round trip makes it a plain JSON value.
      return answer(200, JSON.parse(JSON.stringify(hooks.state())) as JsonValue);
    case 'GET /journal':
      return {
        response: {
          status: 200,
          headers: { 'content-type': 'application/x-ndjson', 'x-journal-hash': sim.journal.hash() },
          body: sim.journal.toJsonl(),
        },
        events: [],
      };
    case 'GET /clock':
      return answer(200, { now: sim.clock.now().toISOString(), nowMs: sim.clock.nowMs() });
    case 'POST /clock/advance':
      return advanceClock(request, hooks, answer);
    case 'GET /faults':
      return answer(200, hooks.faults.plan() as JsonValue);
    case 'POST /faults':
      return loadFaults(request, hooks, answer);
    case 'DELETE /faults':
      hooks.faults.clear();
      return answer(200, {});
    case 'POST /reset':
      if (hooks.reset === undefined)
        return answer(404, { error: { type: 'fakepsp_admin', message: 'reset is not available here' } });
      return answer(200, await hooks.reset());
    case 'POST /webhooks/flush':
      return answer(200, { attempts: await hooks.flushWebhooks() });
    default:
      if (route.startsWith('POST /actions/'))
        return runAction(route.slice('POST /actions/'.length), request, hooks, answer);
      return answer(404, { error: { type: 'fakepsp_admin', message: `No admin route ${route}` } });
  }
}

/** The admin routes, described: what `GET /_fakepsp/` answers, so the API explains itself. */
export const adminRoutes: Readonly<Record<string, string>> = {
  'GET /_fakepsp/': 'this list',
  'GET /_fakepsp/health': 'the fake is up: its PSP, seed and virtual now',
  'GET /_fakepsp/state': 'every object the fake holds',
  'GET /_fakepsp/journal': "the run's journal as JSONL, its hash in X-Journal-Hash",
  'GET /_fakepsp/clock': 'the virtual now',
  'POST /_fakepsp/clock/advance':
    'move virtual time: {"by":"1h"} or {"to":"2026-02-01T00:00:00Z"}; due work runs',
  'GET /_fakepsp/faults': 'the fault plan loaded',
  'POST /_fakepsp/faults': 'load a fault plan ({"api": […], "webhooks": […], "outages": […]})',
  'DELETE /_fakepsp/faults': 'clear the fault plan',
  'POST /_fakepsp/webhooks/flush': 'send the webhook attempts that are due now',
  'POST /_fakepsp/reset': 'a fresh run with the same seed (serve only)',
  'POST /_fakepsp/actions/<name>': 'a PSP-side actor; the names are under "actions"',
};

function adminIndex(hooks: AdminHooks): JsonValue {
  return {
    psp: hooks.psp,
    routes: Object.entries(adminRoutes).map(([route, what]) => ({ route, what })),
    actions: Object.keys(hooks.actions ?? {}).sort(),
  };
}

function runAction(
  name: string,
  request: PspRequest,
  hooks: AdminHooks,
  answer: (status: number, body: JsonValue) => PspResult,
): PspResult {
  const action = hooks.actions?.[name];
  if (action === undefined) {
    const known = Object.keys(hooks.actions ?? {}).join(', ') || 'none';
    return answer(404, {
      error: { type: 'fakepsp_admin', message: `No action '${name}' (known: ${known})` },
    });
  }
  let body: unknown;
  try {
    body = request.rawBody.trim() === '' ? {} : JSON.parse(request.rawBody);
  } catch {
    return answer(400, { error: { type: 'fakepsp_admin', message: 'The body must be JSON' } });
  }
  const result = action(body);
  hooks.sim.journal.append({ kind: 'action', psp: hooks.psp, data: { admin: name, status: result.status } });
  return answer(result.status, result.body);
}

function loadFaults(
  request: PspRequest,
  hooks: AdminHooks,
  answer: (status: number, body: JsonValue) => PspResult,
): PspResult {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    return answer(400, { error: { type: 'fakepsp_admin', message: 'The body must be a JSON fault plan' } });
  }
  const parsed = parseFaultPlan(body);
  if (!parsed.ok) return answer(400, { error: { type: 'fakepsp_admin', message: parsed.message } });
  hooks.faults.load(parsed.plan);
  return answer(200, parsed.plan as JsonValue);
}

async function advanceClock(
  request: PspRequest,
  hooks: AdminHooks,
  answer: (status: number, body: JsonValue) => PspResult,
): Promise<PspResult> {
  let body: { by?: string | number; to?: string };
  try {
    body = request.rawBody.trim() === '' ? {} : (JSON.parse(request.rawBody) as typeof body);
  } catch {
    return answer(400, {
      error: { type: 'fakepsp_admin', message: 'The body must be JSON: {"by":"1h"} or {"to":"<ISO time>"}' },
    });
  }
  const { clock } = hooks.sim;
  try {
    if (body.to !== undefined) clock.advanceTo(Date.parse(body.to));
    else clock.advanceBy(durationMs(body.by ?? 0));
  } catch (error) {
    return answer(400, { error: { type: 'fakepsp_admin', message: (error as Error).message } });
  }
  hooks.sim.journal.append({ kind: 'clock', psp: hooks.psp, data: { nowMs: clock.nowMs() } });
  const attempts = await hooks.flushWebhooks();
  return answer(200, { now: clock.now().toISOString(), webhookAttempts: attempts });
}
