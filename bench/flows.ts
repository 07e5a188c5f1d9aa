// Flat as the store grows (issue 18): drives each fake's core in-process through whole journeys a
// billing service makes and prints the CPU per journey in successive windows. A lookup that scans
// every stored object shows as a row that climbs as the store fills; a flat row costs the same at
// the last window as at the first. Figure 9 of `npm run bench` runs this with `--result`.
// Usage: npx node bench/flows.ts [words of journey names ...] [--journeys N] [--windows W] [--result]
import { journeys, measureJourneys } from './figures/journeys.ts';
import { printResult } from './lib/proc.ts';
import { markdownTable } from './lib/report.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

const perWindow = option('--journeys', 4_000);
const windows = option('--windows', 5);
// Journey-name words: every argument but the flags and the numbers that follow them.
const words = process.argv
  .slice(2)
  .filter(
    (arg, at, all) => !arg.startsWith('--') && !['--journeys', '--windows'].includes(all[at - 1] ?? ''),
  );
const names = Object.keys(journeys).filter(
  (name) => words.length === 0 || words.some((word) => name.includes(word)),
);
const measured = measureJourneys(names, perWindow, windows);

if (process.argv.includes('--result')) printResult({ perWindow, windows, journeys: measured });
else {
  const rows = measured.map(({ name, microseconds }) => [
    name,
    ...microseconds.map((us) => `${us.toFixed(0)} µs`),
    `${(microseconds.at(-1)! / microseconds[0]!).toFixed(2)}×`,
  ]);
  const heads = Array.from(
    { length: windows },
    (_, at) => `after ${((at + 1) * perWindow).toLocaleString('en')}`,
  );
  console.log(`## CPU per journey, in-process, by how many came before (${perWindow} a window)\n`);
  console.log(markdownTable(['journey', ...heads, 'last ÷ first'], rows));
}
