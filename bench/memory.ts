// Where a long run's memory goes: drives the fake Stripe core in-process (no transport) with
// requests as stripe-node sends them, then frees one component at a time and measures the heap and
// buffers after a full GC. What remains after the store is cleared is held by maps no API can clear
// (issued ids, stripe-node key aliases).
// Usage: npx node bench/memory.ts [customers|pi|meter] [requests]
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createStripeFake } from '../src/fakes/stripe/index.ts';
import { createSimulation } from '../src/sim/simulation.ts';
import { markdownTable } from './lib/report.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapBytes = () => {
  gc();
  gc();
  // Buffers count too: the journal keeps its lines as bytes off the JS heap, as do meter columns.
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

const load = process.argv[2] ?? 'customers';
const requests = Number(process.argv[3] ?? 20_000);
const sim = createSimulation({ seed: 42 });
const stripe = createStripeFake(sim);
const form = { authorization: 'Bearer sk_test_fakepsp', 'content-type': 'application/x-www-form-urlencoded' };
const post = (path: string, rawBody: string, headers: Record<string, string> = form) => {
  const result = stripe.core.handleNow({ method: 'POST', path, query: '', headers, rawBody });
  if (result.response.status !== 200) throw new Error(`${path}: ${result.response.body}`);
  return JSON.parse(result.response.body) as Record<string, string>;
};
const key = () => ({ ...form, 'idempotency-key': `stripe-node-retry-${randomUUID()}` });

let send: () => void;
if (load === 'meter') {
  post(
    '/v1/billing/meters',
    'display_name=Tokens&event_name=tokens&default_aggregation[formula]=sum' +
      '&customer_mapping[event_payload_key]=stripe_customer_id&customer_mapping[type]=by_id' +
      '&value_settings[event_payload_key]=value',
  );
  const customer = post('/v1/customers', 'name=Jenny').id!;
  const json = { authorization: 'Bearer sk_test_fakepsp', 'content-type': 'application/json' };
  const token = post('/v2/billing/meter_event_session', '{}', json).authentication_token!;
  let next = 0;
  send = () => {
    const events = Array.from({ length: 100 }, () => ({
      event_name: 'tokens',
      identifier: `ev_${next++}`,
      payload: { stripe_customer_id: customer, value: '3' },
    }));
    post('/v2/billing/meter_event_stream', JSON.stringify({ events }), {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    });
  };
} else if (load === 'pi') {
  send = () =>
    post('/v1/payment_intents', 'amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true', key());
} else {
  send = () => post('/v1/customers', 'email=jenny.rosen%40example.com&name=Jenny%20Rosen', key());
}

send();
const empty = heapBytes();
for (let n = 0; n < requests; n++) send();
const full = heapBytes();
const journalLines = sim.journal.size;
sim.journal.clear();
const withoutJournal = heapBytes();
stripe.core.idempotency.clear();
const withoutIdempotency = heapBytes();
stripe.runtime.store.clear();
stripe.runtime.meterEvents.clear();
const withoutStore = heapBytes();

const perRequest = (bytes: number) => `${(bytes / requests).toFixed(0)} B`;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rows: Array<[string, number]> = [
  [`journal (${journalLines} records, canonical lines in UTF-8 buffers)`, full - withoutJournal],
  ['idempotency store (saved responses, 10,000 keys at most)', withoutJournal - withoutIdempotency],
  ['Stripe store (objects, events, index, meter event columns)', withoutIdempotency - withoutStore],
  ['the rest (issued-id set, stripe-node key aliases, …)', withoutStore - empty],
  ['total', full - empty],
];
const keys = load === 'meter' ? '100 events a request' : 'stripe-node idempotency keys';
console.log(`## Memory retained (heap and buffers) by ${requests} ${load} requests (in-process, ${keys})\n`);
console.log(
  markdownTable(
    ['held by', 'memory', 'per request'],
    rows.map(([what, bytes]) => [what, megabytes(bytes), perRequest(bytes)]),
  ),
);
