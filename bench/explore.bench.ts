// Benchmark (not a test): explored sequences per minute, in-process against the reference
// service and over HTTP against the example service started with --sut-cmd, and time to first
// finding for every seeded bug of the reference.
// Run: npx node bench/explore.bench.ts   (FAKEPSP_BENCH_SECONDS=20, FAKEPSP_BENCH_SEEDS=1,2,3)
import { join } from 'node:path';
import { runExplore, type ExploreCommandOptions } from '../src/cli/explore.ts';
import { mutantNames } from '../src/reference/index.ts';
import { mutantTargets } from '../tests/explore/mutant-targets.ts';

const root = join(import.meta.dirname, '..');
const seconds = Number(process.env.FAKEPSP_BENCH_SECONDS ?? 20);
const seeds = (process.env.FAKEPSP_BENCH_SEEDS ?? '1').split(',').map(Number);
const out = join('.fakepsp', 'bench', 'explore');
const node = JSON.stringify(process.execPath);
const example = `${node} examples/express-billing-service/server.js`;

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, at) => (at === 0 ? cell.padEnd(widths[at]!) : cell.padStart(widths[at]!)))
    .join(' | ');
}

async function throughput(label: string, options: ExploreCommandOptions): Promise<string[]> {
  const outcome = await runExplore({ seed: 2026, time: `${seconds}s`, out, quiet: true, ...options }, root);
  const { runs, commands, elapsedMs, finding } = outcome.report;
  const perMinute = (count: number) => ((count / elapsedMs) * 60_000).toFixed(0);
  return [
    label,
    String(runs),
    (elapsedMs / 1000).toFixed(1),
    perMinute(runs),
    perMinute(commands),
    finding ? 'yes' : 'no',
  ];
}

const widths = [46, 9, 7, 13, 12, 8];
console.log(row(['target', 'sequences', 's', 'sequences/min', 'commands/min', 'finding'], widths));
console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
const inProcess: Array<[string, string]> = [
  ['byo-stripe', 'stripe'],
  ['managed-stripe', 'stripe'],
  ['embedded-stripe', 'stripe'],
  ['hybrid', 'stripe'],
  ['hybrid', 'razorpay'],
  ['multi-psp', 'stripe'],
  ['multi-psp', 'adyen'],
  ['multi-psp', 'razorpay'],
];
for (const [pattern, psp] of inProcess) {
  console.log(row(await throughput(`reference in-process ${pattern} · ${psp}`, { pattern, psp }), widths));
}
for (const [label, reuse] of [
  ['example over HTTP, --sut-cmd (fresh process)', false],
  ['example over HTTP, --sut-cmd --sut-reuse', true],
] as const) {
  const options = { pattern: 'byo-stripe', psp: 'stripe', sutCmd: example, sutReuse: reuse };
  console.log(row(await throughput(label, options), widths));
}

console.log('\ntime to first finding per seeded bug (no shrinking; 120 s budget)\n');
const mutantWidths = [34, 24, ...seeds.map(() => 18)];
console.log(row(['mutant', 'pattern · psp', ...seeds.map((seed) => `seed ${seed}`)], mutantWidths));
console.log(mutantWidths.map((width) => '-'.repeat(width)).join('-|-'));
for (const mutant of mutantNames) {
  const target = mutantTargets[mutant];
  const cells: string[] = [];
  for (const seed of seeds) {
    const outcome = await runExplore(
      {
        ...(target.sut === undefined ? { mutant } : { sut: target.sut }),
        pattern: target.pattern,
        psp: target.psp,
        seed,
        time: '120s',
        shrinkRuns: 0,
        out,
        quiet: true,
      },
      root,
    );
    const finding = outcome.report.finding;
    cells.push(
      finding === undefined
        ? `none in ${outcome.report.runs}`
        : `${(finding.foundAfterMs / 1000).toFixed(1)} s (#${finding.index + 1})`,
    );
  }
  console.log(row([mutant, `${target.pattern} · ${target.psp}`, ...cells], mutantWidths));
}
