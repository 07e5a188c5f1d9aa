// Profiles a fake (Stripe unless the load names another) under load with `node --cpu-prof` and prints where the time goes,
// as Markdown: self time by function, file and package, and inclusive time by function.
// Usage: npx node bench/profile.ts [customers|customers-sdk|pi|meter|adyen|razorpay ...] [--seconds N] [--core]
//   --core: the core on the bench's bare node:http adapter instead of `serve`.
// The .cpuprofile files stay in .fakepsp/bench/profiles/ (open them in Chrome DevTools too).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  adyenPaymentTarget,
  confirmPaymentIntent,
  createCustomer,
  razorpayOrderTarget,
} from './figures/http.ts';
import type { PspName } from '../src/fakes/common/psp-core.ts';
import { streamTarget } from './figures/meter-stream.ts';
import { stripeNodeKey } from './figures/soak.ts';
import { benchConfig } from './lib/config.ts';
import { aggregate, type CpuProfile, type Entry, type Suspect } from './lib/cpuprofile.ts';
import { load, warmUp, type Target } from './lib/load.ts';
import { repoRoot, startChild } from './lib/proc.ts';
import { formatRate, markdownTable } from './lib/report.ts';
import type { Urls } from './lib/serve.ts';
import { serveNodeFlags } from '../src/cli/node-flags.ts';
import { loadOrCreateLocalTls } from '../src/transports/local-tls.ts';

interface ProfiledLoad {
  readonly title: string;
  /** The fake it loads (Stripe unless named). */
  readonly psp?: PspName;
  readonly target: (base: string) => Promise<Target>;
}

const loads: Record<string, ProfiledLoad> = {
  customers: { title: 'POST /v1/customers', target: async (base) => createCustomer(base) },
  'customers-sdk': {
    title: 'POST /v1/customers with stripe-node idempotency keys',
    target: async (base) => ({ ...createCustomer(base), freshHeaders: stripeNodeKey }),
  },
  pi: {
    title: 'POST /v1/payment_intents confirm=true pm_card_visa',
    target: async (base) => confirmPaymentIntent(base),
  },
  meter: { title: 'POST /v2/billing/meter_event_stream, 100 events a request', target: streamTarget },
  adyen: {
    title: 'Adyen POST /v72/payments (HTTPS)',
    psp: 'adyen',
    target: async (base) => adyenPaymentTarget(base),
  },
  razorpay: {
    title: 'Razorpay POST /v1/orders',
    psp: 'razorpay',
    target: async (base) => razorpayOrderTarget(base),
  },
};

