// Figure 4 (a child process of its own): webhook deliveries per second from the fake Stripe's
// dispatcher to a local receiver (another process), signed and journaled as in a real run —
// against the same requests sent by a bare sequential `node:http` loop over one kept-open
// connection, the client the dispatcher's sender uses (the dispatcher sends one attempt at a
// time, to keep a deterministic order).
// Usage: node bench/figures/webhooks.ts <receiverUrl> <deliveries>
import { Agent, request } from 'node:http';
import { benchConfig } from '../lib/config.ts';
import { printResult } from '../lib/proc.ts';
import type { WebhookSender } from '../../src/fakes/common/webhook-dispatcher.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { httpWebhookSender } from '../../src/transports/webhook-sender.ts';

const [receiverUrl = '', deliveriesText = String(benchConfig.webhookDeliveries)] = process.argv.slice(2);
const deliveries = Number(deliveriesText);
let lastSent: Parameters<WebhookSender>[0] | undefined;
const recording: WebhookSender = (request) => {
  lastSent = request;
  return httpWebhookSender(request);
};
const stripe = createStripeFake(createSimulation({ seed: 42 }), { send: recording });
const headers = {
  authorization: 'Bearer sk_test_fakepsp',
  'content-type': 'application/x-www-form-urlencoded',
};
const call = (path: string, body: string) =>
  stripe.core.handleNow({ method: 'POST', path, query: '', headers, rawBody: body });
call(
  '/v1/webhook_endpoints',
  new URLSearchParams({ url: `${receiverUrl}/webhooks/stripe`, 'enabled_events[]': '*' }).toString(),
);

/** Creates customers (one `customer.created` event each), then times the flush that delivers them. */
async function deliveriesPerSecond(count: number): Promise<number> {
  for (let n = 0; n < count; n++) call('/v1/customers', `email=c${n}%40example.com&name=Customer%20${n}`);
  const started = performance.now();
  const sent = await stripe.flushWebhooks();
  if (sent !== count) throw new Error(`expected ${count} deliveries, the dispatcher sent ${sent}`);
  return (sent * 1000) / (performance.now() - started);
}

const bareAgent = new Agent({ keepAlive: true });

/** One POST of `body` with `headers`, its answer read to the end. */
function barePost(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const sized = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    request(url, { method: 'POST', headers: sized, agent: bareAgent }, (response) => {
      response.resume();
      response.on('end', resolve);
    })
      .on('error', reject)
      .end(body);
  });
}

async function bareFetchesPerSecond(count: number): Promise<number> {
  const sent = lastSent!;
  const started = performance.now();
  for (let n = 0; n < count; n++) await barePost(sent.url, sent.headers, sent.body);
  return (count * 1000) / (performance.now() - started);
}

await deliveriesPerSecond(Math.min(500, deliveries));
await bareFetchesPerSecond(Math.min(500, deliveries));
// Interleaved halves, so a drift in the machine's load weighs on both alike.
const half = Math.ceil(deliveries / 2);
const rates = { fake: [] as number[], baseline: [] as number[] };
for (let round = 0; round < 2; round++) {
  rates.baseline.push(await bareFetchesPerSecond(half));
  rates.fake.push(await deliveriesPerSecond(half));
}
const harmonic = (values: number[]) => values.length / values.reduce((sum, value) => sum + 1 / value, 0);
printResult({
  fake: harmonic(rates.fake),
  baseline: harmonic(rates.baseline),
  bodyBytes: Buffer.byteLength(lastSent!.body),
});
