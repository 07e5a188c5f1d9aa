import type { AddressInfo } from 'node:net';
import express from 'express';
import type Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { lifecycle as multiPspLifecycle } from '../../scenarios/multi-psp/lifecycle.scenario.ts';
import { serveReference } from '../../src/reference/main.ts';
import { reconcileRun } from '../../src/scenarios/check.ts';
import { runScenario } from '../../src/scenarios/runner.ts';
import { loopbackEnvironment } from '../../src/transports/scenario-environment.ts';
import type { BillingSystem, Ledger } from '../../src/sut/contract.ts';
import { billingSystemRouter, httpBillingSystem, SutHttpError } from '../../src/sut/http-binding.ts';
import {
  expectBalanced,
  expectMatchesStripe,
  feb1Plus2h,
  jpyCustomer,
  ofKind,
  record42,
  startReference,
  stored,
  usdCustomer,
  type ReferenceRun,
} from './support.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(system: BillingSystem): Promise<string> {
  const app = express();
  app.use(billingSystemRouter(system));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const unused = () => Promise.reject(new Error('not in this test'));
function stub(ledger: () => Promise<Ledger>): BillingSystem {
  return {
    setup: unused,
    createCustomer: unused,
    recordUsage: () => Promise.reject(Object.assign(new Error('meter api_call is unknown'), { status: 422 })),
    topUp: unused,
    refund: unused,
    advanceClock: unused,
    settle: () => Promise.resolve(),
    ledger,
  };
}

describe('the SUT HTTP binding v1', () => {
  it('drives the reference served standalone (main.ts) end to end through httpBillingSystem', async () => {
    const served = await serveReference({ port: 0 });
    const sut = httpBillingSystem(served.url);
    const run: ReferenceRun = await startReference('byo-stripe', {}, sut);
    cleanups.push(served.close, run.close);
    await sut.createCustomer(usdCustomer);
    await sut.createCustomer(jpyCustomer);
    await record42(sut, 'c_usd', '2026-01-10T00:00:00.000Z');
    await record42(sut, 'c_jpy', '2026-01-10T00:00:00.000Z');
    await run.advance(feb1Plus2h);
    const [charge] = stored<Stripe.Charge>(run.h, 'charge');
    await sut.refund({ customerId: 'c_usd', ref: charge!.id, amount: 10, requestId: 'r_1' });
    await run.deliverAndSettle();
    const ledger = await sut.ledger();
    expectBalanced(ledger);
    expect(ofKind(ledger, 'invoice').map((t) => t.postings[0]!.amount)).toEqual([1210, 626]);
    expectMatchesStripe(run, ledger);
  });

  it('runs the multi-PSP pattern at Adyen and Razorpay over the binding, reconciled', async () => {
    const served = await serveReference({ port: 0 });
    cleanups.push(served.close);
    // One service, one run at a time: `setup` starts it afresh for each.
    const results = [];
    for (const psp of ['adyen', 'razorpay'] as const) {
      results.push(
        await runScenario(multiPspLifecycle, {
          sut: () => httpBillingSystem(served.url),
          environment: loopbackEnvironment,
          check: reconcileRun,
          psp,
        }),
      );
    }
    expect(results.map((result) => [result.psp, result.status, result.reason, result.findings])).toEqual([
      ['adyen', 'passed', undefined, []],
      ['razorpay', 'passed', undefined, []],
    ]);
  });

  it('answers bad input with 400 {error} naming the field, and the client throws it', async () => {
    const served = await serveReference({ port: 0 });
    cleanups.push(served.close);
    const response = await fetch(`${served.url}/fakepsp/usage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: 'c_1',
        meter: 'api_call',
        quantity: -1,
        eventId: 'e1',
        at: 'yesterday',
      }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: string };
    expect(error).toContain('quantity');
    expect(error).toContain('at');
    const malformed = await fetch(`${served.url}/fakepsp/clock`, { method: 'POST', body: '{"now":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: expect.stringContaining('malformed JSON') });
    const sut = httpBillingSystem(served.url);
    const before = sut.advanceClock({ now: '2026-01-01T00:00:00.000Z' });
    await expect(before).rejects.toThrow(SutHttpError);
    await expect(before).rejects.toMatchObject({ status: 400, sutError: 'setup has not run' });
  });

  it('passes a system’s own error status through, and reports a malformed ledger by transaction and field', async () => {
    const good = { id: 't_1', at: '2026-02-01T00:00:00.000Z', kind: 'payment', customerId: 'c_1', ref: null };
    const postings = [
      { account: 'psp:stripe:cash', amount: 12.5, currency: 'usd' },
      { account: 'customer:c_1:receivable', amount: -12.5, currency: 'USD' },
    ];
    const base = await serve(
      stub(() =>
        Promise.resolve({
          transactions: [
            { ...good, postings: [{ account: 'a', amount: 1, currency: 'usd' }] },
            { ...good, id: 't_2', postings },
          ],
        }),
      ),
    );
    const sut = httpBillingSystem(base);
    await expect(
      sut.recordUsage({ customerId: 'c_1', meter: 'api_call', quantity: 1, eventId: 'e1', at: good.at }),
    ).rejects.toMatchObject({ status: 422, sutError: 'meter api_call is unknown' });
    await expect(sut.settle()).resolves.toBeUndefined();
    const failure = await sut.ledger().then(
      () => 'accepted',
      (error: Error) => error.message,
    );
    expect(failure).toContain('transactions[1] (id t_2).postings[0].amount');
    expect(failure).toContain('transactions[1] (id t_2).postings[1].currency');
  });
});
