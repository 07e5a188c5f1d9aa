// CPU per request of the fake Stripe core alone (in-process, no transport, no sockets): the
// quickest signal while optimising the core. Drives it as stripe-node does (a fresh idempotency
// key on every POST) and prints µs per request after a warm-up.
// Usage: npx node bench/core-cpu.ts [customers|pi|retrieve] [requests] [--no-keys]
//   --no-keys: no idempotency key, as the HTTP figures send their requests.
import { randomUUID } from 'node:crypto';
import { createStripeFake } from '../src/fakes/stripe/index.ts';
import { createSimulation } from '../src/sim/simulation.ts';

const [load = 'customers', requestsArg = '20000'] = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'));
const requests = Number(requestsArg);
const keys = !process.argv.includes('--no-keys');
const stripe = createStripeFake(createSimulation({ seed: 42 }));
const form = { authorization: 'Bearer sk_test_fakepsp', 'content-type': 'application/x-www-form-urlencoded' };
const call = (method: string, path: string, rawBody: string, keyed: boolean) => {
  const headers = keyed && keys ? { ...form, 'idempotency-key': `stripe-node-retry-${randomUUID()}` } : form;
  const result = stripe.core.handleNow({ method, path, query: '', headers, rawBody });
  if (result.response.status !== 200) throw new Error(`${path}: ${result.response.body}`);
  return result.response.body;
};
const customer = JSON.parse(call('POST', '/v1/customers', 'name=Jenny', true)) as { id: string };
const send =
  load === 'pi'
    ? () =>
        call(
          'POST',
          '/v1/payment_intents',
          'amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true',
          true,
        )
    : load === 'retrieve'
      ? () => call('GET', `/v1/customers/${customer.id}`, '', false)
      : () => call('POST', '/v1/customers', 'email=jenny.rosen%40example.com&name=Jenny%20Rosen', true);

const measure = (count: number) => {
  const start = process.cpuUsage();
  for (let n = 0; n < count; n++) send();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
};
measure(Math.min(2_000, requests));
const windows = 4;
const results = Array.from({ length: windows }, () => measure(requests / windows));
console.log(
  `${load}: ${results.map((us) => us.toFixed(0)).join(' / ')} µs of CPU per request (${requests} requests in ${windows} windows)`,
);
