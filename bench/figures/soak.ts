// Figure 2: a long `serve` under `POST /v1/customers` as stripe-node sends it (a fresh
// `Idempotency-Key: stripe-node-retry-<uuid4>` on every POST): req/s and RSS per 5 s window.
import { randomUUID } from 'node:crypto';
import { benchConfig } from '../lib/config.ts';
import { load, warmUp, type Target } from '../lib/load.ts';
import type { RunningChild } from '../lib/proc.ts';
import { startServe } from '../lib/serve.ts';
import { formatMegabytes, formatRate, markdownTable, type Row } from '../lib/report.ts';
import { baselineTarget, createCustomer } from './http.ts';

export interface SoakWindow {
  readonly endSecond: number;
  readonly requestsPerSecond: number;
  readonly rssBytes: number;
  /** The server's CPU time per request in the window: flat when the fake stays flat, busy machine or not. */
  readonly cpuUsPerRequest: number;
  readonly waitUsPerRequest: number;
}

export interface Soak {
  readonly rows: Row[];
  readonly windows: readonly SoakWindow[];
  readonly baselineRequestsPerSecond: number;
  readonly startRssBytes: number;
}

/** What stripe-node adds to every POST, whatever `maxNetworkRetries` says. */
export const stripeNodeKey = () => ({ 'idempotency-key': `stripe-node-retry-${randomUUID()}` });

/** Load on a server for `seconds`, sampled every window. */
export async function windowsOf(
  target: Target,
  server: RunningChild<unknown>,
  seconds = benchConfig.soakSeconds,
): Promise<SoakWindow[]> {
  const windows: SoakWindow[] = [];
  let answered = 0;
  let counted = 0;
  const started = performance.now();
  let last = started;
  let lastSched = server.schedstat();
  const sample = () => {
    const now = performance.now();
    const sched = server.schedstat();
    const answers = Math.max(1, answered - counted);
    windows.push({
      endSecond: Math.round((now - started) / 1000),
      requestsPerSecond: ((answered - counted) * 1000) / (now - last),
      rssBytes: server.rss().nowBytes,
      cpuUsPerRequest: (sched.cpuNs - lastSched.cpuNs) / 1000 / answers,
      waitUsPerRequest: (sched.waitNs - lastSched.waitNs) / 1000 / answers,
    });
    counted = answered;
    last = now;
    lastSched = sched;
  };
  const timer = setInterval(sample, benchConfig.soakWindowSeconds * 1000);
  await load(target, { seconds, onResponse: () => answered++ });
  clearInterval(timer);
  // A trailing part-window shorter than half a window would be noise: it is dropped.
  if (performance.now() - last > (benchConfig.soakWindowSeconds * 1000) / 2) sample();
  return windows;
}

/** Runs the soak against a fresh `serve`, with the bare server measured just before. */
export async function soakFigure(bareUrl: string): Promise<Soak> {
  const server = await startServe();
  try {
    const target: Target = { ...createCustomer(server.ready.urls.stripe!), freshHeaders: stripeNodeKey };
    const bare = baselineTarget(target, bareUrl);
    await warmUp(bare);
    const baseline = await load(bare);
    await warmUp(target);
    const startRssBytes = server.rss().nowBytes;
    const windows = await windowsOf(target, server);
    const first = windows[0]!;
    const lastWindow = windows.at(-1)!;
    const growth = lastWindow.rssBytes - startRssBytes;
    const percentOfFirst = (100 * lastWindow.requestsPerSecond) / first.requestsPerSecond;
    const lastRss = formatMegabytes(lastWindow.rssBytes);
    const seconds = benchConfig.soakSeconds;
    const label = `Soak ${seconds} s POST /v1/customers (stripe-node keys) · serve`;
    const ratio = (rate: number) => ({
      kind: 'throughput' as const,
      value: rate / baseline.requestsPerSecond,
    });
    const bareText = `bare http ${formatRate(baseline.requestsPerSecond)}`;
    const judged = seconds >= 60;
    const rows: Row[] = [
      {
        figure: 2,
        name: `${label} · first 5 s`,
        value: formatRate(first.requestsPerSecond),
        baseline: bareText,
        ratio: ratio(first.requestsPerSecond),
      },
      {
        figure: 2,
        name: `${label} · last 5 s`,
        value: `${formatRate(lastWindow.requestsPerSecond)} (${percentOfFirst.toFixed(0)}% of first)`,
        baseline: bareText,
        ratio: ratio(lastWindow.requestsPerSecond),
        threshold: '≥ 90% of first',
        pass: lastWindow.requestsPerSecond >= 0.9 * first.requestsPerSecond,
      },
      {
        figure: 2,
        name: `${label} · RSS growth`,
        value: `+${formatMegabytes(growth)} (${formatMegabytes(startRssBytes)} → ${lastRss})`,
        baseline: 'RSS after warm-up',
        threshold: '< 50 MB over 60 s',
        ...(judged ? { pass: growth < 50 * 1024 * 1024 } : {}),
      },
    ];
    return { rows, windows, baselineRequestsPerSecond: baseline.requestsPerSecond, startRssBytes };
  } finally {
    await server.stop();
  }
}

/** The per-window series, for BENCHMARKS.md. */
export function soakMarkdown(soak: Soak): string {
  return markdownTable(
    ['window ends at', 'req/s', '÷ bare', 'serve RSS', 'server CPU µs/req', 'runqueue wait µs/req'],
    soak.windows.map((window) => [
      `${window.endSecond} s`,
      formatRate(window.requestsPerSecond, ''),
      `${(window.requestsPerSecond / soak.baselineRequestsPerSecond).toFixed(2)}×`,
      formatMegabytes(window.rssBytes),
      window.cpuUsPerRequest.toFixed(0),
      window.waitUsPerRequest.toFixed(0),
    ]),
  );
}
