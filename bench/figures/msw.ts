// Figure 3 (a child process of its own): the official stripe SDK creating customers through msw,
// in-process, 10 calls in flight — answered by the fake Stripe, and (the baseline) by an msw
// handler returning one fixed customer. Prints `RESULT {fake, baseline}` in calls per second.
import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import Stripe from 'stripe';
import { benchConfig } from '../lib/config.ts';
import { printResult } from '../lib/proc.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { fakepspHandlers } from '../../src/transports/msw.ts';

const inFlight = 10;
const stripe = new Stripe('sk_test_fakepsp', { maxNetworkRetries: 0, telemetry: false });
const server = setupServer();
server.listen({ onUnhandledFrame: 'error' });

async function callsPerSecond(handlers: HttpHandler[], seconds: number): Promise<number> {
  server.resetHandlers(...handlers);
  let calls = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      await stripe.customers.create({ email: 'jenny.rosen@example.com', name: 'Jenny Rosen' });
      calls++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (calls * 1000) / (performance.now() - started);
}

const fixed: HttpHandler[] = [
  http.post('https://api.stripe.com/v1/customers', () =>
    HttpResponse.json({ id: 'cus_bench', object: 'customer', email: 'jenny.rosen@example.com' }),
  ),
];
const fake = fakepspHandlers({ stripe: createStripeFake(createSimulation({ seed: 42 })).core });
const seconds = benchConfig.mswSeconds;
await callsPerSecond(fixed, benchConfig.warmupSeconds);
const baseline = await callsPerSecond(fixed, seconds);
await callsPerSecond(fake, benchConfig.warmupSeconds);
const measured = await callsPerSecond(fake, seconds);
server.close();
printResult({ fake: measured, baseline });
