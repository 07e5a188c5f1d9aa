import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../src/sut/service-process.ts';
import {
  httpBillingSystem,
  runIdHeader,
  SutHttpError,
  SutUnreachableError,
} from '../../src/sut/http-binding.ts';

const setupRequest = {
  runId: 'run_client_test',
  seed: 7,
  pattern: 'byo-stripe' as const,
  now: '2026-01-01T00:00:00.000Z',
  psps: {},
};

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** A service that answers every call with `answer(path)`, remembering each request. */
async function service(answer: (request: IncomingMessage) => { status: number; body: unknown } | 'hang') {
  const seen: IncomingMessage[] = [];
  server = createServer((request, response) => {
    seen.push(request);
    request.resume();
    request.on('end', () => {
      const answered = answer(request);
      if (answered === 'hang') return;
      response.writeHead(answered.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answered.body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const setupAnswer = { webhooks: {}, patterns: ['byo-stripe'], psps: ['stripe'] };

describe('httpBillingSystem', () => {
  it('names the run on every binding call with the fakepsp-run-id header, setup included', async () => {
    const { url, seen } = await service((request) =>
      request.url === '/fakepsp/setup'
        ? { status: 200, body: setupAnswer }
        : request.url === '/fakepsp/ledger'
          ? { status: 200, body: { transactions: [] } }
          : { status: 200, body: {} },
    );
    const sut = httpBillingSystem(url);
    await sut.setup(setupRequest);
    await sut.recordUsage({
      customerId: 'c_1',
      meter: 'tokens',
      quantity: 1,
      eventId: 'u_1',
      at: setupRequest.now,
    });
    await sut.settle();
    await sut.ledger();
    expect(seen.map((request) => [request.url, request.headers[runIdHeader]])).toEqual([
      ['/fakepsp/setup', 'run_client_test'],
      ['/fakepsp/usage', 'run_client_test'],
      ['/fakepsp/settle', 'run_client_test'],
      ['/fakepsp/ledger', 'run_client_test'],
    ]);
  });

  it('reads concurrentRuns and a pspCustomerId from the answers, and refuses a concurrentRuns of 0', async () => {
    let concurrentRuns = 4;
    const { url } = await service((request) =>
      request.url === '/fakepsp/setup'
        ? { status: 200, body: { ...setupAnswer, concurrentRuns } }
        : { status: 200, body: { pspCustomerId: 'cus_123' } },
    );
    const sut = httpBillingSystem(url);
    expect((await sut.setup(setupRequest)).concurrentRuns).toBe(4);
    const customer = {
      customerId: 'c_1',
      email: 'a@b.test',
      name: 'A',
      currency: 'usd',
      psp: 'stripe' as const,
      paymentMethod: 'pm_card_visa',
      plan: { baseFeeMinor: 0, unitPricesMinor: {}, interval: 'month' as const },
    };
    expect(await sut.createCustomer(customer)).toEqual({ pspCustomerId: 'cus_123' });
    concurrentRuns = 0;
    await expect(sut.setup(setupRequest)).rejects.toThrow(SutHttpError);
  });

  it('gives up on a call that never answers, naming the call and the flag', async () => {
    const { url } = await service((request) =>
      request.url === '/fakepsp/usage' ? 'hang' : { status: 200, body: {} },
    );
    const sut = httpBillingSystem(url, { timeoutMs: 200 });
    const usage = { customerId: 'c_1', meter: 'tokens', quantity: 1, eventId: 'u_1', at: setupRequest.now };
    const failure = sut.recordUsage(usage);
    await expect(failure).rejects.toThrow(SutUnreachableError);
    await expect(failure).rejects.toThrow(
      'the billing service did not answer POST /fakepsp/usage (recordUsage) within 0.2 s (--sut-timeout)',
    );
  });

  it('says in words that nothing listens, instead of "fetch failed"', async () => {
    const port = await freeLoopbackPort();
    await expect(httpBillingSystem(`http://127.0.0.1:${port}`).settle()).rejects.toThrow(
      `no billing service answers at http://127.0.0.1:${port}: connection refused (POST /fakepsp/settle (settle))`,
    );
  });

  it('rejects calls with the reason of its signal once the service is gone', async () => {
    const { url } = await service(() => ({ status: 200, body: {} }));
    const gone = new AbortController();
    const sut = httpBillingSystem(url, { signal: gone.signal });
    gone.abort(new Error('the billing service exited with code 3'));
    await expect(sut.settle()).rejects.toThrow('the billing service exited with code 3');
  });
});