/** The usual suspects of issue 18, as inclusive time (a frame anywhere on the stack). */
const suspects: readonly Suspect[] = [
  {
    label: 'journal: Journal.append (canonical JSON, JSON.parse copy, sha256)',
    frame: /^append src\/sim\/journal\.ts/,
  },
  { label: 'canonicalJson, every caller', frame: /^canonicalJson src\/sim\/canonical-json\.ts/ },
  { label: 'crypto hash (journal sha256)', frame: /node:internal\/crypto\/hash/ },
  { label: 'response bodies: pretty JSON (stripe render)', frame: /^render src\/fakes\/stripe\/render\.ts/ },
  { label: 'API-version rendering (renderForVersion)', frame: /^renderForVersion / },
  { label: 'expansion (expandPaths)', frame: /^expandPaths / },
  { label: 'qs (form and query decoding)', frame: / qs\// },
  { label: 'zod (parameter validation)', frame: / zod\// },
  { label: 'idempotency store', frame: / src\/fakes\/common\/idempotency\.ts/ },
  { label: 'structuredClone, every caller', frame: /^structuredClone/ },
  { label: 'ids and random strings', frame: / src\/sim\/(ids|random)\.ts/ },
  { label: 'events: storeEvent (event object, pretty body, journal line)', frame: /^storeEvent / },
  { label: 'store writes (StripeStore.put)', frame: /^put src\/fakes\/stripe\/store\.ts/ },
  { label: 'resource handlers (src/fakes/stripe/resources/)', frame: / src\/fakes\/stripe\/resources\// },
  {
    label: 'express, router, body-parser and friends (self)',
    frame: new RegExp(
      ` (${['express', 'router', 'body-parser', 'raw-body', 'finalhandler', 'etag', 'send', 'type-is']
        .concat(['content-type', 'iconv-lite', 'debug', 'mime-types', 'on-finished', 'encodeurl'])
        .join('|')})/`,
    ),
    mode: 'self',
  },
  {
    label: 'node http, net and streams (self)',
    frame: / node:(_http_|net|internal\/streams|events|internal\/process)/,
    mode: 'self',
  },
  {
    label: 'webhook dispatcher flush after every response',
    frame: / src\/fakes\/common\/webhook-dispatcher\.ts/,
  },
  { label: 'garbage collector', frame: /^\(garbage collector\)$/ },
  {
    label: 'socket writes (inflated by runqueue waits on a busy machine)',
    frame: /^(writev|writeUtf8String|writeBuffer)$/,
  },
];

const args = process.argv.slice(2);
const secondsAt = args.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 10;
const core = args.includes('--core');
const chosen = args.filter((arg, index) => !arg.startsWith('--') && index !== secondsAt + 1);
const names = chosen.length === 0 ? ['customers', 'pi'] : chosen;
const unknown = names.filter((name) => loads[name] === undefined);
if (unknown.length > 0)
  throw new Error(`unknown load ${unknown.join(', ')}; choose from ${Object.keys(loads).join(', ')}`);
const directory = join(repoRoot, '.fakepsp', 'bench', 'profiles');
await loadOrCreateLocalTls(benchConfig.tlsDir);

function table(entries: readonly Entry[], what: string, requests: number): string {
  return markdownTable(
    ['#', what, 'ms', 'µs/request', '% of busy'],
    entries.map((entry, index) => [
      String(index + 1),
      `\`${entry.name}\``,
      entry.ms.toFixed(0),
      ((entry.ms * 1000) / requests).toFixed(1),
      `${(entry.share * 100).toFixed(1)}%`,
    ]),
  );
}

for (const name of names) {
  const spec = loads[name]!;
  const mode = core ? 'core' : 'serve';
  const file = `${name}-${mode}.cpuprofile`;
  rmSync(join(directory, file), { force: true });
  const spawnedAt = performance.now();
  const server = await startChild<{ urls: Urls }>(
    'bench/servers/fake.ts',
    core ? ['core', spec.psp ?? 'stripe', benchConfig.tlsDir] : ['serve', benchConfig.tlsDir],
    [
      // The source (so the profile names src/ files), under the V8 flags `fakepsp serve` runs with.
      ...serveNodeFlags,
      '--cpu-prof',
      `--cpu-prof-dir=${directory}`,
      `--cpu-prof-name=${file}`,
      '--cpu-prof-interval=250',
    ],
  );
  const target = await spec.target(server.ready.urls[spec.psp ?? 'stripe']!);
  await warmUp(target);
  const skipMs = performance.now() - spawnedAt;
  const before = server.schedstat();
  const result = await load(target, { seconds });
  const after = server.schedstat();
  await server.stop();
  const perRequest = (ns: number) => (ns / 1000 / result.requests).toFixed(0);
  const profile = JSON.parse(readFileSync(join(directory, file), 'utf8')) as CpuProfile;
  const summary = aggregate(profile, { root: repoRoot, skipMs, top: 15, suspects });
  console.log(`## ${spec.title} · ${core ? 'core on node:http' : 'serve'}\n`);
  console.log(
    `${formatRate(result.requestsPerSecond)} while profiled (${result.non2xx} non-2xx), ${seconds} s; ` +
      `busy ${(summary.busyMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s; ` +
      `${perRequest(after.cpuNs - before.cpuNs)} µs of CPU and ${perRequest(after.waitNs - before.waitNs)} µs ` +
      'of runqueue wait per request (schedstat). ' +
      `Profile: .fakepsp/bench/profiles/${file}\n`,
  );
  const bySuspect = [...summary.suspects].sort((a, b) => b.ms - a.ms);
  console.log(
    `### The usual suspects, inclusive (they overlap)\n\n${table(bySuspect, 'what', result.requests)}\n`,
  );
  console.log(`### Self time by function\n\n${table(summary.selfByFunction, 'function', result.requests)}\n`);
  console.log(
    `### Inclusive time by function\n\n${table(summary.inclusiveByFunction, 'function', result.requests)}\n`,
  );
  console.log(`### Self time by file\n\n${table(summary.selfByFile, 'file', result.requests)}\n`);
  console.log(
    `### Self time by package or folder\n\n${table(summary.selfByPackage, 'package', result.requests)}\n`,
  );
}
