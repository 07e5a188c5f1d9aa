import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpWebhookSender } from '../../src/transports/webhook-sender.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A receiver on a free loopback port; counts the connections it was opened. */
async function receiver(handle: Parameters<typeof createServer>[1]) {
  const server = createServer(handle);
  servers.push(server);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connections: () => connections, server };
}

const attempt = (url: string) => ({
  url: `${url}/hooks`,
  headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=abc' },
  body: '{"id":"evt_1","type":"customer.created"}',
});

describe('the webhook sender', () => {
  it('POSTs the exact body and headers, reports the status and answer, and keeps the connection for the next', async () => {
    const seen: Array<{
      method: string | undefined;
      url: string | undefined;
      signature: string;
      body: string;
    }> = [];
    const target = await receiver((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          signature: req.headers['stripe-signature'] as string,
          body,
        });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
      });
    });
    const send = createHttpWebhookSender();
    expect(await send(attempt(target.url))).toEqual({ status: 200, body: 'thanks' });
    expect(await send(attempt(target.url))).toEqual({ status: 200, body: 'thanks' });
    expect(seen).toEqual([
      { method: 'POST', url: '/hooks', signature: 't=1,v1=abc', body: attempt('').body },
      { method: 'POST', url: '/hooks', signature: 't=1,v1=abc', body: attempt('').body },
    ]);
    expect(target.connections()).toBe(1);
  });

  it('never follows a redirect: a 3xx is what the endpoint answered (a failed delivery)', async () => {
    let followed = 0;
    const target = await receiver((req, res) => {
      req.resume();
      if (req.url === '/elsewhere') followed++;
      res.writeHead(req.url === '/hooks' ? 308 : 200, { location: '/elsewhere' }).end();
    });
    expect(await createHttpWebhookSender()(attempt(target.url))).toEqual({ status: 308, body: '' });
    expect(followed).toBe(0);
  });

  it('describes a refused connection without its port, so the journal is the same on every run', async () => {
    const target = await receiver((_req, res) => res.end());
    await new Promise((done) => target.server.close(done));
    servers.splice(servers.indexOf(target.server), 1);
    expect(await createHttpWebhookSender()(attempt(target.url))).toEqual({ error: 'connection refused' });
  });

  it('gives up on an endpoint that does not answer in time', async () => {
    const target = await receiver((req) => req.resume());
    const started = performance.now();
    expect(await createHttpWebhookSender({ timeoutMs: 150 })(attempt(target.url))).toEqual({
      error: 'no answer within 150 ms',
    });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('sends once more on a new connection when the endpoint closed the kept one as the attempt went out', async () => {
    const requestsOn = new WeakMap<object, number>();
    const target = await receiver((req, res) => {
      const count = (requestsOn.get(req.socket) ?? 0) + 1;
      requestsOn.set(req.socket, count);
      // The second request on a connection finds it closed, as an idle timeout would leave it.
      if (count === 2) return void req.socket.destroy();
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    const send = createHttpWebhookSender();
    expect(await send(attempt(target.url))).toEqual({ status: 204, body: '' });
    expect(await send(attempt(target.url))).toEqual({ status: 204, body: '' });
    expect(target.connections()).toBe(2);
  });

  it('refuses what it cannot send without throwing', async () => {
    const send = createHttpWebhookSender();
    expect(await send({ ...attempt(''), url: 'not a url' })).toEqual({ error: 'invalid URL' });
    expect(await send({ ...attempt(''), url: 'ftp://127.0.0.1/hooks' })).toEqual({
      error: 'unsupported protocol ftp:',
    });
  });
});
