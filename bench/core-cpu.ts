// CPU per request of a fake's core alone (in-process, no transport, no sockets): the quickest
// signal while optimising a core. Sends the HTTP figures' requests; Stripe POSTs carry a fresh
// idempotency key each, as stripe-node sends them. Prints µs per request after a warm-up.
// Usage: npx node bench/core-cpu.ts [customers|pi|retrieve|adyen|razorpay] [requests] [--no-keys]
//   --no-keys: no idempotency key on Stripe POSTs, as the HTTP figures send them.
//   --serve: as `serve` builds the fakes (state unfrozen, the stores spilled, the journal bounded on disk).
import { randomUUID } from 'node:crypto';
import {
  adyenPayment,
  customerBody,
  paymentIntentBody,
  razorpayAuth,
  razorpayOrder,
  stripeHeaders,
} from './figures/http.ts';
import { serveJournalCharactersMax, serveJournalMax } from '../src/cli/serve-limits.ts';
import { serveJournalChunks, serveSpill } from '../src/cli/serve-spill.ts';
import { createAdyenFake } from '../src/fakes/adyen/index.ts';
import type { PspRequest, PspResult } from '../src/fakes/common/psp-core.ts';
import { createRazorpayFake } from '../src/fakes/razorpay/index.ts';
import { createStripeFake } from '../src/fakes/stripe/index.ts';
import { createSimulation } from '../src/sim/simulation.ts';

const [load = 'customers', requestsArg = '20000'] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'));
const requests = Number(requestsArg);
const keys = !process.argv.includes('--no-keys');
const asServe = process.argv.includes('--serve');
const sim = createSimulation(
  asServe
    ? {
        seed: 42,
        journalRecordsMax: serveJournalMax,
        journalCharactersMax: serveJournalCharactersMax,
        journalSealedChunks: serveJournalChunks(undefined),
      }
    : { seed: 42 },
);
const options = asServe ? { freezeState: false, spill: serveSpill({}) } : {};

const post = (path: string, headers: Record<string, string>, rawBody: string): PspRequest => ({
  method: 'POST',
  path,
  query: '',
  headers,
  rawBody,
});
const stripePost = (path: string, rawBody: string): PspRequest =>
  post(
    path,
    keys ? { ...stripeHeaders, 'idempotency-key': `stripe-node-retry-${randomUUID()}` } : stripeHeaders,
    rawBody,
  );

/** Every fake's pipeline answers a request synchronously too (no stall waits in real time). */
type SyncCore = { handleNow(request: PspRequest): PspResult };

/** The core under load and the next request to send it. */
function loadOf(name: string): { readonly core: SyncCore; readonly next: () => PspRequest } {
  if (name === 'adyen') {
    const headers = { 'x-api-key': 'AQE_fakepsp_test_key', 'content-type': 'application/json' };
    return {
      core: createAdyenFake(sim, options).core,
      next: () => post('/v72/payments', headers, adyenPayment),
    };
  }
  if (name === 'razorpay') {
    const headers = { authorization: razorpayAuth, 'content-type': 'application/json' };
    return {
      core: createRazorpayFake(sim, options).core,
      next: () => post('/v1/orders', headers, razorpayOrder),
    };
  }
  const { core } = createStripeFake(sim, options);
  if (name === 'pi') {
    return { core, next: () => stripePost('/v1/payment_intents', paymentIntentBody) };
  }
  if (name === 'retrieve') {
    const created = core.handleNow(stripePost('/v1/customers', customerBody));
    const { id } = JSON.parse(created.response.body) as { id: string };
    return {
      core,
      next: () => ({
        method: 'GET',
        path: `/v1/customers/${id}`,
        query: '',
        headers: stripeHeaders,
        rawBody: '',
      }),
    };
  }
  return { core, next: () => stripePost('/v1/customers', customerBody) };
}

const { core, next } = loadOf(load);
const send = () => {
  const { response } = core.handleNow(next());
  if (response.status !== 200) throw new Error(`${load}: ${response.status} ${response.body}`);
};
// `serve` turns its event loop between answers: the spill files' writes, done in the background,
// land then. A loop that never yields would make them all wait, and then write them at once.
const turn = () => new Promise((resolve) => setImmediate(resolve));
const measure = async (count: number) => {
  const start = process.cpuUsage();
  for (let n = 0; n < count; n++) {
    send();
    if (n % 64 === 63) await turn();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
};
await measure(Math.min(2_000, requests));
const windows = 4;
const results: number[] = [];
for (let window = 0; window < windows; window++) results.push(await measure(requests / windows));
console.log(
  `${load}: ${results.map((us) => us.toFixed(0)).join(' / ')} µs of CPU per request (${requests} requests in ${windows} windows)`,
);
