// Figure 1: HTTP req/s of each fake ÷ a bare server measured in the same run, both through the
// transport `fakepsp serve` uses and with the core on the bench's bare node:http adapter.
import { benchConfig } from '../lib/config.ts';
import { load, warmUp, type LoadResult, type Target } from '../lib/load.ts';
import { serveNodeFlags } from '../../src/cli/node-flags.ts';
import { startChild, type RunningChild } from '../lib/proc.ts';
import { startServe, type Urls } from '../lib/serve.ts';
import { formatRate, markdownTable, type Row } from '../lib/report.ts';
import type { PspName } from '../../src/fakes/common/psp-core.ts';

export const stripeHeaders = {
  authorization: 'Bearer sk_test_fakepsp',
  'content-type': 'application/x-www-form-urlencoded',
};
export const adyenPayment = JSON.stringify({
  amount: { value: 1000, currency: 'EUR' },
  merchantAccount: 'FakepspECOM',
  reference: 'order-1',
  returnUrl: 'https://shop.example/return',
  paymentMethod: {
    type: 'scheme',
    encryptedCardNumber: 'test_4111111111111111',
    encryptedExpiryMonth: 'test_03',
    encryptedExpiryYear: 'test_2030',
    encryptedSecurityCode: 'test_737',
    holderName: 'John Smith',
  },
});
export const razorpayAuth = `Basic ${Buffer.from('rzp_test_fakepsp:fakepsp_test_secret').toString('base64')}`;

export const razorpayOrder = JSON.stringify({ amount: 50_000, currency: 'INR', receipt: 'rcpt-1' });

export const paymentIntentBody =
  'amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true&payment_method_types[]=card';

export const customerBody = 'email=jenny.rosen%40example.com&name=Jenny%20Rosen&description=bench';

/** `POST /v1/customers` on a fake Stripe. */
export function createCustomer(base: string, headers: Record<string, string> = {}): Target {
  return {
    url: `${base}/v1/customers`,
    method: 'POST',
    headers: { ...stripeHeaders, ...headers },
    body: customerBody,
  };
}

/** `POST /v1/payment_intents` with `confirm=true` and `pm_card_visa` on a fake Stripe. */
export function confirmPaymentIntent(base: string): Target {
  return {
    url: `${base}/v1/payment_intents`,
    method: 'POST',
    headers: stripeHeaders,
    body: paymentIntentBody,
  };
}

/** `POST /v72/payments` (a Visa test card) on a fake Adyen. */
export function adyenPaymentTarget(base: string): Target {
  const headers = { 'x-api-key': 'AQE_fakepsp_test_key', 'content-type': 'application/json' };
  return { url: `${base}/v72/payments`, method: 'POST', headers, body: adyenPayment };
}

/** `POST /v1/orders` on a fake Razorpay. */
export function razorpayOrderTarget(base: string): Target {
  const headers = { authorization: razorpayAuth, 'content-type': 'application/json' };
  return { url: `${base}/v1/orders`, method: 'POST', headers, body: razorpayOrder };
}

/** One measured target: which PSP serves it, how to reach it, and any setup it needs. */
interface Case {
  readonly name: string;
  readonly psp: PspName;
  readonly https: boolean;
  readonly target: (base: string) => Promise<Target>;
  /** The acceptance thresholds: through `serve`, and for the core on node:http. */
  readonly serveAtLeast?: number;
  readonly coreAtLeast?: number;
}

const cases: readonly Case[] = [
  {
    name: 'Stripe POST /v1/customers',
    psp: 'stripe',
    https: false,
    target: async (base) => createCustomer(base),
    serveAtLeast: 0.4,
    coreAtLeast: 0.6,
  },
  {
    name: 'Stripe POST /v1/payment_intents confirm=true',
    psp: 'stripe',
    https: false,
    target: async (base) => confirmPaymentIntent(base),
    serveAtLeast: 0.3,
    coreAtLeast: 0.4,
  },
  {
    name: 'Stripe GET /v1/customers/:id',
    psp: 'stripe',
    https: false,
    target: async (base) => {
      const created = await fetch(`${base}/v1/customers`, {
        method: 'POST',
        headers: stripeHeaders,
        body: customerBody,
      });
      const { id } = (await created.json()) as { id: string };
      return { url: `${base}/v1/customers/${id}`, method: 'GET', headers: stripeHeaders };
    },
  },
  {
    name: 'Adyen POST /v72/payments (HTTPS)',
    psp: 'adyen',
    https: true,
    target: async (base) => adyenPaymentTarget(base),
    serveAtLeast: 0.4,
  },
  {
    name: 'Razorpay POST /v1/orders',
    psp: 'razorpay',
    https: false,
    target: async (base) => razorpayOrderTarget(base),
    serveAtLeast: 0.4,
  },
];

