// Bytes the fake Stripe core allocates per request, by the function that allocates them (V8's
// sampling heap profiler, garbage included): where the young generation's churn comes from.
// Usage: npx node bench/allocations.ts [customers|pi] [requests]
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import { createStripeFake } from '../src/fakes/stripe/index.ts';
import { createSimulation } from '../src/sim/simulation.ts';

interface Sample {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly Sample[];
}

const [load = 'pi', requestsArg = '20000'] = process.argv.slice(2);
const requests = Number(requestsArg);
const stripe = createStripeFake(createSimulation({ seed: 42 }));
const form = { authorization: 'Bearer sk_test_fakepsp', 'content-type': 'application/x-www-form-urlencoded' };
const [path, rawBody] =
  load === 'pi'
    ? ['/v1/payment_intents', 'amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true']
    : ['/v1/customers', 'email=jenny.rosen%40example.com&name=Jenny%20Rosen'];
const send = () => stripe.core.handleNow({ method: 'POST', path, query: '', headers: form, rawBody });

for (let n = 0; n < 5_000; n++) send();
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
for (let n = 0; n < requests; n++) send();
const { profile } = await session.post('HeapProfiler.stopSampling');

const root = `${pathToFileURL(process.cwd()).href}/`;
const bytesBySite = new Map<string, number>();
const walk = (sample: Sample): void => {
  const { functionName, url, lineNumber } = sample.callFrame;
  const site = `${functionName || '(anonymous)'} ${url.replace(root, '')}:${lineNumber + 1}`;
  bytesBySite.set(site, (bytesBySite.get(site) ?? 0) + sample.selfSize);
  for (const child of sample.children) walk(child);
};
walk(profile.head as Sample);
const total = [...bytesBySite.values()].reduce((sum, bytes) => sum + bytes, 0);
console.log(`${load}: ${(total / requests).toFixed(0)} B allocated per request (${requests} requests)`);
for (const [site, bytes] of [...bytesBySite].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${(bytes / requests).toFixed(0).padStart(7)} B  ${site}`);
