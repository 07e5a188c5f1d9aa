// Figure 2, for the fakes that are not Stripe: a shorter soak of `serve` under Adyen payments and
// Razorpay orders, for their memory. Each kept its store on the heap until it spilled as Stripe's
// does (30 s of Adyen payments grew `serve` from 250 MB to 740 MB). And Stripe's and Adyen's with a
// webhook endpoint that refuses every attempt, as a billing service that is down does: every event
// then waits for its retries (Stripe's grew ~60 MB every 5 s while they waited on the heap, and
// Adyen's queue slowed to a third of its first rate in 20 s).
import { createServer } from 'node:net';
import { benchConfig } from '../lib/config.ts';
import { load, warmUp, type Target } from '../lib/load.ts';
import type { RunningChild } from '../lib/proc.ts';
import { formatMegabytes, formatRate, type Row } from '../lib/report.ts';
import { startServe } from '../lib/serve.ts';
import { adyenPaymentTarget, baselineTarget, createCustomer, razorpayOrderTarget } from './http.ts';
import { windowsOf } from './soak.ts';

type Bare = RunningChild<{ url: string }>;

interface PspSoak {
  readonly psp: 'stripe' | 'adyen' | 'razorpay';
  readonly title: string;
  readonly https: boolean;
  readonly target: (base: string) => Target;
  /** The option that sends this fake's webhooks to an endpoint, when they go to one that refuses them. */
  readonly webhooksRefusedBy?: string;
}

const soaks: readonly PspSoak[] = [
  { psp: 'adyen', title: 'Adyen POST /v72/payments', https: true, target: adyenPaymentTarget },
  { psp: 'razorpay', title: 'Razorpay POST /v1/orders', https: false, target: razorpayOrderTarget },
  {
    psp: 'stripe',
    title: 'Stripe POST /v1/customers, webhooks refused',
    https: false,
    target: (base) => createCustomer(base),
    webhooksRefusedBy: '--stripe-webhook-url',
  },
  {
    psp: 'adyen',
    title: 'Adyen POST /v72/payments, webhooks refused',
    https: true,
    target: adyenPaymentTarget,
    webhooksRefusedBy: '--adyen-webhook-url',
  },
];

/** A loopback URL nothing listens on: a port just given up, so a connection is refused at once. */
async function refusingUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/webhooks`;
}

/** The soaks, each against a fresh `serve` and its bare baseline. */
export async function pspSoakFigure(bare: { readonly http: Bare; readonly https: Bare }): Promise<Row[]> {
  const rows: Row[] = [];
  for (const soak of soaks) {
    const option = soak.webhooksRefusedBy;
    const server = await startServe([], option === undefined ? [] : [option, await refusingUrl()]);
    try {
      const target: Target = soak.target(server.ready.urls[soak.psp]!);
      const baselineServer = soak.https ? bare.https : bare.http;
      const baselineUrl = baselineTarget(target, baselineServer.ready.url);
      await warmUp(baselineUrl);
      const baseline = await load(baselineUrl);
      await warmUp(target);
      rows.push(...rowsOf(soak, await measured(target, server), baseline.requestsPerSecond));
    } finally {
      await server.stop();
    }
  }
  return rows;
}

async function measured(target: Target, server: RunningChild<unknown>) {
  const startRssBytes = server.rss().nowBytes;
  const windows = await windowsOf(target, server, benchConfig.pspSoakSeconds);
  return { startRssBytes, first: windows[0]!, last: windows.at(-1)! };
}

function rowsOf(
  soak: PspSoak,
  { startRssBytes, first, last }: Awaited<ReturnType<typeof measured>>,
  baseline: number,
): Row[] {
  const seconds = benchConfig.pspSoakSeconds;
  const label = `Soak ${seconds} s ${soak.title} · serve`;
  const growth = last.rssBytes - startRssBytes;
  const percentOfFirst = (100 * last.requestsPerSecond) / first.requestsPerSecond;
  // Against Stripe's line for its 60 s soak, over a third of the time: the growth of the first
  // seconds (the heap settling, the journal filling) is most of it. Kept in memory, Adyen
  // payments grew the process ~100 MB every 5 s.
  const judged = seconds >= 20;
  return [
    {
      figure: 2,
      name: `${label} · last 5 s`,
      value: `${formatRate(last.requestsPerSecond)} (${percentOfFirst.toFixed(0)}% of first)`,
      baseline: `bare ${soak.https ? 'https' : 'http'} ${formatRate(baseline)}`,
      ratio: { kind: 'throughput', value: last.requestsPerSecond / baseline },
      threshold: '≥ 90% of first',
      pass: last.requestsPerSecond >= 0.9 * first.requestsPerSecond,
    },
    {
      figure: 2,
      name: `${label} · RSS growth`,
      value: `+${formatMegabytes(growth)} (${formatMegabytes(startRssBytes)} → ${formatMegabytes(last.rssBytes)})`,
      baseline: 'RSS after warm-up',
      threshold: `< 50 MB over ${seconds} s`,
      ...(judged ? { pass: growth < 50 * 1024 * 1024 } : {}),
    },
  ];
}