/** A measurement with what the server process spent on it, per request. */
export interface Measured extends LoadResult {
  /** CPU time of the server process per request (less sensitive to a shared machine than req/s). */
  readonly cpuUsPerRequest: number;
  /** Time the server was runnable but waited for a CPU, per request: the machine's contention. */
  readonly waitUsPerRequest: number;
}

/** A warmed-up measurement of one target served by `server`. */
export async function measure(target: Target, server: RunningChild<unknown>): Promise<Measured> {
  await warmUp(target);
  const before = server.schedstat();
  const result = await load(target);
  const after = server.schedstat();
  const perRequest = (ns: number) => ns / 1000 / Math.max(1, result.requests);
  return {
    ...result,
    cpuUsPerRequest: perRequest(after.cpuNs - before.cpuNs),
    waitUsPerRequest: perRequest(after.waitNs - before.waitNs),
  };
}

/** One line of the CPU detail table: a target's and its baseline's cost per request. */
export interface CpuDetail {
  readonly name: string;
  readonly target: Measured;
  readonly baseline: readonly Measured[];
}

/** Starts the bare baseline servers (HTTP and HTTPS) for a whole bench run. */
export async function startBaselines(): Promise<{
  http: RunningChild<{ url: string }>;
  https: RunningChild<{ url: string }>;
}> {
  const [http, https] = await Promise.all([
    startChild<{ url: string }>('bench/servers/bare.ts', ['http']),
    startChild<{ url: string }>('bench/servers/bare.ts', ['https', benchConfig.tlsDir]),
  ]);
  return { http, https };
}

/** The baseline target matching a case: same method, headers and body, to the bare server. */
export function baselineTarget(target: Target, bareUrl: string): Target {
  const url = new URL(target.url);
  return { ...target, url: `${bareUrl}${url.pathname}${url.search}` };
}

function suspect(result: LoadResult): string {
  return result.errors + result.non2xx === 0 ? '' : ` (${result.non2xx} non-2xx, ${result.errors} errors)`;
}

function threshold(atLeast: number | undefined, ratio: number): Pick<Row, 'threshold' | 'pass'> {
  return atLeast === undefined ? {} : { threshold: `≥ ${atLeast.toFixed(2)}×`, pass: ratio >= atLeast };
}

