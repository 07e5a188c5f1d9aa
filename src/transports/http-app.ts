import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { requestBytesMax, type PspCore, type PspRequest, type PspResult } from '../fakes/common/psp-core.ts';
import { TurnBatch } from './turn-batch.ts';

/** What a transport app is to its callers: a request listener that can listen. */
export type ListeningApp = RequestListener & { listen(port: number, hostname: string): Server };

export { requestBytesMax } from '../fakes/common/psp-core.ts';

// Charsets a form or JSON body may declare; anything else is the PSP's 400, not a guess.
const decoders: Readonly<Record<string, BufferEncoding>> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  'us-ascii': 'latin1',
  ascii: 'latin1',
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
};

/**
 * A `node:http` request listener that hands every request to a PSP core verbatim and writes its
 * answer back: no framework between the socket and the core, as little work as a transport can
 * do (the fakes sit in every CI build's hot path). No PSP logic lives here. Mount it on an
 * `https.createServer` as well, or call `listen` for plain HTTP.
 *
 * @example
 * createHttpApp(stripe.core, { afterResponse: () => stripe.flushWebhooks() }).listen(12111, '127.0.0.1');
 */
export function createHttpApp(core: PspCore, options: { afterResponse?: () => unknown } = {}): ListeningApp {
  const { afterResponse } = options;
  const answer = (req: IncomingMessage, res: ServerResponse, rawBody: string, bodyError?: string) => {
    const request = toPspRequest(req, rawBody);
    // A promise chain, not an async function per request: the fakes sit in every CI build's hot path.
    core.handle(bodyError === undefined ? request : { ...request, bodyError }).then(
      (result) => {
        try {
          write(req, res, result);
        } catch {
          lastResort(res);
          return;
        }
        if (afterResponse !== undefined) runAfterResponse(afterResponse);
      },
      () => lastResort(res),
    );
  };
  // The requests that arrived in one turn of the event loop are answered together (TurnBatch).
  const answers = new TurnBatch();
  const listener: RequestListener = (req, res) => {
    readBody(req, (rawBody, bodyError) =>
      answers.add(
        () => answer(req, res, rawBody, bodyError),
        () => lastResort(res),
      ),
    );
  };
  return Object.assign(listener, {
    listen: (port: number, hostname: string) => createServer(listener).listen(port, hostname),
  });
}

/** The cores answer every request in the PSP's own shape; this is only a last resort. */
function lastResort(res: ServerResponse): void {
  if (res.headersSent) res.destroy();
  else
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"fakepsp failed"}}');
}

/** Work after an answer (a webhook flush) never touches the answer, whatever it throws. */
function runAfterResponse(afterResponse: () => unknown): void {
  try {
    const done = afterResponse();
    if (done instanceof Promise) done.catch(() => undefined);
  } catch {
    // Nothing to answer any more: the response is on its way.
  }
}

/** Reads the body up to {@link requestBytesMax}, decoded by its declared charset. */
function readBody(req: IncomingMessage, done: (rawBody: string, bodyError?: string) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > requestBytesMax) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on('error', () => req.socket.destroy());
  req.on('end', () => {
    if (tooLarge) return done('', 'request entity too large');
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity')
      return done('', `unsupported content encoding "${encoding}"`);
    const decoder = decoderOf(req.headers['content-type']);
    if (typeof decoder !== 'string')
      return done('', `unsupported charset "${decoder.unsupported.toUpperCase()}"`);
    done(chunks.length === 1 ? chunks[0]!.toString(decoder) : Buffer.concat(chunks).toString(decoder));
  });
}

/** How to decode a body of this content type: UTF-8 unless it declares another charset. */
function decoderOf(contentType: string | undefined): BufferEncoding | { readonly unsupported: string } {
  // Most requests declare no charset: only those that mention one pay for the pattern.
  if (contentType === undefined || !/charset/i.test(contentType)) return 'utf8';
  const charset = /;\s*charset=("?)([^";\s]+)\1/i.exec(contentType)?.[2]?.toLowerCase();
  if (charset === undefined) return 'utf8';
  return decoders[charset] ?? { unsupported: charset };
}

/** Writes a core's answer, or drops the connection for a lost response. */
function write(req: IncomingMessage, res: ServerResponse, result: PspResult): void {
  // A lost response (reset or timeout) drops the connection unanswered: the client cannot know
  // whether the PSP acted. Holding it open for a real timeout would stall a test run.
  if (result.directive !== undefined) {
    req.socket.destroy();
    return;
  }
  const { status, headers, body } = result.response;
  // A known length keeps the answer one write (chunked encoding costs a second syscall).
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
}

function toPspRequest(req: IncomingMessage, rawBody: string): PspRequest {
  const target = req.url ?? '/';
  // An origin-form target (`/v1/customers?limit=3`) is split as is; anything else goes through URL.
  const url = target.startsWith('/') ? undefined : new URL(target, 'http://fakepsp.local');
  const queryAt = target.indexOf('?');
  const headers = headersOf(req);
  return {
    method: req.method ?? 'GET',
    path: url?.pathname ?? (queryAt < 0 ? target : target.slice(0, queryAt)),
    query: url?.search.slice(1) ?? (queryAt < 0 ? '' : target.slice(queryAt + 1)),
    headers,
    rawBody,
  };
}

/**
 * The request's headers, each one string: Node's own object when they are already (it joins a
 * repeated header but `set-cookie`, which a client does not send), else a copy with lists joined.
 * The core only reads them.
 */
function headersOf(req: IncomingMessage): Readonly<Record<string, string>> {
  const given = req.headers;
  for (const name in given) {
    if (typeof given[name] === 'string') continue;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(given)) {
      if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    return headers;
  }
  return given as Readonly<Record<string, string>>;
}
