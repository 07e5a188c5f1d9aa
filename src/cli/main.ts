#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ExploreCommandOptions } from './explore.ts';
import { loadScenarios } from './load-scenarios.ts';
import { runCommand, type RunCommandOptions } from './run.ts';
import { readyLines, serve } from './serve.ts';

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new InvalidArgumentError('expected an integer');
  return parsed;
}

function positive(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a positive number');
  return parsed;
}

/** Builds the `fakepsp` command line. */
export function buildProgram(): Command {
  const program = new Command('fakepsp').description(
    'Stateful, deterministic fake PSPs (Stripe, Adyen, Razorpay) for billing-system tests.',
  );
  program
    .command('serve')
    .description('serve the fake PSPs over HTTP(S) on loopback until interrupted')
    .option('--host <host>', 'address to bind (loopback only is wise)', '127.0.0.1')
    .option('--stripe-port <port>', 'port of the fake Stripe', integer, 12111)
    .option('--adyen-port <port>', 'port of the fake Adyen (always HTTPS)', integer, 12112)
    .option('--razorpay-port <port>', 'port of the fake Razorpay', integer, 12113)
    .option('--seed <n>', 'seed of the run (same seed, same ids and events)', integer, 42)
    .addOption(
      new Option('--clock <mode>', 'virtual time: manual (advance via admin API) or real')
        .choices(['manual', 'real'])
        .default('manual'),
    )
    .option('--stripe-key <key>', 'the test key printed for your service', 'sk_test_fakepsp')
    .option(
      '--stripe-webhook-url <url>',
      'register a webhook endpoint for all Stripe events and print its secret',
    )
    .option('--adyen-webhook-url <url>', 'send Adyen standard webhooks here and print their HMAC key')
    .option('--razorpay-webhook-url <url>', 'send Razorpay webhooks here and print their secret')
    .option('--tls', 'serve Stripe and Razorpay over HTTPS too (Adyen always is: its SDK speaks only HTTPS)')
    .option('--tls-dir <dir>', 'where the generated local CA certificate is written', '.fakepsp/tls')
    .action(
      async (options: {
        host: string;
        stripePort: number;
        adyenPort: number;
        razorpayPort: number;
        adyenWebhookUrl?: string;
        razorpayWebhookUrl?: string;
        seed: number;
        clock: 'manual' | 'real';
        stripeKey: string;
        stripeWebhookUrl?: string;
        tls?: boolean;
        tlsDir: string;
      }) => {
        const { tls, tlsDir, ...rest } = options;
        const serveOptions = { ...rest, caDir: tlsDir, ...(tls === true ? { tlsDir } : {}) };
        const running = await serve(serveOptions);
        for (const line of readyLines(running, serveOptions)) console.log(line);
        const stop = () => {
          void running.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      },
    );
  program
    .command('run')
    .description('run scenarios against a billing system and reconcile its ledger with the fakes')
    .argument('[paths...]', 'scenario files, folders or globs (default: scenarios/**/*.scenario.ts)')
    .option('--sut <url|module>', 'the billing system: an HTTP base URL, a module, or "reference" (default)')
    .option(
      '--sut-cmd <command>',
      'start your service with this shell command, one process per lane ({port} and $PORT give its port)',
    )
    .option('--sut-reuse', 'with --sut-cmd: keep one process per lane instead of a fresh one per run')
    .option(
      '--sut-ready-timeout <seconds>',
      'with --sut-cmd: how long the service gets to answer',
      positive,
      30,
    )
    .option('--sut-timeout <seconds>', 'how long one call to the service may take', positive, 30)
    .option('--mutant <name>', 'run against a seeded-bug variant of the reference service')
    .option('--seed <n>', "override every scenario's seed", integer)
    .option('--shard <i/n>', 'run the i-th of n shares of the runs (CI machines)')
    .option('--scenario <name>', 'only the scenario with this name')
    .addOption(
      new Option('--psp <psp>', 'only runs against this PSP').choices(['stripe', 'adyen', 'razorpay']),
    )
    .option('--concurrency <n>', 'runs at once, across all workers', integer)
    .option(
      '--workers <n>',
      'worker threads, each with its own fakes and SUT (default 1: every run in this thread)',
      integer,
    )
    .addOption(
      new Option('--reporter <name...>', 'report formats')
        .choices(['pretty', 'json', 'junit', 'html'])
        .default(['pretty']),
    )
    .option('--out <dir>', "write reports (and failing runs' journals) to this folder")
    .option('--quiet', 'no progress lines')
    .action(async (paths: string[], options: RunCommandOptions) => {
      process.exitCode = await runCommand(paths, options, process.cwd());
    });
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
      positive,
      30,
    )
    .option('--sut-timeout <seconds>', 'how long one call to the service may take', positive, 30)
    .option('--mutant <name>', 'explore a seeded-bug variant of the reference service')
    .option('--pattern <pattern>', 'the integration pattern to explore')
    .option('--psp <psp>', 'the PSP the customers are at')
    .option('--runs <n>', 'most sequences to generate', integer)
    .option('--time <duration>', 'wall-clock budget for exploring and shrinking (60s, 5m)', '60s')
    .option(
      '--seed <n>',
      'seed of the generator and of every run (default: from the clock, printed)',
      integer,
    )
    .option('--max-steps <n>', 'most actions in one sequence', integer)
    .option('--path <path>', 'replay and shrink one fast-check counterexample path (with its --seed)')
    .option(
      '--shrink-runs <n>',
      'most runs shrinking may take (0: write the first failure as found)',
      integer,
    )
    .option('--out <dir>', 'where the scenario file of a finding is written', 'fakepsp-findings')
    .option('--concurrency <n>', 'runs at once (default 16 in-process, the cores with --sut-cmd)', integer)
    .option('--quiet', 'no progress line')
    .action(async (options: ExploreCommandOptions) => {
      // Loaded on demand: only exploring needs fast-check.
      const { exploreCommand } = await import('./explore.ts');
      process.exitCode = await exploreCommand(options, process.cwd());
    });
  program
    .command('list')
    .description('list the scenarios found, with their pattern and PSPs')
    .argument('[paths...]', 'scenario files, folders or globs')
    .action(async (paths: string[]) => {
      for (const entry of await loadScenarios(paths, process.cwd())) {
        const { scenario } = entry;
        console.log(
          `${scenario.pattern.padEnd(16)} ${scenario.psps.join(',').padEnd(22)} ${scenario.name}  (${entry.file})`,
        );
      }
    });
  return program;
}

await buildProgram().parseAsync(process.argv);
