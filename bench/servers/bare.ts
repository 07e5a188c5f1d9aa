// The baseline: a bare node:http (or node:https) server answering every request with one fixed
// JSON body once the request body is read. Also the local webhook receiver. With a work time, it
// first spins the CPU that long per request: the calibration of what a ratio to bare allows.
// Usage: node bench/servers/bare.ts http|https [tlsDir] [workMicroseconds]
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { announceReady } from '../lib/proc.ts';
import { loadOrCreateLocalTls } from '../../src/transports/local-tls.ts';

const body = JSON.stringify({ id: 'cus_bench', object: 'customer', livemode: false });
const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };

const [protocol = 'http', tlsDir, work = '0'] = process.argv.slice(2);
const workMs = Number(work) / 1000;

// Stands in for a fake's work: CPU only, nothing allocated or kept.
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on('end', () => {
    if (workMs > 0) spin(workMs);
    res.writeHead(200, headers);
    res.end(body);
  });
}

const server =
  protocol === 'https'
    ? createHttpsServer(await loadOrCreateLocalTls(tlsDir ?? '.fakepsp/tls'), answer)
    : createServer(answer);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  announceReady({ url: `${protocol}://127.0.0.1:${port}` });
});
