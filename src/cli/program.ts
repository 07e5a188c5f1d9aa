import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import pc from 'picocolors';
import { exploreCommandLine } from './explore-command.ts';
import { atLeastOne, integer, port, reporters, seconds, shard } from './options.ts';
import type { RunCommandOptions } from './run.ts';
import type { ServeOptions } from './serve.ts';
import { serveJournalMax } from './serve-limits.ts';
import { serveSpillAfter } from './serve-spill.ts';
import { UsageError, usageExitCode } from './usage-error.ts';

// Each command loads its own modules when it runs: `fakepsp serve` does not load the scenario
// runner, the reference service and faker (~100 MB and a second of start-up).

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  readonly version: string;
};

/** The exit code an action asks for; a command that only starts servers leaves it at 0. */
interface Outcome {
  code: number;
}

/** Builds the `fakepsp` command line; actions put their exit code in `outcome`. */
export function buildProgram(outcome: Outcome = { code: 0 }): Command {
  const program = new Command('fakepsp')
    .description('Stateful, deterministic fake PSPs (Stripe, Adyen, Razorpay) for billing-system tests.')
    .version(packageJson.version, '-V, --version', 'print the version of fakepsp')
    .option('--debug', 'print the stack trace of an unexpected error');
  serveCommand(program);
  runCommandLine(program, outcome);
  exploreCommandLine(program, outcome);
  listCommand(program, outcome);
  return program;
}

