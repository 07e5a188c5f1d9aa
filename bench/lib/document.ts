// BENCHMARKS.md: the machine, the one table, how to read it, and the soak's windows.
import type { Machine } from './machine.ts';
import { markdownTable, renderMarkdown, type Row } from './report.ts';

export interface Document {
  readonly machine: Machine;
  readonly loadAverageAtEnd: string;
  readonly quick: boolean;
  readonly wallSeconds: number;
  readonly rows: readonly Row[];
  /** Extra sections, `## heading` and body. */
  readonly sections: readonly { readonly heading: string; readonly body: string }[];
}

const reading = `- **×** (figures 1–5): the target's throughput ÷ the baseline's, both measured in this run on this
  machine. HTTP figures: autocannon, 10 keep-alive connections, 1 request per connection at a time,
  in the bench's own process; every server in a process of its own (the machine has 2 cores: one
  for the load generator, one for the server). Each target is warmed up first. The HTTP
  baseline is a bare \`node:http\` server answering one fixed JSON body (\`node:https\` with the
  same local CA for Adyen), sent the same method, headers and body, measured before the
  target's two transports and again after them; the mean is the baseline.
- **serve** is \`fakepsp serve\` as installed: \`bin/fakepsp.js\` over the compiled \`dist/\` (the
  bench builds it first), relaunched with its V8 flags (\`src/cli/node-flags.ts\`), serving all
  three fakes, the admin API and a webhook flush after every response on the \`node:http\`
  adapter \`src/transports/http-app.ts\`; **core on node:http** is the one core alone on the same
  adapter, from the source (\`bench/servers/fake.ts\`).
- **cal** (figures 6–8): wall time ÷ the calibration workload's time (\`bench/figures/calibrate.ts\`,
  JSON, objects, strings and maps in a fresh process; median of 7): a figure that stays put in
  cal got neither slower nor faster relative to the machine.
- The bare baseline is bound by the load generator, not by the bare server (it idles about half
  the time): a ratio of 1.00× means "as fast as autocannon can ask". The per-request CPU table
  below is the steadier measure of the fakes' own cost on a shared machine.
- **calibration** rows (figure 1): the same bare server, spinning the CPU for 15, 25 or 40 µs
  before each answer (nothing allocated, nothing kept), so read a target's ratio as a budget of
  microseconds: the row nearest a threshold says how little work per request that threshold
  leaves. Past the load generator's limit each answer also costs more to send (autocannon waits
  on the server and every write wakes it), which is why the budget is well below
  1 ÷ (ratio × bare rate). The calibration server answers each request as its body ends; the
  fakes' adapter answers the requests of one event-loop turn together
  (\`src/transports/turn-batch.ts\`), which sends the answers close together and costs less a
  request to send, so a fake can beat the row of its own work.
  A core's own work per request, in-process:
  \`npx node bench/core-cpu.ts [customers|pi|retrieve|adyen|razorpay]\`.
- **figure 2** also soaks \`serve\` under Adyen payments and Razorpay orders for a third of the
  time (\`BENCH_PSP_SOAK_SECONDS\`, 20 s), for their memory: their stores spill as Stripe's does.
  Then Stripe customers and Adyen payments again, with a webhook endpoint that refuses every
  attempt (a port nothing listens on): every event waits for its retries, off the heap.
- **figure 9** (journeys as the store grows): whole journeys a billing service makes (pay then
  refund, subscribe then cancel, invoice then pay, …) through each fake in-process, a fresh fake
  per journey; the CPU per journey in the last window against the first, as a rate ratio (1.00×:
  flat; a lookup that scans every stored object shows as a ratio that falls window by window).
  Not one of the issue's thresholds. Every window: \`npx node bench/flows.ts [words] [--journeys N]\`.
- **target / verdict**: the acceptance thresholds of issue 18. \`—\`: not judged (a quick run, or a
  soak shorter than 60 s). stripe-mock (a stateless Go server, not run here) measured 0.27× /
  0.22× on customers / PI confirm with the same instrument (issue 18).
- Diagnosis: \`npx node bench/profile.ts [customers|customers-sdk|pi|meter|adyen|razorpay] [--core]\` (a
  \`--cpu-prof\` of the server under load, summed by function, file and the issue's suspects) and
  \`npx node bench/memory.ts [customers|pi|meter]\` (the heap each part of a fake keeps) and
  \`npx node bench/allocations.ts [customers|pi]\` (the bytes each function allocates per request).`;

const quickRun = 'BENCH_QUICK=1 (smoke run: short windows, scaled-down figures)';

export function renderDocument(document: Document): string {
  const { machine } = document;
  const facts: Array<[string, string]> = [
    ['date', machine.date],
    ['CPU', machine.cpu],
    ['cores', String(machine.cores)],
    ['memory', machine.memory],
    ['Node', machine.node],
    ['OS', machine.os],
    ['commit', machine.commit],
    ['load generator', machine.loadGenerator],
    [
      'load average (1/5/15 min) at start / end',
      `${machine.loadAverageAtStart} — ${document.loadAverageAtEnd}`,
    ],
    ['run', `${document.quick ? quickRun : 'full'}, ${document.wallSeconds.toFixed(0)} s`],
  ];
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`bench/run.ts`); every figure is a ratio to a baseline measured in the same run.',
    'A load average above the core count at start or end means other work shared the machine: read the',
    'ratios, not the raw rates.',
    '',
    '## Machine',
    '',
    markdownTable(['', ''], facts),
    '',
    '## Figures',
    '',
    renderMarkdown(document.rows),
    '',
    '## How to read it',
    '',
    reading,
    ...document.sections.flatMap((section) => ['', `## ${section.heading}`, '', section.body]),
    '',
  ].join('\n');
}
