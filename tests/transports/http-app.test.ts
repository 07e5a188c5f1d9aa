import type { AddressInfo } from 'node:net';
import { request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PspCore, PspRequest, PspResult } from '../../src/fakes/common/psp-core.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { createHttpApp, requestBytesMax } from '../../src/transports/http-app.ts';

/** A core that answers with what it was given, to see what the transport hands over. */
const echo: PspCore = {
  psp: 'stripe',
  handle: async (request: PspRequest): Promise<PspResult> => ({
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) },
    events: [],
  }),
};

const servers: Server[] = [];
const listen = async (core: PspCore, afterResponse?: () => unknown) => {
  const server = createHttpApp(core, afterResponse === undefined ? {} : { afterResponse }).listen(
    0,
    '127.0.0.1',
  );
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
let echoUrl: string;
beforeAll(async () => (echoUrl = await listen(echo)));
afterAll(() => servers.forEach((server) => server.close()));

const seen = async (path: string, init: RequestInit = {}) =>
  (await (await fetch(`${echoUrl}${path}`, init)).json()) as PspRequest;

describe('the node:http transport', () => {
  it('hands the core the method, path, query, lower-cased headers and body verbatim', async () => {
    const request = await seen('/v1/customers?limit=3&expand[]=data.x', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': 'k1' },
      body: 'name=J%C3%BCrgen&metadata[a]=1',
    });
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/customers',
      query: 'limit=3&expand[]=data.x',
      rawBody: 'name=J%C3%BCrgen&metadata[a]=1',
    });
    expect(request.headers['idempotency-key']).toBe('k1');
    expect(request.bodyError).toBeUndefined();
    expect(await seen('/v1/balance')).toMatchObject({ path: '/v1/balance', query: '', rawBody: '' });
  });

  it('hands every header over as one string, a list joined, as Node joins a repeated one', async () => {
    const { port } = new URL(echoUrl);
    const body = await new Promise<string>((resolve, reject) => {
      const headers = { 'set-cookie': ['a=1', 'b=2'], 'x-tag': ['one', 'two'], 'x-one': 'only' };
      const sent = request({ host: '127.0.0.1', port, path: '/v1/balance', headers }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      });
      sent.on('error', reject);
      sent.end();
    });
    const { headers } = JSON.parse(body) as PspRequest;
    expect(headers).toMatchObject({ 'set-cookie': 'a=1, b=2', 'x-tag': 'one, two', 'x-one': 'only' });
    // Without a list among them, every header still arrives as it was sent.
    expect((await seen('/v1/balance', { headers: { 'X-One': 'only' } })).headers['x-one']).toBe('only');
  });

  it('decodes the body by its charset and says so when it cannot', async () => {
    const latin1 = Buffer.from('name=J\u00fcrgen', 'latin1');
    const body = await seen('/v1/customers', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=ISO-8859-1' },
      body: latin1,
    });
    expect(body.rawBody).toBe('name=J\u00fcrgen');
    const odd = await seen('/v1/customers', {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=klingon' },
      body: 'x',
    });
    expect(odd).toMatchObject({ rawBody: '', bodyError: 'unsupported charset "KLINGON"' });
  });

  it('refuses a body past the limit through the core, in the PSP shape, without buffering it', async () => {
    const stripe = await listen(createStripeFake(createSimulation({ seed: 1 })).core);
    const response = await fetch(`${stripe}/v1/customers`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_x', 'content-type': 'application/x-www-form-urlencoded' },
      body: `name=${'x'.repeat(requestBytesMax)}`,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('request entity too large');
  });

  it('answers 500 in JSON, not a hung socket, if a core ever throws', async () => {
    const url = await listen({ psp: 'stripe', handle: () => Promise.reject(new Error('boom')) });
    const response = await fetch(`${url}/v1/x`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { message: 'fakepsp failed' } });
  });

  it('answers 500 as well when a core throws before it returns a promise', async () => {
    const url = await listen({
      psp: 'stripe',
      handle: () => {
        throw new Error('boom');
      },
    });
    const responses = await Promise.all([fetch(`${url}/v1/x`), fetch(`${url}/v1/y`)]);
    expect(responses.map((response) => response.status)).toEqual([500, 500]);
  });

  it('answers every request of a burst, each with its own answer', async () => {
    const handled: string[] = [];
    const recording: PspCore = {
      psp: 'stripe',
      handle: (request) => {
        handled.push(request.path);
        return echo.handle(request);
      },
    };
    const url = await listen(recording);
    const paths = Array.from({ length: 20 }, (_, index) => `/v1/burst/${index}`);
    // One connection each, all at once: their bodies end in the same turns of the server's loop.
    const answered = await Promise.all(
      paths.map(async (path) => ((await (await fetch(`${url}${path}`)).json()) as PspRequest).path),
    );
    expect(answered).toEqual(paths);
    expect([...handled].sort()).toEqual([...paths].sort());
  });

  it('answers 500 too when the answer cannot be written (a header Node refuses)', async () => {
    const badHeader: PspCore = {
      psp: 'stripe',
      handle: async () => ({
        response: { status: 200, headers: { 'x-bad': 'a\nb' }, body: '{}' },
        events: [],
      }),
    };
    const response = await fetch(`${await listen(badHeader)}/v1/x`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { message: 'fakepsp failed' } });
  });

  it('runs the after-response work once per answer; its failures never reach the client', async () => {
    const calls: string[] = [];
    const afterResponses = [
      () => calls.push('ran'),
      () => {
        calls.push('threw');
        throw new Error('flush failed');
      },
      () => {
        calls.push('rejected');
        return Promise.reject(new Error('flush failed later'));
      },
    ];
    for (const afterResponse of afterResponses) {
      const url = await listen(echo, afterResponse);
      for (const attempt of [1, 2]) {
        const response = await fetch(`${url}/v1/attempt/${attempt}`);
        expect(response.status).toBe(200);
        expect(((await response.json()) as PspRequest).path).toBe(`/v1/attempt/${attempt}`);
      }
    }
    expect(calls).toEqual(['ran', 'ran', 'threw', 'threw', 'rejected', 'rejected']);
  });
});