function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the fake PSPs over HTTP(S) on loopback until interrupted')
    .option('--host <host>', 'address to bind (loopback only is wise)', '127.0.0.1')
    .option('--stripe-port <port>', 'port of the fake Stripe', port, 12111)
    .option('--adyen-port <port>', 'port of the fake Adyen (always HTTPS)', port, 12112)
    .option('--razorpay-port <port>', 'port of the fake Razorpay', port, 12113)
    .option('--seed <n>', 'seed of the run (same seed, same ids and events)', integer, 42)
    .addOption(
      new Option('--clock <mode>', 'virtual time: manual (advance via admin API) or real')
        .choices(['manual', 'real'])
        .default('manual'),
    )
    .option('--stripe-key <key>', 'the test key printed for your service', 'sk_test_fakepsp')
    .option(
      '--adyen-key <key>',
      'the one API key the fake Adyen accepts (others get 401)',
      'AQE_fakepsp_test_key',
    )
    .option(
      '--stripe-webhook-url <url>',
      'register a webhook endpoint for all Stripe events and print its secret',
    )
    .option('--adyen-webhook-url <url>', 'send Adyen standard webhooks here and print their HMAC key')
    .option('--razorpay-webhook-url <url>', 'send Razorpay webhooks here and print their secret')
    .option('--tls', 'serve Stripe and Razorpay over HTTPS too (Adyen always is: its SDK speaks only HTTPS)')
    .option('--tls-dir <dir>', 'where the generated local CA certificate is written', '.fakepsp/tls')
    .option(
      '--journal-max <records>',
      'most journal records kept; the oldest are forgotten',
      atLeastOne,
      serveJournalMax,
    )
    .option(
      '--spill-after <objects>',
      'past this many objects of a kind the fakes keep them on disk, not in memory',
      atLeastOne,
      serveSpillAfter,
    )
    .option('--spill-dir <dir>', 'where those objects go (default: the OS temp folder)')
    .action(async (options: Omit<ServeOptions, 'caDir' | 'tlsDir'> & { tls?: boolean; tlsDir: string }) => {
      const { tls, tlsDir, ...rest } = options;
      const serveOptions = { ...rest, caDir: tlsDir, ...(tls === true ? { tlsDir } : {}) };
      const { readyLines, serve } = await import('./serve.ts');
      const running = await serve(serveOptions);
      for (const line of readyLines(running, serveOptions)) console.log(line);
      const stop = () => void running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

function runCommandLine(program: Command, outcome: Outcome): void {
  program
    .command('run')
    .description('run scenarios against a billing system and reconcile its ledger with the fakes')
    .argument(
      '[paths...]',
      'scenario files, folders or globs (default: ./scenarios, else the shipped library)',
    )
    .option('--sut <url|module>', 'the billing system: an HTTP base URL, a module, or "reference" (default)')
    .option(
      '--sut-cmd <command>',
      'start your service with this shell command, one process per lane ({port} and $PORT give its port)',
    )
    .option('--sut-reuse', 'with --sut-cmd: keep one process per lane instead of a fresh one per run')
    .option(
      '--sut-ready-timeout <seconds>',
      'with --sut-cmd: how long the service gets to answer',
      seconds,
      30,
    )
    .option('--sut-timeout <seconds>', 'how long one call to the service may take', seconds, 30)
    .option('--mutant <name>', 'run against a seeded-bug variant of the reference service')
    .option('--seed <n>', "override every scenario's seed", integer)
    .option('--shard <i/n>', 'run the i-th of n shares of the runs (CI machines)', shard)
    .option('--scenario <name>', 'only the scenario with this name')
    .addOption(
      new Option('--psp <psp>', 'only runs against this PSP').choices(['stripe', 'adyen', 'razorpay']),
    )
    .option('--concurrency <n>', 'most runs at once', atLeastOne)
    .option(
      '--workers <n>',
      'worker threads for in-process services (default 1: every run in this thread)',
      atLeastOne,
    )
    .option(
      '--reporter <names>',
      'pretty, json, junit, html (comma-separated or repeated; several need --out)',
      reporters,
    )
    .option('--out <dir>', "write reports (and failing runs' journals) to this folder")
    .option('--quiet', 'no progress lines')
    .action(
      async (paths: string[], options: Omit<RunCommandOptions, 'reporter'> & { reporter?: string[] }) => {
        const reporter = (options.reporter ?? ['pretty']) as RunCommandOptions['reporter'];
        const { runCommand } = await import('./run.ts');
        outcome.code = await runCommand(paths, { ...options, reporter }, process.cwd());
      },
    );
}

function listCommand(program: Command, outcome: Outcome): void {
  program
    .command('list')
    .description('list the scenarios found, with their pattern and PSPs')
    .argument(
      '[paths...]',
      'scenario files, folders or globs (default: ./scenarios, else the shipped library)',
    )
    .action(async (paths: string[]) => {
      const { loadScenarioFiles } = await import('./load-scenarios.ts');
      const loaded = await loadScenarioFiles(paths, process.cwd());
      for (const problem of loaded.problems) console.error(pc.red(`✗ ${problem.message}`));
      if (loaded.shipped) console.error(pc.dim("no ./scenarios here: fakepsp's shipped library"));
      for (const { scenario, file } of loaded.entries) {
        console.log(
          `${scenario.pattern.padEnd(16)} ${scenario.psps.join(',').padEnd(22)} ${scenario.name}  (${file})`,
        );
      }
      if (loaded.entries.length === 0) console.error(pc.red('no scenario found'));
      outcome.code = loaded.problems.length > 0 ? 1 : loaded.entries.length === 0 ? usageExitCode : 0;
    });
}

/**
 * Runs the command line and resolves to the exit code: 0 done, 1 a run failed, 2 a usage
 * mistake (one line, never a stack trace). An unexpected error is one line too, unless `--debug`.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const outcome = { code: 0 };
  const program = buildProgram(outcome).exitOverride();
  program.configureOutput({ outputError: (text, write) => write(pc.red(text.replace(/^error: /, ''))) });
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return outcome.code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : usageExitCode;
    if (error instanceof UsageError) {
      console.error(pc.red(error.message));
      return usageExitCode;
    }
    if (argv.includes('--debug')) console.error(error);
    else {
      const message = error instanceof Error ? error.message : String(error);
      console.error(pc.red(`fakepsp: ${message}`), pc.dim('(run again with --debug for the stack trace)'));
    }
    return 1;
  }
}
