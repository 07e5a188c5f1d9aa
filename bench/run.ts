// `npm run bench`: every figure of issue 18 (and figure 9, journeys as the store grows) against a baseline measured in the same run; one
// table on stdout, BENCHMARKS.md at the repository root (BENCH_QUICK=1: a smoke run, written to
// .fakepsp/bench/ so the record is kept). Progress goes to stderr.
// Knobs: BENCH_QUICK=1, BENCH_HTTP_SECONDS, BENCH_SOAK_SECONDS, BENCH_PSP_SOAK_SECONDS, BENCH_METER_EVENTS,
// BENCH_EXPLORE_SECONDS.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cpuMarkdown, httpFigures, startBaselines, type CpuDetail } from './figures/http.ts';
import { meterStreamFigure } from './figures/meter-stream.ts';
import {
  exploreFigure,
  journeysFigure,
  libraryFigure,
  mswFigure,
  reconcileFigure,
  webhookFigure,
} from './figures/runs.ts';
import { pspSoakFigure } from './figures/psp-soak.ts';
import { soakFigure, soakMarkdown, type Soak } from './figures/soak.ts';
import { benchConfig } from './lib/config.ts';
import { renderDocument } from './lib/document.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { repoRoot, runChild } from './lib/proc.ts';
import { renderText, type Row } from './lib/report.ts';
import { buildDist } from './lib/serve.ts';
import { loadOrCreateLocalTls } from '../src/transports/local-tls.ts';

const started = performance.now();
const progress = (line: string) =>
  process.stderr.write(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`,
  );

const selected = (figure: number) => benchConfig.only.length === 0 || benchConfig.only.includes(figure);

/** A figure that throws becomes a row saying so; the rest of the run goes on. */
async function attempt(figure: number, name: string, run: () => Promise<Row | Row[]>): Promise<Row[]> {
  if (!selected(figure)) return [];
  progress(`figure ${figure}: ${name}`);
  try {
    const rows = await run();
    return Array.isArray(rows) ? rows : [rows];
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    progress(`figure ${figure} failed: ${(error as Error).stack ?? message}`);
    return [{ figure, name, value: `error: ${message}`, baseline: '' }];
  }
}

const cpuIntro = `From /proc/<pid>/schedstat of the server process over each measurement. CPU µs per request is
what the server's code costs, whatever else the machine is doing; the runqueue wait is the time the server was
ready to run but had no CPU — large values mean the machine was shared and req/s ratios are less reliable.`;

const machine = describeMachine();
await loadOrCreateLocalTls(benchConfig.tlsDir);
if ([1, 2, 5].some(selected)) {
  progress('build dist/ (figures 1, 2 and 5 run the installed `fakepsp serve`)');
  buildDist();
}
progress('calibration workload');
const calMs = [6, 7, 8].some(selected)
  ? (await runChild<{ ms: number }>('bench/figures/calibrate.ts')).result.ms
  : Number.NaN;
const baselines = await startBaselines();
const rows: Row[] = [];
let soak: Soak | undefined;
const cpuDetails: CpuDetail[] = [];
try {
  rows.push(
    ...(await attempt(1, 'HTTP req/s', () =>
      httpFigures(baselines, cpuDetails, (line) => progress(`  ${line}`)),
    )),
  );
  rows.push(
    ...(await attempt(2, `soak ${benchConfig.soakSeconds} s`, async () => {
      soak = await soakFigure(baselines.http.ready.url);
      return soak.rows;
    })),
    ...(await attempt(2, `Adyen, Razorpay and refused-webhook soaks ${benchConfig.pspSoakSeconds} s`, () =>
      pspSoakFigure(baselines),
    )),
  );
  rows.push(
    ...(await attempt(3, 'msw in-process', mswFigure)),
    ...(await attempt(4, 'webhook deliveries', () => webhookFigure(baselines.http.ready.url))),
    ...(await attempt(5, `${benchConfig.meterEvents} v2 meter events`, () =>
      meterStreamFigure({
        url: baselines.http.ready.url,
        pid: baselines.http.pid,
        peakRss: () => baselines.http.rss().peakBytes,
      }),
    )),
  );
} finally {
  await Promise.all([baselines.http.stop(), baselines.https.stop()]);
}
rows.push(
  ...(await attempt(6, 'shipped library', () => libraryFigure(calMs))),
  ...(await attempt(7, 'reconcile', () => reconcileFigure(calMs))),
  ...(await attempt(8, 'explore', () => exploreFigure(calMs))),
  ...(await attempt(9, 'journeys as the store grows', journeysFigure)),
);

const wallSeconds = (performance.now() - started) / 1000;
console.log(renderText(rows));
const document = renderDocument({
  machine,
  loadAverageAtEnd: loadAverage(),
  quick: benchConfig.quick,
  wallSeconds,
  rows,
  sections: [
    ...(cpuDetails.length === 0
      ? []
      : [
          {
            heading: 'Figure 1 per request: server CPU and contention',
            body: `${cpuIntro}\n\n${cpuMarkdown(cpuDetails)}`,
          },
        ]),
    ...(soak === undefined
      ? []
      : [
          {
            heading: `Figure 2 per ${benchConfig.soakWindowSeconds} s window: POST /v1/customers through serve`,
            body: soakMarkdown(soak),
          },
        ]),
  ],
});
const partial = benchConfig.quick || benchConfig.only.length > 0;
const out = partial
  ? join(repoRoot, '.fakepsp', 'bench', benchConfig.quick ? 'BENCHMARKS.quick.md' : 'BENCHMARKS.partial.md')
  : join(repoRoot, 'BENCHMARKS.md');
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, document);
console.log(
  `\n${rows.length} figures in ${wallSeconds.toFixed(0)} s · written to ${relative(repoRoot, out)}`,
);
