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
    new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(attempt.url);
      } catch {
        return resolve({ error: 'invalid URL' });
      }
      const https = url.protocol === 'https:';
      if (!https && url.protocol !== 'http:')
        return resolve({ error: `unsupported protocol ${url.protocol}` });
      const headers = { ...attempt.headers, 'content-length': String(Buffer.byteLength(attempt.body)) };
      const signal = AbortSignal.timeout(timeoutMs);
      const options = { method: 'POST', headers, agent: https ? agents.https : agents.http, signal };
      // Whatever failed once the deadline passed, the attempt timed out.
      const failed = (error: NodeJS.ErrnoException): AttemptOutcome => ({
        error: signal.aborted ? `no answer within ${timeoutMs} ms` : describe(error),
      });
      const request: ClientRequest = (https ? httpsRequest : httpRequest)(url, options, (response) =>
        readAnswer(response, resolve, failed),
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-open connection the endpoint closed as this attempt went out (an idle timeout):
        // Node's own advice is to send once more on a new connection. Should the endpoint have
        // read it after all, it gets it twice, which at-least-once delivery allows.
        if (mayResend && request.reusedSocket && error.code === 'ECONNRESET' && !signal.aborted) {
          void send(attempt, false).then(resolve);
          return;
        }
        resolve(failed(error));
      });
      request.end(attempt.body);
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
