import { wallClockDeadline } from '../sim/wall-clock.ts';
import type { BillingSystem, Ledger } from './contract.ts';
import { createCustomerResponseSchema, setupResponseSchema } from './binding-schemas.ts';
import { parseLedger } from './ledger-schema.ts';

export { billingSystemRouter } from './binding-router.ts';

/** The header naming the run every binding call belongs to (`setup.runId`). */
export const runIdHeader = 'fakepsp-run-id';

/** How long the harness waits for one binding call unless told otherwise (`--sut-timeout`). */
export const sutTimeoutMsDefault = 30_000;

/** A non-2xx answer of a SUT over the HTTP binding, carrying the SUT's `{error}`. */
export class SutHttpError extends Error {
  override readonly name = 'SutHttpError';
  readonly operation: string;
  readonly status: number;
  readonly sutError: string;

  constructor(operation: string, status: number, sutError: string) {
    super(`SUT ${operation} answered ${status}: ${sutError}`);
    this.operation = operation;
    this.status = status;
    this.sutError = sutError;
  }
}

/** The SUT could not be reached, or did not answer in time: no HTTP answer at all. */
export class SutUnreachableError extends Error {
  override readonly name = 'SutUnreachableError';
}

/** Options of {@link httpBillingSystem}. */
export interface HttpBillingSystemOptions {
  /** Most milliseconds one binding call may take (default {@link sutTimeoutMsDefault}). */
  readonly timeoutMs?: number;
  /** Aborts every call in flight and to come, with the signal's reason (a service that died). */
  readonly signal?: AbortSignal;
}

const connectionProblems: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed before an answer',
  ENOTFOUND: 'no such host',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
};

/** Words for a failed `fetch`: undici hides the socket's error code in `cause`. */
export function connectionProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code !== undefined) return connectionProblems[code] ?? code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Where binding calls go, how long each may take, and what aborts them. */
interface BindingTarget {
  readonly base: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** One binding call: JSON in, the JSON answer out, or an error that says what went wrong. */
async function callBinding(
  target: BindingTarget,
  runId: string | undefined,
  call: {
    readonly operation: string;
    readonly method: 'GET' | 'POST';
    readonly path: string;
    readonly body: unknown;
  },
): Promise<unknown> {
  const { base, timeoutMs, signal } = target;
  const { operation, method, path, body } = call;
  const what = `${method} /fakepsp/${path} (${operation})`;
  signal?.throwIfAborted();
  const deadline = wallClockDeadline(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${base}/fakepsp/${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(runId === undefined ? {} : { [runIdHeader]: runId }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: signal === undefined ? deadline : AbortSignal.any([deadline, signal]),
    });
    text = await response.text();
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    if (deadline.aborted)
      throw new SutUnreachableError(
        `the billing service did not answer ${what} within ${timeoutMs / 1000} s (--sut-timeout)`,
      );
    throw new SutUnreachableError(
      `no billing service answers at ${base}: ${connectionProblem(error)} (${what})`,
    );
  }
  return answerOf(operation, response, text);
}

/** The JSON of a 2xx answer; a non-2xx one's `{error}` as a {@link SutHttpError}. */
function answerOf(operation: string, response: Response, text: string): unknown {
  let json: unknown = undefined;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    if (response.ok)
      throw new SutHttpError(operation, response.status, `answered non-JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const error = (json as { error?: unknown } | undefined)?.error;
    throw new SutHttpError(
      operation,
      response.status,
      typeof error === 'string' ? error : text.slice(0, 500),
    );
  }
  return json;
}

/**
 * A {@link BillingSystem} reached over the HTTP binding v1: `POST {base}/fakepsp/{setup|
 * customers|usage|topups|refunds|clock|settle}` and `GET {base}/fakepsp/ledger`, JSON both ways,
 * every call carrying the `fakepsp-run-id` header of its run. A non-2xx answer throws
 * {@link SutHttpError}; no answer (refused, reset, past the timeout) throws
 * {@link SutUnreachableError}; a malformed ledger throws naming the transaction and field.
 *
 * @example
 * const sut = httpBillingSystem('http://127.0.0.1:4000', { timeoutMs: 10_000 });
 * const psps = { stripe: { apiBase: 'http://127.0.0.1:12111', secretKey: 'sk_test_fakepsp', webhookSecret: 'whsec_fakepsp' } };
 * await sut.setup({ runId: 'run_1', seed: 42, pattern: 'byo-stripe', now: '2026-01-01T00:00:00Z', psps });
 */
export function httpBillingSystem(baseUrl: string, options: HttpBillingSystemOptions = {}): BillingSystem {
  const target: BindingTarget = {
    base: baseUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? sutTimeoutMsDefault,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  let runId: string | undefined;
  const call = (operation: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    callBinding(target, runId, { operation, method, path, body });
  const parsed = <T>(operation: string, schema: { parse(value: unknown): T }, value: unknown): T => {
    try {
      return schema.parse(value);
    } catch (error) {
      throw new SutHttpError(operation, 200, `answered a body the binding does not allow: ${String(error)}`);
    }
  };
  return {
    setup: async (request) => {
      runId = request.runId;
      return parsed('setup', setupResponseSchema, await call('setup', 'POST', 'setup', request));
    },
    createCustomer: async (request) =>
      parsed(
        'createCustomer',
        createCustomerResponseSchema,
        await call('createCustomer', 'POST', 'customers', request),
      ),
    recordUsage: async (request) => void (await call('recordUsage', 'POST', 'usage', request)),
    topUp: async (request) => void (await call('topUp', 'POST', 'topups', request)),
    refund: async (request) => void (await call('refund', 'POST', 'refunds', request)),
    advanceClock: async (request) => void (await call('advanceClock', 'POST', 'clock', request)),
    settle: async () => void (await call('settle', 'POST', 'settle', {})),
    ledger: async (): Promise<Ledger> => {
      const exported = parseLedger(await call('ledger', 'GET', 'ledger'));
      if (!exported.ok) throw new Error(`SUT ledger export is malformed: ${exported.problems.join('; ')}`);
      return exported.ledger;
    },
  };
}
