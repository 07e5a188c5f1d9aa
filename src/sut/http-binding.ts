import express from 'express';
import * as z from 'zod';
import type {
  BillingSystem,
  CreateCustomerRequest,
  Ledger,
  RecordUsageRequest,
  RefundRequest,
  SetupRequest,
  SetupResponse,
  TopUpRequest,
} from './contract.ts';
import { integrationPatterns } from './contract.ts';
import { parseLedger } from './ledger-schema.ts';

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

/**
 * A {@link BillingSystem} reached over the HTTP binding v1: `POST {base}/fakepsp/{setup|
 * customers|usage|topups|refunds|clock|settle}` and `GET {base}/fakepsp/ledger`, JSON both ways.
 * A non-2xx answer throws {@link SutHttpError}; a malformed ledger throws naming the
 * transaction and field.
 *
 * @example
 * const sut = httpBillingSystem('http://127.0.0.1:4000');
 * await sut.setup({ runId: 'run_1', seed: 42, pattern: 'byo-stripe', now, psps });
 */
export function httpBillingSystem(baseUrl: string): BillingSystem {
  const base = baseUrl.replace(/\/+$/, '');
  async function call(
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const response = await fetch(`${base}/fakepsp/${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
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
  return {
    setup: async (request) => setupResponseSchema.parse(await call('setup', 'POST', 'setup', request)),
    createCustomer: async (request) => void (await call('createCustomer', 'POST', 'customers', request)),
    recordUsage: async (request) => void (await call('recordUsage', 'POST', 'usage', request)),
    topUp: async (request) => void (await call('topUp', 'POST', 'topups', request)),
    refund: async (request) => void (await call('refund', 'POST', 'refunds', request)),
    advanceClock: async (request) => void (await call('advanceClock', 'POST', 'clock', request)),
    settle: async () => void (await call('settle', 'POST', 'settle', {})),
    ledger: async (): Promise<Ledger> => {
      const parsed = parseLedger(await call('ledger', 'GET', 'ledger'));
      if (!parsed.ok) throw new Error(`SUT ledger export is malformed: ${parsed.problems.join('; ')}`);
      return parsed.ledger;
    },
  };
}

const psp = z.enum(['stripe', 'adyen', 'razorpay']);
const instant = z.iso.datetime({ offset: true });
const minor = z
  .number()
  .int()
  .refine(Number.isSafeInteger, { error: 'must be a safe integer (minor units)' });
const currency = z.string().regex(/^[a-z]{3}$/, { error: 'must be a lowercase ISO 4217 code' });

const setupResponseSchema = z.object({
  webhooks: z.partialRecord(psp, z.string()),
  patterns: z.array(z.enum(integrationPatterns as [string, ...string[]])),
  psps: z.array(psp),
}) as unknown as z.ZodType<SetupResponse>;

const schemas = {
  setup: z.object({
    runId: z.string().min(1),
    seed: z.number().int(),
    pattern: z.enum(integrationPatterns as [string, ...string[]]),
    now: instant,
    psps: z.object({
      stripe: z.object({ apiBase: z.string(), secretKey: z.string(), webhookSecret: z.string() }).optional(),
      adyen: z
        .object({ apiBase: z.string(), apiKey: z.string(), merchantAccount: z.string(), hmacKey: z.string() })
        .optional(),
      razorpay: z
        .object({ apiBase: z.string(), keyId: z.string(), keySecret: z.string(), webhookSecret: z.string() })
        .optional(),
    }),
  }),
  customers: z.object({
    customerId: z.string().min(1),
    email: z.string(),
    name: z.string(),
    currency,
    psp,
    paymentMethod: z.string().min(1),
    plan: z.object({
      baseFeeMinor: minor.nonnegative(),
      unitPricesMinor: z.record(z.string(), minor.nonnegative()),
      interval: z.enum(['day', 'week', 'month', 'year']),
    }),
  }),
  usage: z.object({
    customerId: z.string().min(1),
    meter: z.string().min(1),
    quantity: minor.nonnegative(),
    eventId: z.string().min(1),
    at: instant,
  }),
  topups: z.object({
    customerId: z.string().min(1),
    amount: minor.positive(),
    currency,
    requestId: z.string().min(1),
  }),
  refunds: z.object({
    customerId: z.string().min(1),
    ref: z.string().min(1),
    amount: minor.positive(),
    requestId: z.string().min(1),
  }),
  clock: z.object({ now: instant }),
  settle: z.object({}),
};

/** The HTTP status for an error a system threw: its own `status` if it is 4xx/5xx, else 500. */
function statusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : 500;
}

function problemOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

/**
 * An express router exposing any {@link BillingSystem} over the HTTP binding v1. Bad input
 * answers 400 `{error}` naming the field; an error the system throws answers its `status`
 * (4xx/5xx) or 500, with `{error: message}`.
 *
 * @example
 * const app = express();
 * app.use(billingSystemRouter(createReferenceBillingSystem()));
 * app.listen(4000, '127.0.0.1');
 */
export function billingSystemRouter(system: BillingSystem): express.Router {
  const router = express.Router();
  router.use('/fakepsp', express.json({ limit: '1mb', type: () => true }));
  const post = <K extends keyof typeof schemas>(path: K, run: (input: never) => Promise<unknown>) => {
    router.post(`/fakepsp/${path}`, async (request, response) => {
      const parsed = schemas[path].safeParse(request.body ?? {});
      if (!parsed.success) {
        response.status(400).json({ error: problemOf(parsed.error) });
        return;
      }
      try {
        response.status(200).json((await run(parsed.data as never)) ?? {});
      } catch (error) {
        response
          .status(statusOf(error))
          .json({ error: error instanceof Error ? error.message : String(error) });
      }
    });
  };
  post('setup', (input: SetupRequest) => system.setup(input));
  post('customers', (input: CreateCustomerRequest) => system.createCustomer(input));
  post('usage', (input: RecordUsageRequest) => system.recordUsage(input));
  post('topups', (input: TopUpRequest) => system.topUp(input));
  post('refunds', (input: RefundRequest) => system.refund(input));
  post('clock', (input: { now: string }) => system.advanceClock(input));
  post('settle', () => system.settle());
  router.get('/fakepsp/ledger', async (_request, response) => {
    try {
      response.status(200).json(await system.ledger());
    } catch (error) {
      response
        .status(statusOf(error))
        .json({ error: error instanceof Error ? error.message : String(error) });
    }
  });
  router.use('/fakepsp', ((error, _request, response, _next) => {
    response
      .status(statusOf(error) === 500 ? 400 : statusOf(error))
      .json({ error: `malformed JSON: ${error.message}` });
  }) as express.ErrorRequestHandler);
  return router;
}
