// Flat as the store grows (issue 18): drives each fake's core in-process through whole journeys a
// billing service makes and prints the CPU per journey in successive windows. A lookup that scans
// every stored object shows as a row that climbs as the store fills; a flat row costs the same at
// the last window as at the first. Figure 9 of `npm run bench` runs this with `--result`.
// Usage: npx node bench/flows.ts [words of journey names ...] [--journeys N] [--windows W] [--result]
import { journeys } from './figures/journeys.ts';
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
/** Each journey's CPU per run, in µs, in each window of `perWindow` runs (a fresh fake per journey). */
export function measureJourneys(
  names: readonly string[],
  perWindow: number,
  windows: number,
): Array<{ readonly name: string; readonly microseconds: readonly number[] }> {
  return names.map((name) => {
    // A throwaway fake first: the code is compiled and warm before the measured fake's first window.
    const warmUp = journeys[name]!();
    for (let each = 0; each < Math.min(200, perWindow); each++) warmUp(each);
    const journey = journeys[name]!();
    let n = 0;
    const microseconds = Array.from({ length: windows }, () => {
      const start = process.cpuUsage();
      for (let each = 0; each < perWindow; each++) journey(n++);
      const used = process.cpuUsage(start);
      return (used.user + used.system) / perWindow;
    });
    return { name, microseconds };
  });
}

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
