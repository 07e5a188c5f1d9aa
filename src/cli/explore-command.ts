import type { Command } from 'commander';
import type { ExploreCommandOptions } from './explore.ts';
import { atLeastOne, integer, seconds } from './options.ts';

/** Registers `fakepsp explore`; its action puts the exit code in `outcome`. */
export function exploreCommandLine(program: Command, outcome: { code: number }): void {
  program
    .command('explore')
    .description('generate runs of actions, PSP events and faults; shrink a failure to a scenario file')
    .option('--sut <url|module>', 'the billing system: an HTTP base URL, a module, or "reference" (default)')
    .option(
      '--sut-cmd <command>',
      'start your service with this shell command ({port} and $PORT give its port)',
    )
    .option('--sut-reuse', 'with --sut-cmd: keep one process per lane instead of a fresh one per run')
    .option(
      '--sut-ready-timeout <seconds>',
      'with --sut-cmd: how long the service gets to answer',
      seconds,
      30,
    )
    .option('--sut-timeout <seconds>', 'how long one call to the service may take', seconds, 30)
    .option('--mutant <name>', 'explore a seeded-bug variant of the reference service')
    .option('--pattern <pattern>', 'the integration pattern to explore')
    .option('--psp <psp>', 'the PSP the customers are at')
    .option('--runs <n>', 'most sequences to generate', atLeastOne)
    .option('--time <duration>', 'wall-clock budget for exploring and shrinking (60s, 5m)', '60s')
    .option(
      '--seed <n>',
      'seed of the generator and of every run (default: from the clock, printed)',
      integer,
    )
    .option('--max-steps <n>', 'most actions in one sequence', atLeastOne)
    .option('--path <path>', 'replay and shrink one fast-check counterexample path (with its --seed)')
    .option(
      '--shrink-runs <n>',
      'most runs shrinking may take (0: write the first failure as found)',
      integer,
    )
    .option('--out <dir>', 'where the scenario file of a finding is written', 'fakepsp-findings')
    .option('--concurrency <n>', 'runs at once (default 16 in-process, the cores with --sut-cmd)', atLeastOne)
    .option('--quiet', 'no progress line')
    .action(async (options: ExploreCommandOptions) => {
      // Loaded on demand: only exploring needs fast-check.
      const { exploreCommand } = await import('./explore.ts');
      outcome.code = await exploreCommand(options, process.cwd());
    });
}
