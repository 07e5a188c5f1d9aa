// Figure 8 (a child process of its own): explored sequences per minute, `fakepsp explore` against
// the in-process reference service (byo-stripe · stripe). The explore command is being built
// beside the bench: it is loaded by a path computed at run time, so the bench typechecks and
// runs without it. Prints `RESULT {runs, elapsedMs, perMinute}`.
// Usage: node bench/figures/explore.ts <seconds>
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printResult, repoRoot } from '../lib/proc.ts';

interface ExploreReport {
  readonly runs: number;
  readonly elapsedMs: number;
}
type RunExplore = (
  options: Record<string, unknown>,
  cwd: string,
) => Promise<{ readonly report: ExploreReport }>;

const seconds = Number(process.argv[2] ?? 20);
const modulePath = join(repoRoot, 'src', 'cli', 'explore.ts');
const { runExplore } = (await import(modulePath)) as { runExplore?: RunExplore };
if (typeof runExplore !== 'function')
  throw new Error('src/cli/explore.ts exports no runExplore(options, cwd)');
const out = mkdtempSync(join(tmpdir(), 'fakepsp-bench-explore-'));
const outcome = await runExplore(
  { pattern: 'byo-stripe', psp: 'stripe', seed: 2026, time: `${seconds}s`, out, quiet: true },
  repoRoot,
);
const { runs, elapsedMs } = outcome.report;
printResult({ runs, elapsedMs, perMinute: (runs / elapsedMs) * 60_000 });
