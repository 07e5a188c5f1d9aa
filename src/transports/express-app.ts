import type { RequestListener, Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import type { PspCore, PspRequest } from '../fakes/common/psp-core.ts';

/**
 * What a transport app is to its callers: a request listener that can listen. Declared without
 * express's types, so the published `.d.ts` files need no `@types/express`.
 */
export type ListeningApp = RequestListener & { listen(port: number, hostname: string): Server };

/** Largest request body accepted; larger ones get the PSP's own 400 from the core. */
export const requestBytesMax = 1024 * 1024;

/**
 * An express app that hands every request to a PSP core verbatim and writes its answer back.
 * No PSP logic lives here.
 *
 * @example
 * createExpressApp(stripe.core, { afterResponse: () => stripe.flushWebhooks() }).listen(12111);
 */
export function createExpressApp(
  core: PspCore,
  options: { afterResponse?: () => unknown } = {},
): ListeningApp {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.text({ type: () => true, limit: requestBytesMax }));
  const answer = async (req: Request, res: Response, bodyError?: string) => {
    const request = toPspRequest(req);
    const result = await core.handle(
      bodyError === undefined ? request : { ...request, rawBody: '', bodyError },
    );
    // A lost response (reset or timeout) drops the connection unanswered: the client cannot know
    // whether the PSP acted. Holding it open for a real timeout would stall a test run.
    if (result.directive !== undefined) {
      req.socket.destroy();
    } else {
      res.status(result.response.status).set(result.response.headers).send(result.response.body);
    }
    void Promise.resolve(options.afterResponse?.()).catch(() => undefined);
  };
  app.use((req: Request, res: Response) => answer(req, res));
  // Body-parser failures (too large, bad charset) still get the PSP's own error shape.
  app.use((error: Error, req: Request, res: Response, _next: unknown) => answer(req, res, error.message));
  return app;
}

function toPspRequest(req: Request): PspRequest {
  const url = new URL(req.originalUrl, 'http://fakepsp.local');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: req.method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ''),
    headers,
    rawBody: typeof req.body === 'string' ? req.body : '',
  };
}
