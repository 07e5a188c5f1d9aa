// The baseline: a bare node:http (or node:https) server answering every request with one fixed
// JSON body once the request body is read. Also the local webhook receiver.
// Usage: node bench/servers/bare.ts http|https [tlsDir]
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { announceReady } from '../lib/proc.ts';
import { loadOrCreateLocalTls } from '../../src/transports/local-tls.ts';

const body = JSON.stringify({ id: 'cus_bench', object: 'customer', livemode: false });
const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };

function answer(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
}

const [protocol = 'http', tlsDir] = process.argv.slice(2);
const server =
  protocol === 'https'
    ? createHttpsServer(await loadOrCreateLocalTls(tlsDir ?? '.fakepsp/tls'), answer)
    : createServer(answer);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  announceReady({ url: `${protocol}://127.0.0.1:${port}` });
});
