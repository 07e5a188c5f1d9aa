// Figures 3, 4, 6, 7, 8 and 9: each runs in a child process of its own and becomes its rows.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchConfig } from '../lib/config.ts';
import { repoRoot, runChild, timeCli } from '../lib/proc.ts';
import { formatRate, type Row } from '../lib/report.ts';

/** Figure 3: the stripe SDK through msw, in-process, ÷ the same SDK against a fixed msw answer. */
export async function mswFigure(): Promise<Row> {
  const { result } = await runChild<{ fake: number; baseline: number }>('bench/figures/msw.ts');
  return {
    figure: 3,
    name: 'msw in-process, stripe SDK customers.create, 10 in flight',
    value: formatRate(result.fake, 'calls/s'),
    baseline: `fixed msw answer ${formatRate(result.baseline, 'calls/s')}`,
    ratio: { kind: 'throughput', value: result.fake / result.baseline },
  };
}

/** Figure 4: the dispatcher's deliveries to a local receiver ÷ a bare sequential node:http loop. */
export async function webhookFigure(receiverUrl: string): Promise<Row> {
  const deliveries = benchConfig.webhookDeliveries;
  const { result } = await runChild<{ fake: number; baseline: number; bodyBytes: number }>(
    'bench/figures/webhooks.ts',
    [receiverUrl, String(deliveries)],
  );
  return {
    figure: 4,
    name: `Stripe webhook deliveries to a local receiver (${deliveries}, ${result.bodyBytes} B each)`,
    value: formatRate(result.fake, 'deliveries/s'),
    baseline: `bare node:http loop ${formatRate(result.baseline, 'posts/s')}`,
    ratio: { kind: 'throughput', value: result.fake / result.baseline },
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Figure 6: the shipped library against the reference service (what `npm start` runs). */
export async function libraryFigure(calMs: number): Promise<Row> {
  // A quick run takes one pattern's folder: the whole library alone takes longer than a minute.
  const args = benchConfig.quick ? ['run', 'scenarios/byo-stripe'] : ['run'];
  const run = await timeCli(args);
  const summary = /^(\d+) passed, (\d+) failed, (\d+) errored/m.exec(run.output);
  const counts = summary === null ? `exit ${run.code}` : `${summary[1]} passed, ${summary[2]} failed`;
  return {
    figure: 6,
    name: `shipped library, fakepsp ${args.join(' ')} (npm start)`,
    value: `${seconds(run.wallMs)} (${counts})`,
    baseline: `1 cal = ${calMs.toFixed(0)} ms`,
    ratio: { kind: 'calibration', value: run.wallMs / calMs },
    threshold: '≤ 30 s',
    ...(benchConfig.quick ? {} : { pass: run.wallMs <= 30_000 && run.code === 0 }),
  };
}

/** Figure 7: the existing reconcile benchmark's dump → verdict time. */
export async function reconcileFigure(calMs: number): Promise<Row> {
  const { result } = await runChild<{ ms: number; transactions: number; movements: number }>(
    'bench/reconcile.bench.ts',
  );
  return {
    figure: 7,
    name: `reconcile 100k PSP objects vs ${Math.round(result.transactions / 1000)}k ledger transactions`,
    value: `${result.ms.toFixed(0)} ms`,
    baseline: `1 cal = ${calMs.toFixed(0)} ms`,
    ratio: { kind: 'calibration', value: result.ms / calMs },
    threshold: '< 2 s',
    pass: result.ms < 2_000,
  };
}

/** Figure 8: explored sequences per minute, once `fakepsp explore` exists. */
export async function exploreFigure(calMs: number): Promise<Row> {
  const name = 'explored sequences per minute (byo-stripe · stripe, reference in-process)';
  const slot = { figure: 8, name, baseline: `1 cal = ${calMs.toFixed(0)} ms` };
  if (!existsSync(join(repoRoot, 'src', 'explore'))) {
    return { ...slot, value: 'not measured: fakepsp explore not present' };
  }
  try {
    const { result } = await runChild<{ runs: number; elapsedMs: number; perMinute: number }>(
      'bench/figures/explore.ts',
      [String(benchConfig.exploreSeconds)],
    );
    return {
      ...slot,
      value: `${result.perMinute.toFixed(0)} sequences/min (${result.runs} in ${seconds(result.elapsedMs)})`,
      // Sequences per cal: how many sequences the calibration workload's time buys.
      ratio: { kind: 'perCalibration', value: (result.runs / result.elapsedMs) * calMs },
    };
  } catch (error) {
    return { ...slot, value: `not measured: ${(error as Error).message.split('\n')[0]}` };
  }
}

/**
 * Figure 9: flat as the store grows. Whole journeys (pay then refund, subscribe then cancel, …)
 * through each fake in-process: the CPU per journey in the last window ÷ in the first. Not one of
 * the thresholds; a lookup that scans the store shows here as a cost that climbs.
 */
export async function journeysFigure(): Promise<Row[]> {
  const { perWindowJourneys: perWindow, journeyWindows: windows } = benchConfig;
  const { result } = await runChild<{
    journeys: Array<{ readonly name: string; readonly microseconds: readonly number[] }>;
  }>('bench/flows.ts', ['--result', '--journeys', String(perWindow), '--windows', String(windows)]);
  return result.journeys.map(({ name, microseconds }) => {
    const first = microseconds[0]!;
    const last = microseconds.at(-1)!;
    return {
      figure: 9,
      name: `${name} · CPU per journey, journeys ${(perWindow * (windows - 1)).toLocaleString('en')}–${(perWindow * windows).toLocaleString('en')}`,
      value: `${last.toFixed(0)} µs`,
      baseline: `journeys 1–${perWindow.toLocaleString('en')}: ${first.toFixed(0)} µs`,
      ratio: { kind: 'throughput', value: first / last },
    };
  });
}