/** The fake's rows for one case: each transport in a fresh process, against the same baseline. */
async function caseRows(
  spec: Case,
  bare: RunningChild<{ url: string }>,
  details: CpuDetail[],
): Promise<Row[]> {
  const transports = [
    { label: 'serve', start: () => startServe(), atLeast: spec.serveAtLeast },
    {
      label: 'core on node:http',
      start: () =>
        // Under the V8 flags `fakepsp serve` runs with, as it spills and bounds its journal as serve does.
        startChild<{ urls: Urls }>(
          'bench/servers/fake.ts',
          ['core', spec.psp, benchConfig.tlsDir],
          serveNodeFlags,
        ),
      atLeast: spec.coreAtLeast,
    },
  ];
  // Both started at once (an idle server costs nothing), each measured on a fresh store and
  // stopped once measured: on this VM, while a spilling server still held its file's pages, the
  // next server's writes cost more (a PI confirm on the core 150 µs of CPU against 120).
  const servers = await Promise.all(transports.map((transport) => transport.start()));
  const measured: Array<{ label: string; atLeast: number | undefined; result: Measured }> = [];
  let bareTarget: Target | undefined;
  const baselines: Measured[] = [];
  try {
    for (const [index, transport] of transports.entries()) {
      const target = await spec.target(servers[index]!.ready.urls[spec.psp]!);
      if (bareTarget === undefined) {
        bareTarget = baselineTarget(target, bare.ready.url);
        baselines.push(await measure(bareTarget, bare));
      }
      measured.push({ ...transport, result: await measure(target, servers[index]!) });
      await servers[index]!.stop();
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
  // Measured again after the targets: the mean evens out a drift in the machine's load.
  baselines.push(await measure(bareTarget!, bare));
  const [before, after] = baselines.map((result) => result.requestsPerSecond) as [number, number];
  const baseline = (before + after) / 2;
  const spread = Math.abs(before - after) / 2 / baseline;
  const protocol = spec.https ? 'https' : 'http';
  return measured.map(({ label, atLeast, result }) => {
    const ratio = result.requestsPerSecond / baseline;
    const name = `${spec.name} · ${label}`;
    details.push({ name, target: result, baseline: baselines });
    return {
      figure: 1,
      name,
      value: `${formatRate(result.requestsPerSecond)}${suspect(result)}`,
      baseline: `bare ${protocol} ${formatRate(baseline)} ±${(spread * 100).toFixed(0)}%`,
      ratio: { kind: 'throughput', value: ratio },
      ...threshold(atLeast, ratio),
    };
  });
}

/** Figure 1: every case through `serve` and on the bare adapter, each against its baseline. */
export async function httpFigures(
  baselines: Awaited<ReturnType<typeof startBaselines>>,
  details: CpuDetail[],
  progress: (line: string) => void = () => undefined,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const spec of cases) {
    progress(spec.name);
    rows.push(...(await caseRows(spec, spec.https ? baselines.https : baselines.http, details)));
  }
  progress('calibration');
  rows.push(...(await calibrationRows(baselines.http, details)));
  return rows;
}

/** Work per request of the calibration servers: about what the ratios 0.6×, 0.4× and 0.3× allow. */
const calibrationMicroseconds = [15, 25, 40] as const;

/**
 * The bare server again, spinning the CPU for a fixed time before each answer: the ratio a
 * server doing that much work per request can reach on this machine, so a target's ratio reads
 * as a budget of microseconds.
 */
async function calibrationRows(bare: RunningChild<{ url: string }>, details: CpuDetail[]): Promise<Row[]> {
  const rows: Row[] = [];
  const request = createCustomer(bare.ready.url);
  for (const micros of calibrationMicroseconds) {
    const busy = await startChild<{ url: string }>('bench/servers/bare.ts', [
      'http',
      benchConfig.tlsDir,
      String(micros),
    ]);
    try {
      const baseline = await measure(request, bare);
      const result = await measure(baselineTarget(request, busy.ready.url), busy);
      const name = `calibration: bare http spinning ${micros} µs of CPU a request`;
      details.push({ name, target: result, baseline: [baseline] });
      rows.push({
        figure: 1,
        name,
        value: `${formatRate(result.requestsPerSecond)}${suspect(result)}`,
        baseline: `bare http ${formatRate(baseline.requestsPerSecond)}`,
        ratio: { kind: 'throughput', value: result.requestsPerSecond / baseline.requestsPerSecond },
      });
    } finally {
      await busy.stop();
    }
  }
  return rows;
}

/** The server-side cost of every figure-1 target, for BENCHMARKS.md. */
export function cpuMarkdown(details: readonly CpuDetail[]): string {
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return markdownTable(
    [
      'target',
      'server CPU µs/req',
      'bare CPU µs/req',
      'CPU ratio (bare ÷ target)',
      'runqueue wait µs/req (target / bare)',
    ],
    details.map(({ name, target, baseline }) => {
      const bareCpu = mean(baseline.map((result) => result.cpuUsPerRequest));
      const bareWait = mean(baseline.map((result) => result.waitUsPerRequest));
      return [
        name,
        target.cpuUsPerRequest.toFixed(0),
        bareCpu.toFixed(0),
        `${(bareCpu / target.cpuUsPerRequest).toFixed(2)}×`,
        `${target.waitUsPerRequest.toFixed(0)} / ${bareWait.toFixed(0)}`,
      ];
    }),
  );
}
