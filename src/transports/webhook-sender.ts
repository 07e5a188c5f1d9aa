import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AttemptOutcome, WebhookSender } from '../fakes/common/webhook-dispatcher.ts';

/** How long one webhook attempt may take before it counts as failed (PSPs time out too). */
export const attemptTimeoutMs = 10_000;

/** Most bytes of an endpoint's answer kept (the journal records only its status). */
const answerBytesMax = 64 * 1024;

/**
 * Sends webhook attempts with `node:http(s)`, as a PSP's servers would: one POST each, over a
 * connection kept open between attempts, never following a redirect (Stripe counts a 3xx as a
 * failed delivery, as it does any status outside 2xx), failing after `timeoutMs`. Failures are
 * described without addresses or ports (`connection refused`), so the journal stays the same
 * from run to run. Against `fetch`: ~4,000 deliveries a second one at a time on our bench
 * machine, not ~2,300, at a third of the CPU each.
 */
export function createHttpWebhookSender(options: { readonly timeoutMs?: number } = {}): WebhookSender {
  const timeoutMs = options.timeoutMs ?? attemptTimeoutMs;
  // Per sender, so a test's sender never hands another its connections.
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const send = (attempt: Parameters<WebhookSender>[0], mayResend: boolean): Promise<AttemptOutcome> =>
    new Promise((settle) => {
      let url: URL;
      try {
        url = new URL(attempt.url);
      } catch {
        return settle({ error: 'invalid URL' });
      }
      const https = url.protocol === 'https:';
      if (!https && url.protocol !== 'http:')
        return settle({ error: `unsupported protocol ${url.protocol}` });
      const headers = { ...attempt.headers, 'content-length': String(Buffer.byteLength(attempt.body)) };
      const request: ClientRequest = (https ? httpsRequest : httpRequest)(
        url,
        { method: 'POST', headers, agent: https ? agents.https : agents.http },
        (response) => readAnswer(response, resolve, failed),
      );
      // The deadline aborts the request itself: Node's `signal` option also watches the request's
      // end, and builds an error (with its stack) for every attempt an endpoint refuses.
      const signal = AbortSignal.timeout(timeoutMs);
      const abort = (): void => void request.destroy(signal.reason as Error);
      signal.addEventListener('abort', abort, { once: true });
      function resolve(outcome: AttemptOutcome): void {
        signal.removeEventListener('abort', abort);
        settle(outcome);
      }
      // Whatever failed once the deadline passed, the attempt timed out.
      function failed(error: NodeJS.ErrnoException): AttemptOutcome {
        return { error: signal.aborted ? `no answer within ${timeoutMs} ms` : describe(error) };
      }
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-open connection the endpoint closed as this attempt went out (an idle timeout):
        // Node's own advice is to send once more on a new connection. Should the endpoint have
        // read it after all, it gets it twice, which at-least-once delivery allows.
        if (mayResend && request.reusedSocket && error.code === 'ECONNRESET' && !signal.aborted) {
          signal.removeEventListener('abort', abort);
          void send(attempt, false).then(settle);
          return;
        }
        resolve(failed(error));
      });
      // The body goes out once connected: written to a socket still connecting, it would wait in
      // Node's buffers, and a refused connection would fail each of those writes with an error too.
      request.once('socket', (socket) => {
        if (socket.connecting) socket.once('connect', () => request.end(attempt.body));
        else request.end(attempt.body);
      });
    });
  return (attempt) => send(attempt, true);
}

/** The sender `serve` and scenario runs use. */
export const httpWebhookSender: WebhookSender = createHttpWebhookSender();

/** @deprecated {@link httpWebhookSender} under its earlier name (it sent with `fetch`). */
export const fetchWebhookSender: WebhookSender = httpWebhookSender;

function readAnswer(
  response: IncomingMessage,
  done: (outcome: AttemptOutcome) => void,
  failed: (error: NodeJS.ErrnoException) => AttemptOutcome,
): void {
  const chunks: Buffer[] = [];
  let kept = 0;
  response.on('data', (chunk: Buffer) => {
    if (kept >= answerBytesMax) return;
    chunks.push(chunk);
    kept += chunk.length;
  });
  response.on('end', () => {
    const body = Buffer.concat(chunks).subarray(0, answerBytesMax).toString('utf8');
    done({ status: response.statusCode ?? 0, body });
  });
  response.on('error', (error: NodeJS.ErrnoException) => done(failed(error)));
}

// Words for what went wrong, the same on every run: Node's messages carry addresses and ports.
const describedCodes: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

function describe(error: NodeJS.ErrnoException): string {
  const code = error.code;
  if (code === undefined) return error.message;
  return describedCodes[code] ?? code;
}
