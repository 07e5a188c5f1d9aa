import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type {
  BillingSystem,
  CreateCustomerRequest,
  RecordUsageRequest,
  RefundRequest,
  SetupRequest,
  TopUpRequest,
} from './contract.ts';
import { problemOf, requestSchemas } from './binding-schemas.ts';

/** The HTTP status for an error a system threw: its own `status` if it is 4xx/5xx, else 500. */
function statusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : 500;
}

// SDKs do not all throw Errors (Razorpay rejects with a plain object): say what it was.
const messageOf = (error: unknown) =>
  error instanceof Error
    ? error.message
    : typeof error === 'object' && error !== null
      ? JSON.stringify(error)
      : String(error);

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
export function billingSystemRouter(system: BillingSystem): BindingHandler {
  const router = express.Router();
  router.use('/fakepsp', express.json({ limit: '1mb', type: () => true }));
  // Each route's schema is its handler's input type; the table cannot say so, so `run` takes unknown.
  const post = <K extends keyof typeof requestSchemas>(
    path: K,
    run: (input: unknown) => Promise<unknown>,
  ) => {
    router.post(`/fakepsp/${path}`, async (request, response) => {
      const parsed = requestSchemas[path].safeParse(request.body ?? {});
      if (!parsed.success) {
        response.status(400).json({ error: problemOf(parsed.error) });
        return;
      }
      try {
        response.status(200).json((await run(parsed.data)) ?? {});
      } catch (error) {
        response.status(statusOf(error)).json({ error: messageOf(error) });
      }
    });
  };
  post('setup', (input) => system.setup(input as SetupRequest));
  post('customers', (input) => system.createCustomer(input as CreateCustomerRequest));
  post('usage', (input) => system.recordUsage(input as RecordUsageRequest));
  post('topups', (input) => system.topUp(input as TopUpRequest));
  post('refunds', (input) => system.refund(input as RefundRequest));
  post('clock', (input) => system.advanceClock(input as { now: string }));
  post('settle', () => system.settle());
  router.get('/fakepsp/ledger', async (_request, response) => {
    try {
      response.status(200).json(await system.ledger());
    } catch (error) {
      response.status(statusOf(error)).json({ error: messageOf(error) });
    }
  });
  router.use('/fakepsp', ((error, _request, response, _next) => {
    response
      .status(statusOf(error) === 500 ? 400 : statusOf(error))
      .json({ error: `malformed JSON: ${error.message}` });
  }) as express.ErrorRequestHandler);
  return router as unknown as BindingHandler;
}

/**
 * A connect-style handler: what `app.use()` of express (or connect) takes. Declared without
 * express's types, so the published `.d.ts` files need no `@types/express`.
 */
export type BindingHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;
